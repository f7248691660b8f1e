/**
 * WhatsApp template variables. A message a business starts on WhatsApp must be
 * a template the provider (Meta, through Twilio or directly) approved; its body
 * has numbered holes `{{1}}`, `{{2}}`… The account's `templateVariables`
 * setting names, in order, the alert fields that fill them
 * ("titolo,comuni,istruzioni": {{1}} the headline, {{2}} the comuni, {{3}} the
 * instructions). The same values serve the send and the composer's preview.
 */

import { levelWord, type AlertLevel } from '../templates/alert-kinds'
import { formatItalianDateTime, joinComuni } from '../templates/format-it'

/** The alert fields a WhatsApp template variable can take, in the order the form lists them. */
export const WHATSAPP_FIELDS = [
  'titolo',
  'livello',
  'evento',
  'comuni',
  'descrizione',
  'istruzioni',
  'inizio',
  'fine',
  'link',
] as const
export type WhatsappField = (typeof WHATSAPP_FIELDS)[number]

/** What each field holds, for the account form and the error that lists them. */
export const WHATSAPP_FIELD_DESCRIPTIONS: Record<WhatsappField, string> = {
  titolo: 'titolo dell’allerta',
  livello: 'codice colore in maiuscolo (ARANCIONE)',
  evento: 'tipo di evento (Neve, Rischio idraulico…)',
  comuni: 'comuni interessati (Vinci, Empoli e Cerreto Guidi)',
  descrizione: 'descrizione della situazione',
  istruzioni: 'cosa fare',
  inizio: 'inizio della validità, ora italiana',
  fine: 'fine della validità, ora italiana',
  link: 'indirizzo della pagina web dell’allerta',
}

export type ParsedTemplateVariables =
  { ok: true; fields: WhatsappField[] } | { ok: false; error: string }

const isField = (name: string): name is WhatsappField =>
  (WHATSAPP_FIELDS as readonly string[]).includes(name)

/**
 * Reads the `templateVariables` setting: names separated by commas, {{1}}
 * first. Case and spaces around names do not matter; a name outside the list,
 * an empty position or an empty setting is refused with an Italian sentence
 * that names the problem and lists the valid names.
 */
export function parseTemplateVariables(setting: string): ParsedTemplateVariables {
  const valid = WHATSAPP_FIELDS.join(', ')
  if (setting.trim() === '') {
    return {
      ok: false,
      error: `Indica almeno una variabile del modello WhatsApp, separate da virgole (valide: ${valid})`,
    }
  }
  const fields: WhatsappField[] = []
  const names = setting.split(',').map((n) => n.trim().toLocaleLowerCase('it'))
  for (const [i, name] of names.entries()) {
    if (name === '') {
      return {
        ok: false,
        error: `La variabile {{${i + 1}}} del modello WhatsApp è vuota: togli la virgola in più (valide: ${valid})`,
      }
    }
    if (!isField(name)) {
      return {
        ok: false,
        error: `Variabile del modello WhatsApp sconosciuta: «${name}» (posizione {{${i + 1}}}). Valide: ${valid}`,
      }
    }
    fields.push(name)
  }
  return { ok: true, fields }
}

/** The part of an alert the variables read (the adapters' `AlertDocument` has it). */
export interface WhatsappAlert {
  headline: string
  level: AlertLevel
  event: string
  description: string
  instruction: string
  /** ISO 8601 instants with an offset; '' when the alert has none. */
  onset: string
  expires: string
  areas: readonly { name: string }[]
  web?: string
}

/**
 * Meta refuses a template parameter with a line break, a tab or more than four
 * spaces in a row (error 132018): a paragraph becomes one line.
 */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function dateTime(iso: string): string {
  if (iso.trim() === '') return ''
  try {
    return formatItalianDateTime(iso)
  } catch {
    // An unreadable time is an empty field: templateParameters refuses it, naming the field.
    return ''
  }
}

/**
 * Every field's value for an alert, as the template receives it: the level
 * in capitals, the comuni joined in Italian, times on Rome's clock
 * ("14:00 di sabato 7 febbraio"), each on one line. A field the alert does
 * not have (no web page, no onset) is ''.
 */
export function whatsappValues(alert: WhatsappAlert): Record<WhatsappField, string> {
  return {
    titolo: oneLine(alert.headline),
    livello: levelWord(alert.level),
    evento: oneLine(alert.event),
    comuni: oneLine(joinComuni(alert.areas.map((a) => a.name))),
    descrizione: oneLine(alert.description),
    istruzioni: oneLine(alert.instruction),
    inizio: dateTime(alert.onset),
    fine: dateTime(alert.expires),
    link: oneLine(alert.web ?? ''),
  }
}

/**
 * The template's parameters in order ({{1}} first), or the fields the alert
 * leaves empty: WhatsApp refuses an empty parameter, and a hole in an alert is
 * worse than no send.
 */
export function templateParameters(
  fields: readonly WhatsappField[],
  alert: WhatsappAlert,
): { ok: true; values: string[] } | { ok: false; empty: WhatsappField[] } {
  const all = whatsappValues(alert)
  const values = fields.map((f) => all[f])
  const empty = [...new Set(fields.filter((f) => all[f] === ''))]
  return empty.length > 0 ? { ok: false, empty } : { ok: true, values }
}

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g

/** The numbers of the placeholders a template body uses, ascending, each once. */
export function bodyPlaceholders(body: string): number[] {
  const found = new Set<number>()
  for (const m of body.matchAll(PLACEHOLDER)) found.add(Number(m[1]))
  return [...found].sort((a, b) => a - b)
}

/**
 * A template body with its `{{n}}` filled from `values` ({{1}} is
 * `values[0]`), as the recipient will read it. A placeholder with no value
 * stays as written, so the preview shows the hole instead of hiding it.
 */
export function fillTemplateBody(body: string, values: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => {
    const value = values[Number(n) - 1]
    return value === undefined ? whole : value
  })
}
