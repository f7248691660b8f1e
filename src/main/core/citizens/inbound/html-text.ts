/**
 * Plain text from the small HTML a social network sends (Mastodon statuses):
 * paragraphs and line breaks become newlines, every tag is dropped, entities
 * are decoded. Nothing of the markup survives, so the result is only ever
 * shown as text. Hand-written rather than the feeds' converter because every
 * pattern here is linear: `<[^<>]*>` cannot rescan the text at each "<" the way
 * `<[^>]*>` or a lazy `<script>…</script>` match does on hostile input.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
}

/** Decodes character references; invalid or unknown ones stay as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const hex = ref[1] === 'x' || ref[1] === 'X'
      const code = hex ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff)
      return valid ? String.fromCodePoint(code) : whole
    }
    return NAMED[ref.toLowerCase()] ?? whole
  })
}

/** The text of an HTML fragment. */
export function htmlFragmentToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/p\s*>\s*<p(?:\s[^<>]*)?>/gi, '\n\n')
      .replace(/<[^<>]*>/g, ''),
  ).trim()
}
