/** Telegram's limit for one message, in UTF-16 code units (what JavaScript's `length` counts). */
export const TELEGRAM_MAX_TEXT = 4096

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff

/** Where to cut a window: the last paragraph, line or word break, preferring late ones. */
function cutPoint(window: string): number {
  const half = Math.floor(window.length / 2)
  const candidates = [
    window.lastIndexOf('\n\n'),
    window.lastIndexOf('\n'),
    Math.max(window.lastIndexOf(' '), window.lastIndexOf('\t')),
  ]
  // A break in the second half keeps parts balanced; otherwise take any break at all.
  for (const at of candidates) if (at >= half) return at
  for (const at of candidates) if (at > 0) return at
  // One unbroken run of text: cut hard, but never between the halves of a surrogate pair.
  const end = window.length
  return end > 1 && isHighSurrogate(window.charCodeAt(end - 1)) ? end - 1 : end
}

/**
 * Splits a text into messages of at most `max` UTF-16 units, on paragraph,
 * then line, then word boundaries, so that each part reads on its own.
 */
export function splitTelegramText(text: string, max = TELEGRAM_MAX_TEXT): string[] {
  if (text.length <= max) return [text]
  const parts: string[] = []
  let rest = text
  while (rest.length > max) {
    const at = cutPoint(rest.slice(0, max))
    const part = rest.slice(0, at).trimEnd()
    if (part.length > 0) parts.push(part)
    rest = rest.slice(at).replace(/^\s+/, '')
  }
  if (rest.length > 0) parts.push(rest)
  return parts
}

/** Telegram's limit for a photo's caption, in UTF-16 code units. */
export const TELEGRAM_MAX_CAPTION = 1024

/**
 * A text that goes with a photo: the first part is the photo's caption (at most
 * {@link TELEGRAM_MAX_CAPTION}), the rest follows as messages of up to 4096, cut on
 * the same paragraph, line and word boundaries.
 */
export function splitWithCaption(text: string): string[] {
  if (text.length <= TELEGRAM_MAX_CAPTION) return [text]
  const [caption = ''] = splitTelegramText(text, TELEGRAM_MAX_CAPTION)
  const rest = text.slice(text.indexOf(caption) + caption.length).replace(/^\s+/, '')
  return rest ? [caption, ...splitTelegramText(rest)] : [caption]
}
