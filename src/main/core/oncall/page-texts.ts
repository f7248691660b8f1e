import type { BulletinAlertView } from '../../../shared/contract/feeds'
import type { HealthProblem } from '../../../shared/contract/system'
import {
  ALERT_KIND_LABELS,
  ALERT_LEVEL_LABELS,
  ALERT_LEVELS,
  type AlertLevel,
} from '../../../shared/templates/alert-kinds'
import { toSpokenItalian } from '../../../shared/text/spoken-it'
import { formatRomeShort, type InstantLike } from '../../../shared/time'
import type { EscalationTriggerKind } from '../../../shared/contract/oncall'

/**
 * What a person on call reads on the phone, in Italian (a phone is not the
 * room: there is no locale to follow), and what each trigger pages about.
 * Texts are plain (no parse mode), so a bulletin's words need no escaping.
 */

export interface Trigger {
  kind: EscalationTriggerKind
  /** One open escalation per key: the same trigger again does not page twice. */
  key: string
  params: Record<string, string | number | null>
  title: string
  body: string
  /** What "Apri bozza" shows, when the trigger comes with a draft. */
  draft: string | null
}

const when = (iso: string | null) => (iso ? (formatRomeShort(iso) ?? iso) : null)

export function levelRank(level: string | null | undefined): number {
  return level ? ALERT_LEVELS.indexOf(level as AlertLevel) : -1
}

/** The level as an adjective of «allerta»: allerta gialla, rossa (an adjective agrees). */
const ALLERTA_LEVEL: Partial<Record<AlertLevel, string>> = {
  verde: 'verde',
  giallo: 'gialla',
  arancione: 'arancione',
  rosso: 'rossa',
}

/** «allerta rossa», «allerta gialla»: the level as the adjective of «allerta». */
export const allertaLevel = (level: AlertLevel): string =>
  ALLERTA_LEVEL[level] ?? ALERT_LEVEL_LABELS.it[level].toLowerCase()

/** A new or upgraded bulletin for our comuni as a trigger; undefined for other changes. */
export function bulletinTrigger(alert: BulletinAlertView): Trigger | undefined {
  if (alert.change !== 'new' && !alert.escalated) return undefined
  const level = alert.level
  if (!level) return undefined
  const { draft } = alert
  const levelName = ALLERTA_LEVEL[level] ?? ALERT_LEVEL_LABELS.it[level].toLowerCase()
  const kind = ALERT_KIND_LABELS.it[draft.kind]
  const title = alert.escalated
    ? `Allerta ${levelName}, in aumento: ${kind}`
    : `Allerta ${levelName}: ${kind}`
  const validity = [when(draft.validFrom), when(draft.validTo)]
  const body = [
    `Bollettino «${alert.sourceName}»: ${alert.item.headline}`,
    draft.comuni.length ? `Comuni: ${draft.comuni.join(', ')}` : '',
    validity[0] || validity[1] ? `Valida da ${validity[0] ?? '?'} a ${validity[1] ?? '?'}` : '',
    ...alert.changes,
  ]
    .filter(Boolean)
    .join('\n')
  const draftText = [
    `Bozza proposta (${ALERT_LEVEL_LABELS.it[draft.level]}, ${ALERT_KIND_LABELS.it[draft.kind]})`,
    draft.headline,
    draft.description,
    draft.instruction ? `Cosa fare: ${draft.instruction}` : '',
    draft.comuni.length ? `Comuni: ${draft.comuni.join(', ')}` : '',
    'Per inviarla apri Vedetta, o la sala sceglie in Configurazione → Reperibilità i canali e le liste per approvarla dal telefono.',
  ]
    .filter(Boolean)
    .join('\n\n')
  return {
    kind: 'bulletin',
    key: `bulletin:${alert.item.id}:${alert.change}:${level}`,
    params: {
      itemId: alert.item.id,
      level,
      previousLevel: alert.previousLevel,
      change: alert.change,
      source: alert.sourceName,
      headline: alert.item.headline,
      // For the call, which says what and where in words (pageCallText).
      alertKind: draft.kind,
      comuni: draft.comuni.join(', '),
    },
    title,
    body,
    draft: draftText,
  }
}

/** A problem of the room's machinery (Stato) as a trigger. */
export function healthTrigger(problem: HealthProblem): Trigger {
  return {
    kind: 'health',
    key: `health:${problem.source}`,
    params: { source: problem.source, message: problem.message, since: problem.since },
    title: `Vedetta ha un problema: ${problem.message}`,
    body: `In Stato dalle ${when(problem.since) ?? problem.since}.`,
    draft: null,
  }
}

