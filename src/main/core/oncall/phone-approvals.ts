import { createHash } from 'node:crypto'
import type { AlertDraftInput } from '../../../shared/alerts/alert-schema'
import type { AlertPreview, PreviewWarning } from '../../../shared/alerts/views'
import type { Alert } from '../../../shared/alerts/types'
import type { BulletinDraft } from '../../../shared/bulletins/draft'
import { ALERT_KIND_LABELS } from '../../../shared/templates/alert-kinds'
import type { Template } from '../../../shared/templates/template-schema'
import { formatRomeShort } from '../../../shared/time'
import type { ExtraTemplateValues } from '../alerts/template-texts'
import type { AuditLog } from '../audit/audit-log'
import type { Db } from '../db/open'
import { CoreError } from '../errors'
import type { Log } from '../health/log'
import { createApprovalsRepository } from './approvals-repository'
import type { EscalationRow, EscalationsRepository } from './escalations-repository'
import { FAMILY_NAMES, allertaLevel } from './page-texts'
import type { PagingChannels } from './paging-channels'
import type { RosterRepository } from './roster-repository'

/**
 * Approving a draft from the phone. «Apri bozza» on a bulletin's page starts the alert draft
 * the room's composer would start from that bulletin (its comuni, level, texts from the
 * template of its kind and level), to the channels and lists chosen in Reperibilità, and
 * shows it as the room's send preview does: the text of each channel, the recipients, the
 * cost, computed by the same alerts service. What was shown is kept as a fingerprint.
 *
 * «APPROVA <n> <PIN>» (phone-commands.ts checks who and the PIN) confirms the draft through
 * the same `confirm` as the room's (the same checks, the same cancel window), as «Name (da
 * Telegram)»: only from the person who took the page, only for the draft as they saw it.
 * A red alert, or one above the recipients set, needs a second, different person of the
 * chain: the first approval waits (the others are sent the draft), for at most
 * APPROVAL_MINUTES, and any change of the draft voids it.
 */

/** How long a first approval waits for the second one. */
export const APPROVAL_MINUTES = 30

export interface PhoneAlerts {
  stop(id: number, actor: string): { cancelledRows: number }
  get(id: number): Alert
  preview(id: number): AlertPreview
  confirm(id: number, actor: string): { alert: Alert; rows: number }
  createDraft(input: AlertDraftInput, actor: string): Alert
  applyTemplate(id: number, template: Template, extra: ExtraTemplateValues, actor: string): unknown
}

/** What the composer starts a bulletin's draft from (feeds, comuni, templates, the ente's values). */
export interface BulletinDrafts {
  draftFor(itemId: number): BulletinDraft
  comuni(): { name: string; istatCode?: string | null }[]
  template(id: string): Template | undefined
  extra(): ExtraTemplateValues
}

export type ApprovalOutcome =
  | 'approved'
  | 'pending'
  | 'unavailable'
  | 'not_found'
  | 'not_phone_draft'
  | 'not_on_page_chain'
  | 'not_taken'
  | 'not_draft'
  | 'not_shown'
  | 'changed'
  | 'errors'
  | 'same_person'
  | 'refused'

export interface ApprovalResult {
  outcome: ApprovalOutcome
  /** The answer in the chat, in Italian. */
  text: string
  /** For the journal's refusal entry. */
  detail?: Record<string, unknown>
}

const WARNING_WORDS: Partial<Record<string, string>> = {
  empty: 'un testo è vuoto',
  empty_subject: 'manca l’oggetto dell’e-mail',
  missing_value: 'un testo ha un segnaposto senza valore',
  missing_setting: 'manca un dato dell’ente (Configurazione → Ente)',
  over_limit: 'un testo è troppo lungo',
  no_targets: 'nessun canale scelto',
  account_missing: 'un canale non esiste più',
  account_disabled: 'un canale è disattivato',
  whatsapp_template: 'il modello WhatsApp non va',
  recording_unpublished: 'la registrazione non si può pubblicare',
}

const words = (w: PreviewWarning) => WARNING_WORDS[w.code] ?? w.code

const euro = (n: number) =>
  `${n.toLocaleString('it-IT', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`

