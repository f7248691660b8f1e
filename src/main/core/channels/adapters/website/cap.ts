import { XMLBuilder } from 'fast-xml-parser'
import type { AlertDocument } from '../../adapter'
import { capCategories, capLevel } from './cap-mapping'
import { toCapDateTime } from './cap-time'
import { xmlSafeText } from './xml-text'

/**
 * One alert as a CAP 1.2 document (OASIS, urn:oasis:names:tc:emergency:cap:1.2),
 * elements in the order the schema requires, text escaped by fast-xml-parser's
 * builder. Inputs CAP forbids are refused with a reason for the operator.
 */

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2'

/** An alert that cannot become valid CAP; the message is for the operator. */
export class CapInputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CapInputError'
  }
}

export interface CapOptions {
  /** CAP sender: the authority's stable id (settings.senderId). */
  sender: string
  /** Human name of the sender, shown by CAP readers. */
  senderName?: string
  /** A file published beside the CAP (the alert map card), as its `<resource>`. */
  resource?: CapResource
}

/** CAP 1.2 `<resource>`: what the file is (its alt text), its type, size, address and SHA-1. */
export interface CapResource {
  resourceDesc: string
  mimeType: string
  size: number
  uri: string
  /** SHA-1 of the file, hexadecimal (CAP 1.2 §3.2.3). */
  digest: string
}

/** CAP 1.2 §3.2.1: identifier and sender MUST NOT include spaces, commas or `<` `&`. */
const CAP_TOKEN = /^[^\s,<&]+$/

function token(value: string, field: string): string {
  const clean = xmlSafeText(value)
  if (!clean || !CAP_TOKEN.test(clean)) {
    throw new CapInputError(
      `Il campo CAP "${field}" è vuoto o contiene spazi, virgole, < o &: "${value}"`,
    )
  }
  return clean
}

function dateTime(value: string, field: string): string {
  const formatted = toCapDateTime(value)
  if (!formatted)
    throw new CapInputError(`Il campo CAP "${field}" non è una data valida: "${value}"`)
  return formatted
}

/** Optional text elements are left out when blank rather than written empty. */
function optionalText(value: string | undefined): string | undefined {
  const clean = value === undefined ? '' : xmlSafeText(value)
  return clean === '' ? undefined : clean
}

function references(alert: AlertDocument): string | undefined {
  if (alert.msgType === 'Alert')
    return alert.references.length ? refList(alert.references) : undefined
  if (alert.references.length === 0) {
    throw new CapInputError(
      `Un messaggio di tipo ${alert.msgType} deve indicare il messaggio a cui si riferisce (references)`,
    )
  }
  return refList(alert.references)
}

/** CAP references: space-separated "sender,identifier,sent" triples. */
function refList(entries: string[]): string {
  return entries
    .map((entry) => {
      const clean = xmlSafeText(entry)
      if (!/^[^\s,]+,[^\s,]+,[^\s,]+$/.test(clean)) {
        throw new CapInputError(
          `Riferimento CAP non valido (atteso "mittente,identificativo,data"): "${entry}"`,
        )
      }
      return clean
    })
    .join(' ')
}

function area(entry: AlertDocument['areas'][number]): Record<string, unknown> {
  const areaDesc = optionalText(entry.name)
  if (!areaDesc) throw new CapInputError("Un'area dell'allerta non ha nome")
  const geocode = entry.geocode
  if (!geocode) return { areaDesc }
  const valueName = optionalText(geocode.valueName)
  const value = optionalText(geocode.value)
  if (!valueName || !value)
    throw new CapInputError(`Il codice dell'area "${areaDesc}" è incompleto`)
  return { areaDesc, geocode: { valueName, value } }
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
})

/** Drops undefined members so the builder does not write empty elements for them. */
function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined))
}

/**
 * Builds the CAP XML text of an alert.
 * @throws CapInputError when the alert cannot be expressed as valid CAP
 */
export function buildCapXml(alert: AlertDocument, options: CapOptions): string {
  const level = capLevel(alert.level, alert.msgType)
  const event = optionalText(alert.event)
  if (!event) throw new CapInputError("Manca il tipo di evento dell'allerta")
  const english = alert.english
  const englishEvent = english ? optionalText(english.event) : undefined
  if (english && !englishEvent)
    throw new CapInputError("Manca il tipo di evento dell'allerta in inglese")
  // One info per language (CAP 1.2 §3.2.2): the same codes, times, parameters and areas,
  // the words in Italian, then in English. Categories follow the Italian event.
  const infoIn = (
    language: string,
    words: Pick<AlertDocument, 'event' | 'headline' | 'description' | 'instruction'>,
  ) =>
    defined({
      language,
      category: capCategories(event),
      event: language === 'it-IT' ? event : englishEvent,
      urgency: level.urgency,
      severity: level.severity,
      certainty: level.certainty,
      onset: dateTime(alert.onset, 'onset'),
      expires: dateTime(alert.expires, 'expires'),
      senderName: optionalText(options.senderName),
      headline: optionalText(words.headline),
      description: optionalText(words.description),
      instruction: optionalText(words.instruction),
      web: optionalText(alert.web),
      parameter: { valueName: 'awareness_level', value: level.awarenessLevel },
      // CAP orders a resource after the parameters and before the areas.
      resource: options.resource
        ? {
            resourceDesc: xmlSafeText(options.resource.resourceDesc),
            mimeType: options.resource.mimeType,
            size: options.resource.size,
            uri: options.resource.uri,
            digest: options.resource.digest,
          }
        : undefined,
      area: alert.areas.map(area),
    })
  const info = english ? [infoIn('it-IT', alert), infoIn('en-GB', english)] : infoIn('it-IT', alert)
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    alert: defined({
      '@_xmlns': CAP_NAMESPACE,
      identifier: token(alert.identifier, 'identifier'),
      sender: token(options.sender, 'sender'),
      sent: dateTime(alert.sent, 'sent'),
      status: alert.status,
      msgType: alert.msgType,
      scope: 'Public',
      references: references(alert),
      info,
    }),
  }
  return builder.build(document) as string
}