/** A channel account whose sends or check keep failing, as a trigger. */
export function channelTrigger(account: {
  id: number
  name: string
  reason: string
  since: string
}): Trigger {
  return {
    kind: 'channel',
    key: `channel:${account.id}`,
    params: { accountId: account.id, name: account.name, reason: account.reason },
    title: `Il canale «${account.name}» non funziona`,
    body: `${account.reason}\nIn errore dalle ${when(account.since) ?? account.since}.`,
    draft: null,
  }
}

export const FAMILY_NAMES: Record<string, string> = {
  sms: 'SMS',
  email: 'e-mail',
  telegram: 'Telegram',
  facebook: 'Facebook',
  x: 'X',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  youtube: 'YouTube',
  voice: 'chiamate',
  whatsapp: 'WhatsApp',
}

/**
 * A citizen's message with words of distress, while nobody reads the room, as a trigger.
 * One open at a time (the key): a flood of such messages pages once, and the page says
 * more may be waiting; once taken, the next one pages again.
 */
export function distressTrigger(
  message: {
    id: number
    family: string
    authorName: string | null
    authorHandle: string | null
    text: string
    receivedAt: string
  },
  words: readonly string[],
  why: 'off_hours' | 'idle',
  idleMinutes: number,
): Trigger {
  const who = [message.authorName, message.authorHandle].filter(Boolean).join(' ') || 'anonimo'
  const text = message.text.length > 300 ? `${message.text.slice(0, 299)}…` : message.text
  const channel = FAMILY_NAMES[message.family] ?? message.family
  return {
    kind: 'distress',
    key: 'distress',
    params: { messageId: message.id, family: message.family, words: words.join(', '), why },
    title: `Possibile richiesta di aiuto da un cittadino (${channel})`,
    body: [
      `Da ${who}, alle ${when(message.receivedAt) ?? message.receivedAt}:`,
      `«${text}»`,
      `Parole: ${words.join(', ')}.`,
      why === 'off_hours'
        ? 'Fuori dall’orario presidiato: nessuno in sala lo sta leggendo.'
        : `Nessuno usa la sala da almeno ${idleMinutes} minuti.`,
      'Altri messaggi possono essere arrivati: aprili in Vedetta (Messaggi). In pericolo: 112.',
    ].join('\n'),
    draft: null,
  }
}

/** Partners that have not relayed a red alert in time, as a trigger: once per alert. */
export function relayTrigger(late: {
  alertId: number
  headline: string
  confirmedAt: string
  partners: readonly string[]
}): Trigger {
  const names = late.partners.join(', ')
  return {
    kind: 'relay',
    key: `relay:${late.alertId}`,
    params: { alertId: late.alertId, partners: names },
    title:
      late.partners.length === 1
        ? `${late.partners[0]} non ha ancora ripreso l’allerta rossa`
        : `${late.partners.length} partner non hanno ancora ripreso l’allerta rossa`,
    body: [
      `«${late.headline}», inviata alle ${hhmm(late.confirmedAt)}.`,
      `Non ancora ripresa da: ${names}.`,
      'Chiamali; quando l’hanno ripresa segnalalo in Vedetta (Consegne → Ripresa dai partner).',
    ].join('\n'),
    draft: null,
  }
}

const ordinal = (position: number, length: number) =>
  position === length && length >= 3 ? 'il coordinatore' : `il ${position}° reperibile`

/** The page itself, for the person at `position` (1-based) of a chain of `length`. */
export function pageText(
  e: { title: string; body: string; shiftLabel: string | null },
  position: number,
  length: number,
  next: string | null,
  afterMinutes: number,
): string {
  const shift = e.shiftLabel ? ` del turno «${e.shiftLabel}»` : ''
  const then = next
    ? `Se nessuno prende in carico entro ${afterMinutes} minuti avviso ${next}.`
    : `Se nessuno prende in carico entro ${afterMinutes} minuti ricomincio dal primo.`
  return `VEDETTA — ${e.title}\n\n${e.body}\n\nSei ${ordinal(position, length)}${shift}. ${then}`
}

/** The page by SMS: short, it says where to answer. */
export function pageSms(title: string): string {
  const text = `Vedetta: ${title}. Prendi in carico dal bot Telegram o da Vedetta.`
  return text.length > 300 ? `${text.slice(0, 299)}…` : text
}

export const BUTTONS = {
  take: 'Prendo io',
  draft: 'Apri bozza',
  notus: 'Non è per noi',
} as const
export type ButtonAction = keyof typeof BUTTONS

/** Callback data of a page's button: `oc:<escalation>:<action>` (far below the 64-byte limit). */
export const callbackData = (escalationId: number, action: ButtonAction) =>
  `oc:${escalationId}:${action}`