/** The preview's errors, in words; empty when it can be sent. */
export function previewErrors(preview: AlertPreview): string[] {
  const all = [
    ...preview.warnings,
    ...preview.accounts.flatMap((a) => a.warnings),
    ...preview.relays.flatMap((r) => r.warnings),
  ]
  return [...new Set(all.filter((w) => w.severity === 'error').map(words))]
}

/**
 * A short fingerprint of what the phone showed: texts, comuni, level, validity, lists,
 * channels, recipients and cost of each channel, and the draft's version.
 */
export function draftFingerprint(alert: Alert, preview: AlertPreview): string {
  const shown = {
    id: alert.id,
    version: alert.updatedAt,
    status: alert.status,
    kind: alert.kind,
    level: alert.level,
    comuni: alert.comuni.map((c) => c.name),
    validFrom: alert.validFrom,
    validTo: alert.validTo,
    headline: alert.headline,
    targets: alert.targets,
    accounts: preview.accounts.map((a) => [
      a.accountId,
      a.text,
      a.subject ?? null,
      a.messages,
      a.estimatedCost ?? null,
    ]),
    relays: preview.relays.length,
    totals: preview.totals,
  }
  const hex = createHash('sha256').update(JSON.stringify(shown)).digest('hex').toUpperCase()
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}`
}

/** Why this draft needs a second person; undefined when one approval is enough. */
export function secondNeeded(alert: Alert, preview: AlertPreview, maxRecipients: number) {
  if (alert.level === 'rosso') return 'red' as const
  if (preview.totals.messages > maxRecipients) return 'size' as const
  return undefined
}

const secondWhy = (why: 'red' | 'size', max: number) =>
  why === 'red'
    ? 'è un’allerta rossa'
    : `supera i ${max.toLocaleString('it-IT')} destinatari che una sola persona può approvare dal telefono`

const MESSAGE_LIMIT = 4000

/** Sections packed into messages under Telegram's limit (a section too long is cut in pieces). */
function pack(sections: string[]): string[] {
  const out: string[] = []
  let current = ''
  for (const section of sections) {
    for (let i = 0; i < section.length || i === 0; i += MESSAGE_LIMIT) {
      const piece = section.slice(i, i + MESSAGE_LIMIT)
      if (current && current.length + piece.length + 2 > MESSAGE_LIMIT) {
        out.push(current)
        current = ''
      }
      current = current ? `${current}\n\n${piece}` : piece
    }
  }
  if (current) out.push(current)
  return out
}

/** The draft as the phone shows it: what the room's send preview shows, in plain text. */
export function draftMessages(
  alert: Alert,
  preview: AlertPreview,
  fingerprint: string,
  maxRecipients: number,
): string[] {
  const when = (iso: string) => formatRomeShort(iso) ?? iso
  const head = [
    `BOZZA n. ${alert.id} — allerta ${allertaLevel(alert.level)}, ${ALERT_KIND_LABELS.it[alert.kind].toLowerCase()}`,
    `«${alert.headline}»`,
    `Comuni: ${alert.comuni.map((c) => c.name).join(', ') || 'nessuno'}`,
    `Valida da ${when(alert.validFrom)} a ${when(alert.validTo)}`,
    `Liste: ${alert.targets.listIds.length}`,
  ].join('\n')
  const channels = preview.accounts.map((a) => {
    const family = a.family ? (FAMILY_NAMES[a.family] ?? a.family) : '?'
    const facts = [
      a.audience === 'page' ? 'pubblicazione' : `${a.messages.toLocaleString('it-IT')} destinatari`,
      a.segments ? `${a.segments} SMS ciascuno` : '',
      a.estimatedCost !== undefined ? `≈ ${euro(a.estimatedCost)}` : '',
    ].filter(Boolean)
    const problems = a.warnings.filter((w) => w.severity === 'error').map(words)
    return [
      `${a.accountName} (${family}) — ${facts.join(', ')}`,
      a.subject ? `Oggetto: ${a.subject}` : '',
      a.text || '(testo vuoto)',
      problems.length ? `Non va: ${problems.join('; ')}` : '',
    ]
      .filter(Boolean)
      .join('\n')
  })
  const errors = previewErrors(preview)
  const why = secondNeeded(alert, preview, maxRecipients)
  const tail = [
    `Totale: ${preview.totals.messages.toLocaleString('it-IT')} messaggi, costo stimato ${euro(preview.totals.estimatedCost)}.`,
    `Impronta della bozza: ${fingerprint}`,
    errors.length
      ? `Così non si può inviare (${errors.join('; ')}): va completata in sala.`
      : `Per approvarla scrivi APPROVA ${alert.id} seguito da uno spazio e dal tuo PIN.`,
    why && !errors.length
      ? `Serve anche l’approvazione di un secondo reperibile: ${secondWhy(why, maxRecipients)}.`
      : '',
    errors.length
      ? ''
      : `Dopo la conferma vale la stessa attesa per annullare della sala: STOP ${alert.id} e il tuo PIN la fermano.`,
  ]
    .filter(Boolean)
    .join('\n')
  return pack([head, ...channels, tail])
}

export function createPhoneApprovals(deps: {
  db: Db
  roster: RosterRepository
  escalations: EscalationsRepository
  channels: PagingChannels
  audit: AuditLog
  log: Log
  now(): Date
  alerts?: () => PhoneAlerts | undefined
  bulletins?: () => BulletinDrafts | undefined
  track(work: Promise<unknown>): void
}) {
  const iso = () => deps.now().toISOString()
  /** The draft the phone is confirming now (its own `alerts:changed` is not a change). */
  let confirming: number | undefined
  const repo = createApprovalsRepository(deps.db)

  function send(chatId: string, texts: string[]): void {
    const bot = deps.channels.bot()
    if ('error' in bot) {
      deps.log.warn('oncall', `messaggio sul telefono non inviato: ${bot.error}`)
      return
    }
    deps.track(
      (async () => {
        for (const text of texts) {
          const r = await bot.bot.sendMessage(chatId, text)
          if (!r.ok) deps.log.warn('oncall', `messaggio sul telefono non inviato: ${r.reason}`)
        }
      })(),
    )
  }

  /** The bulletin's draft as the composer starts it, to the phone's channels and lists. */
  function startDraft(e: EscalationRow, person: { id: number; name: string }): number | string {
    const alerts = deps.alerts?.()
    const bulletins = deps.bulletins?.()
    const itemId = Number(e.params.itemId)
    if (!alerts || !bulletins || e.kind !== 'bulletin' || !Number.isInteger(itemId))
      return 'Da qui non posso preparare la bozza: aprila in Vedetta.'
    const { phone } = deps.roster.settings()
    if (phone.accountIds.length === 0)
      return 'Per inviarla dal telefono la sala deve scegliere i canali e le liste in Configurazione → Reperibilità → Dal telefono.'
    const d = bulletins.draftFor(itemId)
    const byName = new Map(bulletins.comuni().map((c) => [c.name, c]))
    const now = deps.now().getTime()
    const actor = `${person.name} (da Telegram)`
    const alert = alerts.createDraft(
      {
        kind: d.kind,
        level: d.level,
        comuni: d.comuni.map((name) => {
          const code = byName.get(name)?.istatCode
          return code ? { name, istatCode: code } : { name }
        }),
        validFrom: d.validFrom ?? new Date(now).toISOString(),
        validTo: d.validTo ?? new Date(now + 24 * 3_600_000).toISOString(),
        headline: d.headline.slice(0, 160),
        description: d.description,
        instruction: d.instruction,
        targets: { accountIds: phone.accountIds, listIds: phone.listIds, partnerIds: [] },
      },
      actor,
    )
    // Linked at once: a template that fails to apply leaves the page's one draft, not a second.
    repo.link(e.id, alert.id, person.id, iso())
    const template = d.templateId ? bulletins.template(d.templateId) : undefined
    if (template) alerts.applyTemplate(alert.id, template, bulletins.extra(), actor)
    return alert.id
  }

  /** Shows the draft to a person and keeps its fingerprint as what they saw. */
  function show(alerts: PhoneAlerts, alertId: number, personId: number) {
    const alert = alerts.get(alertId)
    const preview = alerts.preview(alertId)
    const fingerprint = draftFingerprint(alert, preview)
    repo.saw(alertId, personId, fingerprint, iso())
    const { maxRecipients } = deps.roster.settings().phone
    return {
      alert,
      preview,
      fingerprint,
      messages: draftMessages(alert, preview, fingerprint, maxRecipients),
    }
  }

  /** Pending approvals past their time are expired, each in the journal. */
  function expire(): void {
    const at = iso()
    for (const p of repo.allPending()) {
      if (p.expires_at > at) continue
      if (!repo.settle(p.id, 'expired', at)) continue
      deps.audit.record('vedetta', 'oncall.approvalExpired', `alert:${p.alert_id}`, {
        person: p.name,
        minutes: APPROVAL_MINUTES,
      })
      const person = p.person_id === null ? undefined : deps.roster.person(p.person_id)
      if (person?.telegramChatId)
        send(person.telegramChatId, [
          `La tua approvazione della bozza n. ${p.alert_id} è scaduta: nessun secondo reperibile l’ha approvata entro ${APPROVAL_MINUTES} minuti. Se serve ancora, approvala di nuovo.`,
        ])
    }
  }

  /** Pending approvals of another version of the draft no longer count; their people are told. */
  function voidChanged(alertId: number, current: string, cause: 'changed' | 'sent'): void {
    const at = iso()
    for (const p of repo.pending(alertId)) {
      if (cause === 'changed' && p.fingerprint === current) continue
      if (!repo.settle(p.id, 'void', at)) continue
      // Sent from the room meanwhile: its confirmation is in the Diario already.
      if (cause === 'sent') continue
      deps.audit.record('vedetta', 'oncall.approvalVoided', `alert:${alertId}`, {
        person: p.name,
        reason: cause,
      })
      const person = p.person_id === null ? undefined : deps.roster.person(p.person_id)
      if (cause === 'changed' && person?.telegramChatId)
        send(person.telegramChatId, [
          `La bozza n. ${alertId} è cambiata dopo la tua approvazione: non vale più. Aprila di nuovo e, se va bene, approvala ancora.`,
        ])
    }
  }

  return {
    /**
     * What «Apri bozza» sends for a page: the draft and its fingerprint (started now when the
     * page has none yet); undefined when the page's trigger has no draft to approve from here.
     */
    draftFor(
      e: EscalationRow,
      person: { id: number; name: string },
    ): { messages: string[]; detail: Record<string, unknown> } | undefined {
      if (e.kind !== 'bulletin') return undefined
      const alerts = deps.alerts?.()
      if (!alerts) return undefined
      let alertId: number | string | undefined = repo.draftOf(e.id)
      if (alertId === undefined) {
        // Not set up for the phone: the bulletin's proposal, and what the room must do.
        if (deps.roster.settings().phone.accountIds.length === 0) return undefined
        alertId = startDraft(e, person)
      }
      if (typeof alertId === 'string') return { messages: [alertId], detail: {} }
      const alert = alerts.get(alertId)
      if (alert.status !== 'draft')
        return {
          messages: [
            `L’allerta n. ${alertId} non è più una bozza: confermata da ${alert.confirmedBy ?? 'la sala'}${alert.confirmedAt ? ` alle ${formatRomeShort(alert.confirmedAt) ?? ''}` : ''}.`,
          ],
          detail: { alertId },
        }
      const shown = show(alerts, alertId, person.id)
      return { messages: shown.messages, detail: { alertId, fingerprint: shown.fingerprint } }
    },

    /** Whether a page's person may still approve a draft from the phone (the bot is read often). */
    waiting(): boolean {
      const now = deps.now().getTime()
      if (repo.draftsSince(new Date(now - 6 * 3_600_000).toISOString()) > 0) return true
      if (deps.roster.settings().phone.accountIds.length === 0) return false
      return repo.takenWithoutDraft(new Date(now - 3_600_000).toISOString()) > 0
    },

    /** Whether this page can give its taker a draft to approve («Apri bozza» stays for them). */
    offersDraft(e: EscalationRow): boolean {
      return (
        e.kind === 'bulletin' &&
        deps.alerts?.() !== undefined &&
        deps.bulletins?.() !== undefined &&
        deps.roster.settings().phone.accountIds.length > 0
      )
    },

    expire,

    /** The room edited a draft: approvals of what it was no longer count. */
    draftChanged(alertId: number): void {
      const alerts = deps.alerts?.()
      // The phone's own confirmation settles its approvals itself.
      if (alertId === confirming) return
      if (!alerts || repo.escalationOf(alertId) === undefined) return
      const alert = alerts.get(alertId)
      if (alert.status !== 'draft') {
        voidChanged(alertId, '', 'sent')
        return
      }
      voidChanged(alertId, draftFingerprint(alert, alerts.preview(alertId)), 'changed')
    },

    /** «APPROVA <n>» with a right PIN, from a person on the roster (decided synchronously). */
    approve(person: { id: number; name: string }, alertId: number): ApprovalResult {
      const alerts = deps.alerts?.()
      if (!alerts) {
        deps.log.error('oncall', new Error('APPROVA dal telefono: il servizio delle allerte manca'))
        return {
          outcome: 'unavailable',
          text: 'Da qui ora non posso approvare: chiama la sala.',
          detail: {},
        }
      }
      const escalationId = repo.escalationOf(alertId)
      let alert: Alert
      try {
        alert = alerts.get(alertId)
      } catch (err) {
        if (!(err instanceof CoreError)) throw err
        return {
          outcome: 'not_found',
          text: `Non approvata: non c’è un’allerta n. ${alertId}.`,
          detail: {},
        }
      }
      if (escalationId === undefined)
        return {
          outcome: 'not_phone_draft',
          text: `Non approvata: la bozza n. ${alertId} non viene da una chiamata di reperibilità, decide la sala.`,
          detail: {},
        }
      const e = deps.escalations.get(escalationId)
      if (!e || !e.chain.some((c) => c.personId === person.id))
        return {
          outcome: 'not_on_page_chain',
          text: `Non approvata: non eri nella catena della chiamata della bozza n. ${alertId}.`,
          detail: {},
        }
      if (alert.status !== 'draft')
        return {
          outcome: 'not_draft',
          text: `Non approvata: l’allerta n. ${alertId} non è più una bozza (confermata da ${alert.confirmedBy ?? 'la sala'}).`,
          detail: { status: alert.status },
        }
      const preview = alerts.preview(alertId)
      const current = draftFingerprint(alert, preview)
      const seen = repo.seen(alertId, person.id)
      if (!seen)
        return {
          outcome: 'not_shown',
          text: `Non approvata: prima apri la bozza n. ${alertId} (pulsante «Apri bozza»).`,
          detail: {},
        }
      expire()
      voidChanged(alertId, current, 'changed')
      if (seen !== current) {
        const shown = show(alerts, alertId, person.id)
        send(String(deps.roster.person(person.id)?.telegramChatId ?? ''), [
          `Non approvata: la bozza n. ${alertId} è cambiata da quando l’hai vista (impronta ${seen}, ora ${shown.fingerprint}). Eccola com’è ora: se va bene, approvala di nuovo.`,
          ...shown.messages,
        ])
        return {
          outcome: 'changed',
          text: '',
          detail: { shown: seen, now: shown.fingerprint },
        }
      }
      const errors = previewErrors(preview)
      if (errors.length)
        return {
          outcome: 'errors',
          text: `Non approvata: così la bozza n. ${alertId} non si può inviare (${errors.join('; ')}). Va completata in sala.`,
          detail: { errors },
        }
      const { maxRecipients } = deps.roster.settings().phone
      const why = secondNeeded(alert, preview, maxRecipients)
      const first = repo.pending(alertId)[0]
      const taker =
        e.state === 'acknowledged' && e.closedVia === 'telegram' && e.closedByPerson === person.id
      if (!first && !taker)
        return {
          outcome: 'not_taken',
          text:
            e.state === 'open' || e.state === 'unanswered'
              ? `Non approvata: prima prendi in carico la chiamata («Prendo io»).`
              : e.state === 'dismissed'
                ? `Non approvata: ${e.closedBy ?? 'qualcuno'} ha chiuso la chiamata come non per noi.`
                : `Non approvata: la chiamata l’ha presa ${e.closedBy ?? 'qualcun altro'}${e.closedVia === 'room' ? ' in sala' : ''}, che decide.`,
          detail: {},
        }
      if (first && first.person_id === person.id)
        return {
          outcome: 'same_person',
          text: `Hai già approvato la bozza n. ${alertId}: serve l’approvazione di un’altra persona della catena.`,
          detail: {},
        }
      const at = iso()
      if (why && !first) {
        const expires = new Date(deps.now().getTime() + APPROVAL_MINUTES * 60_000)
        repo.add({
          alertId,
          escalationId: e.id,
          personId: person.id,
          name: person.name,
          fingerprint: current,
          at,
          expiresAt: expires.toISOString(),
          state: 'pending',
          settledAt: null,
        })
        deps.audit.record(person.name, 'oncall.approvalPending', `alert:${alertId}`, {
          person: person.name,
          via: 'Telegram',
          fingerprint: current,
          why,
          messages: preview.totals.messages,
        })
        const others = e.chain
          .filter((c) => c.personId !== person.id)
          .map((c) => deps.roster.person(c.personId))
          .filter((p): p is NonNullable<typeof p> => !!p?.telegramChatId)
        const until = formatRomeShort(expires)?.split(', ')[1] ?? ''
        for (const other of others) {
          const shown = show(alerts, alertId, other.id)
          send(other.telegramChatId!, [
            `${person.name} ha approvato dal telefono la bozza n. ${alertId}, ma serve una seconda persona: ${secondWhy(why, maxRecipients)}. Se va bene anche a te scrivi APPROVA ${alertId} e il tuo PIN entro le ${until}.`,
            ...shown.messages,
          ])
        }
        const told = others.map((o) => o.name)
        return {
          outcome: 'pending',
          text: `Approvazione registrata, in attesa del secondo: ${secondWhy(why, maxRecipients)}. ${told.length ? `Ho mandato la bozza a ${told.join(', ')}.` : 'Nessun altro della catena ha Telegram: chiama la sala.'} La tua approvazione vale fino alle ${until}.`,
          detail: { told },
        }
      }
      const names = first ? [first.name, person.name] : [person.name]
      const actor = `${names.join(' e ')} (da Telegram)`
      let result: { alert: Alert; rows: number }
      confirming = alertId
      try {
        result = alerts.confirm(alertId, actor)
      } catch (err) {
        if (!(err instanceof CoreError)) throw err
        return {
          outcome: 'refused',
          text: `Non confermata: ${err.message}.`,
          detail: { error: err.code },
        }
      } finally {
        confirming = undefined
      }
      if (first) repo.settle(first.id, 'confirmed', at)
      repo.add({
        alertId,
        escalationId: e.id,
        personId: person.id,
        name: person.name,
        fingerprint: current,
        at,
        expiresAt: at,
        state: 'confirmed',
        settledAt: at,
      })
      const windowS = Math.max(
        0,
        Math.round(((result.alert.sendAfter ?? Date.parse(at)) - Date.parse(at)) / 1000),
      )
      deps.audit.record(person.name, 'oncall.phoneApproved', `alert:${alertId}`, {
        via: 'Telegram',
        approvedBy: names,
        approvers: names.join(' e '),
        fingerprint: current,
        rows: result.rows,
        cancelWindowSeconds: windowS,
      })
      const text = `Allerta n. ${alertId} confermata (${names.join(' e ')}, da Telegram): ${result.rows.toLocaleString('it-IT')} messaggi partono tra ${windowS} secondi. Per fermarla scrivi STOP ${alertId} e il tuo PIN.`
      if (first?.person_id != null) {
        const chat = deps.roster.person(first.person_id)?.telegramChatId
        if (chat) send(chat, [text])
      }
      return { outcome: 'approved', text, detail: { approvedBy: names } }
    },
  }
}

export type PhoneApprovals = ReturnType<typeof createPhoneApprovals>
