import { DRILL_MARKER, DRILL_MARKER_EN } from '../../../shared/templates/variables'
import type { AlertDocument, OutgoingMessage } from '../channels/adapter'

/**
 * The drill marker ("ESERCITAZIONE - " by default, worded in the workspace
 * settings) at the start of every text a drill sends. Templates put it there
 * with `{{esercitazione}}`; these functions make sure of it whatever the
 * operator typed, at the last moment before a (simulated) channel gets it.
 */

/** The text with the marker at its very start (leading blanks dropped). */
export function markDrillText(text: string, marker: string): string {
  // Settings are saved trimmed: the marker and the text are always one space apart.
  const wording = marker.trim() === '' ? DRILL_MARKER : `${marker.trim()} `
  if (text.startsWith(wording.trimEnd())) return text
  // A template's default marker is replaced by the configured wording, not doubled.
  const rest =
    wording !== DRILL_MARKER && text.startsWith(DRILL_MARKER)
      ? text.slice(DRILL_MARKER.length)
      : text.replace(/^\s+/, '')
  return wording + rest
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** An HTML body opens with the marker too, as its first paragraph. */
export function markDrillHtml(html: string, marker: string): string {
  const banner = `<p><strong>${escapeHtml(marker.trim() || DRILL_MARKER.trim())}</strong></p>`
  const body = /<body[^>]*>/i.exec(html)
  if (!body) return banner + html
  const at = body.index + body[0].length
  return html.slice(0, at) + banner + html.slice(at)
}

/** An English headline opens with the English marker ("EXERCISE - "), never doubled. */
function markEnglish(text: string): string {
  return text.startsWith(DRILL_MARKER_EN.trimEnd())
    ? text
    : DRILL_MARKER_EN + text.replace(/^\s+/, '')
}

/**
 * A structured alert of a drill is an exercise, whatever it says (CAP `status`
 * Exercise); its headline opens with the marker, its English one with the English marker.
 */
function markDocument(alert: AlertDocument, marker: string): AlertDocument {
  return {
    ...alert,
    status: 'Exercise',
    headline: markDrillText(alert.headline, marker),
    ...(alert.english
      ? { english: { ...alert.english, headline: markEnglish(alert.english.headline) } }
      : {}),
  }
}

/**
 * A spoken text opens with the marker said as a sentence ("Esercitazione."):
 * a synthesised voice spells out capitals and reads nothing of a dash.
 */
export function markDrillSpoken(text: string, marker: string): string {
  const word = (marker.trim() || DRILL_MARKER).replace(/[\s\-–—:.]+$/u, '').trim()
  const sentence = word.charAt(0).toUpperCase() + word.slice(1).toLowerCase() + '.'
  let rest = text.replace(/^\s+/, '')
  // The written marker a template put there is replaced by the spoken one, not doubled.
  for (const written of [marker.trim(), DRILL_MARKER.trim()]) {
    if (written !== '' && rest.startsWith(written))
      rest = rest.slice(written.length).replace(/^[\s\-–—:.]+/u, '')
  }
  return rest.toLowerCase().startsWith(sentence.toLowerCase()) ? rest : `${sentence} ${rest}`
}

/** Every text of an outgoing message marked: body, subject, HTML, the CAP document. */
export function markDrillMessage(
  message: OutgoingMessage,
  marker: string,
  options: { spoken?: boolean } = {},
): OutgoingMessage {
  return {
    ...message,
    text: options.spoken
      ? markDrillSpoken(message.text, marker)
      : markDrillText(message.text, marker),
    ...(message.subject === undefined ? {} : { subject: markDrillText(message.subject, marker) }),
    ...(message.html === undefined ? {} : { html: markDrillHtml(message.html, marker) }),
    ...(message.alert === undefined ? {} : { alert: markDocument(message.alert, marker) }),
  }
}