export function parseCallbackData(
  data: string | undefined,
): { escalationId: number; action: ButtonAction } | undefined {
  const m = /^oc:(\d{1,12}):(take|draft|notus)$/.exec(data ?? '')
  return m ? { escalationId: Number(m[1]), action: m[2] as ButtonAction } : undefined
}

const hhmm = (iso: string) => formatRomeShort(iso)?.split(', ')[1] ?? iso

/** What the others paged are told once someone took it or set it aside. */
export function closedText(
  title: string,
  by: string,
  at: string,
  how: 'taken' | 'dismissed',
): string {
  return how === 'taken'
    ? `Presa in carico da ${by} alle ${hhmm(at)}: ${title}. Non serve altro da te.`
    : `${by} ha indicato alle ${hhmm(at)} che non riguarda il nostro territorio: ${title}.`
}

/** Why a press came too late, for the toast on the phone. */
export function lateText(e: {
  state: string
  closedBy: string | null
  closedAt: string | null
}): string {
  const at = e.closedAt ? hhmm(e.closedAt) : ''
  if (e.state === 'acknowledged') return `Già presa in carico da ${e.closedBy ?? '?'} alle ${at}.`
  if (e.state === 'dismissed') return `Già chiusa da ${e.closedBy ?? '?'} alle ${at}.`
  return 'Questa chiamata è già chiusa.'
}

/** What a bulletin is about, as said after «allerta arancione»: «per rischio idraulico». */
const SPOKEN_KIND: Record<string, string> = {
  neve: 'per neve',
  ghiaccio: 'per ghiaccio',
  pioggia: 'per rischio idrogeologico',
  idraulico: 'per rischio idraulico',
  temporali: 'per temporali forti',
  vento: 'per vento forte',
  mareggiate: 'per mareggiate',
  scuole_chiuse: 'con scuole chiuse',
}

/** «Empoli», «Empoli e Vinci», «Empoli, Vinci e Cerreto Guidi»; past six, how many more. */
function spokenList(names: string[]): string {
  const shown = names.length > 6 ? names.slice(0, 5) : names
  const rest = names.length - shown.length
  const all = rest > 0 ? [...shown, `altri ${rest} comuni`] : shown
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} e ${all.at(-1)}`
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/** What the page is about, for the ear: the trigger's data, not the written page. */
function spokenWhat(e: {
  kind: EscalationTriggerKind
  params: Record<string, string | number | null>
  title: string
}): string {
  const p = e.params
  const str = (key: string) => (typeof p[key] === 'string' ? (p[key] as string).trim() : '')
  switch (e.kind) {
    case 'bulletin': {
      const level = str('level') as AlertLevel
      if (!ALERT_LEVELS.includes(level)) break
      const before = levelRank(str('previousLevel'))
      const up = before >= 0 && levelRank(level) > before
      const kind = SPOKEN_KIND[str('alertKind')]
      const comuni = str('comuni')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
      return [
        `allerta ${allertaLevel(level)}${up ? ' in aumento' : ''}`,
        kind,
        comuni.length ? `a ${spokenList(comuni)}` : '',
      ]
        .filter(Boolean)
        .join(' ')
    }
    case 'distress': {
      const channel = FAMILY_NAMES[str('family')]
      return `possibile messaggio di aiuto di un cittadino${channel ? `, arrivato per ${channel}` : ''}`
    }
    case 'health':
      return `Vedetta ha un problema: ${cut(str('message') || e.title, 200)}`
    case 'channel':
      return `il canale ${cut(str('name'), 80)} non funziona`
    case 'relay': {
      const partners = str('partners')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
      if (partners.length === 0) break
      return partners.length === 1
        ? `${partners[0]} non ha ancora ripreso l’allerta rossa`
        : `${spokenList(partners)} non hanno ancora ripreso l’allerta rossa`
    }
  }
  return cut(e.title, 200)
}

/**
 * The page as a phone call says it, in Italian for the ear: who calls, what it is about,
 * that answering the call is not taking charge, then all of it again. Numbers, dates and
 * times are said in words (spoken-it.ts); in a drill it opens with «Esercitazione».
 */
export function pageCallText(
  e: {
    kind: EscalationTriggerKind
    params: Record<string, string | number | null>
    title: string
  },
  options: { drill?: boolean; now?: InstantLike } = {},
): string {
  const what = toSpokenItalian(
    spokenWhat(e),
    options.now === undefined ? {} : { now: options.now },
  ).replace(/[.!?…]+$/u, '')
  const once = [
    'Messaggio di Vedetta per la reperibilità della Protezione civile.',
    `${what.charAt(0).toUpperCase()}${what.slice(1)}.`,
    'Per prendere in carico usa Telegram o la sala: rispondere a questa chiamata non basta.',
  ].join(' ')
  return `${options.drill ? 'Esercitazione. ' : ''}${once} Ripeto. ${once}`
}
