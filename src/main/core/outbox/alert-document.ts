import { ALERT_KIND_LABELS, type AlertKind } from '../../../shared/templates/alert-kinds'
import type { Alert } from '../alerts/types'
import type { AlertDocument } from '../channels/adapter'
import { toCapDateTime } from '../channels/adapters/website/cap-time'

/**
 * The structured alert one version publishes (CAP and Atom on the website; the
 * thread of e-mails): its own level, areas, validity and words, with
 * `references` to every version before it.
 *
 * A "cessata allerta" (Cancel) is drafted from the alert it closes, so its
 * headline, description and instruction may still be the warning's. What it
 * publishes are its own words: a field the operator changed, or else its
 * website text (first paragraph as headline, the rest as description), or its
 * e-mail. Its level is green: the alert is over.
 *
 * Every version with an English website text (`website_en`, from the English
 * twin of its template, editable in the composer) carries its English words
 * too, for the CAP `en-GB` info; comune names stay Italian.
 */

/** The longest first paragraph of the website text still read as its title. */
const MAX_TITLE_LENGTH = 200

/** The website text as title and body: a short first paragraph followed by others is the title. */
export function splitPageText(text: string): { title: string; body: string } {
  const paragraphs = text
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
  const first = paragraphs[0] ?? ''
  if (paragraphs.length >= 2 && !first.includes('\n') && first.length <= MAX_TITLE_LENGTH)
    return { title: first, body: paragraphs.slice(1).join('\n\n') }
  return { title: '', body: paragraphs.join('\n\n') }
}

/** The value when the version has its own (not blank, not the one of the version before). */
function own(value: string, before: string | undefined): string {
  const clean = value.trim()
  return clean !== '' && clean !== before?.trim() ? clean : ''
}

/** A cessata's headline, description and instruction, from its own fields or its texts. */
function cessataWords(
  alert: Alert,
  previous: Alert | undefined,
  event: string,
): Pick<AlertDocument, 'headline' | 'description' | 'instruction'> {
  const page = splitPageText(alert.texts.website ?? '')
  const headline =
    own(alert.headline, previous?.headline) ||
    page.title ||
    (alert.texts.email_subject ?? '').trim() ||
    `${ALERT_KIND_LABELS.it.cessata_allerta}: ${event}`
  const description =
    own(alert.description, previous?.description) ||
    page.body ||
    (alert.texts.email_body ?? '').trim() ||
    (alert.texts.sms ?? '').trim()
  return { headline, description, instruction: own(alert.instruction, previous?.instruction) }
}

/**
 * The kind behind a version's CAP event: its own, except that a version drafted
 * as "cessata allerta" speaks of the event it closes.
 */
function eventKindOf(alert: Alert, chain: readonly Alert[]): AlertKind {
  const closed =
    alert.kind === 'cessata_allerta'
      ? [...chain].reverse().find((a) => a.kind !== 'cessata_allerta')
      : undefined
  return (closed ?? alert).kind
}

/** Where the instruction starts in an English website text: a paragraph "What to do: …". */
const WHAT_TO_DO = /^what to do:\s*/i

/**
 * An English website text (`website_en`) as CAP fields: its first paragraph the
 * headline (as {@link splitPageText} reads it), the paragraphs up to one that
 * opens "What to do:" the description, that one (without the words) and what
 * follows the instruction.
 */
export function englishPageWords(
  text: string,
): Pick<AlertDocument, 'headline' | 'description' | 'instruction'> {
  const { title, body } = splitPageText(text)
  const paragraphs = body === '' ? [] : body.split('\n\n')
  const at = paragraphs.findIndex((p) => WHAT_TO_DO.test(p))
  if (at < 0) return { headline: title, description: body, instruction: '' }
  const instruction = [paragraphs[at]!.replace(WHAT_TO_DO, ''), ...paragraphs.slice(at + 1)]
    .join('\n\n')
    .trim()
  return { headline: title, description: paragraphs.slice(0, at).join('\n\n'), instruction }
}

/** The version's English words, when its English website text says anything. */
function englishWords(alert: Alert, kind: AlertKind): AlertDocument['english'] {
  const text = (alert.texts.website_en ?? '').trim()
  if (text === '') return undefined
  return { event: ALERT_KIND_LABELS.en[kind], ...englishPageWords(text) }
}

/**
 * The structured alert for CAP, Atom and e-mail threads.
 * @param chain the versions before this one, oldest first (AlertsRepository.referenceChain)
 * @param sender the CAP sender of the account that publishes it
 */
export function alertDocument(alert: Alert, chain: Alert[], sender: string): AlertDocument {
  const capTime = (value: string | null) => toCapDateTime(value ?? alert.createdAt) ?? ''
  const eventKind = eventKindOf(alert, chain)
  const event = ALERT_KIND_LABELS.it[eventKind]
  const english = englishWords(alert, eventKind)
  const cancel = alert.msgType === 'Cancel'
  const words = cancel
    ? cessataWords(alert, chain.at(-1), event)
    : { headline: alert.headline, description: alert.description, instruction: alert.instruction }
  return {
    identifier: alert.identifier,
    sent: capTime(alert.confirmedAt),
    status: alert.mode === 'drill' ? 'Exercise' : 'Actual',
    msgType: alert.msgType,
    references: chain.map((a) => `${sender},${a.identifier},${capTime(a.confirmedAt)}`),
    earlierIdentifiers: chain.map((a) => a.identifier),
    event,
    level: cancel ? 'verde' : alert.level,
    ...words,
    onset: capTime(alert.validFrom),
    expires: capTime(alert.validTo),
    areas: alert.comuni.map((c) => ({
      name: c.name,
      ...(c.istatCode ? { geocode: { valueName: 'ISTAT', value: c.istatCode } } : {}),
    })),
    ...(english ? { english } : {}),
  }
}
