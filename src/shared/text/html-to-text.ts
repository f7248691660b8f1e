/**
 * Plain text from the HTML that feeds, partners' websites and social networks
 * send. The only HTML-to-text in Vedetta: feeds, citizens' messages and the
 * relay watch all read through it.
 *
 * The room shows text only (nothing here is ever rendered as markup), so the
 * goal is readable text: line breaks and block ends become newlines, comments,
 * scripts and styles disappear, every other tag is dropped, entities are
 * decoded once.
 *
 * A single left-to-right scan, linear in the input whatever it holds. Hostile
 * input is the reason it is hand-written rather than a chain of regular
 * expressions: `<[^>]*>` or a lazy `<script>[\s\S]*?</script>` rescans the rest
 * of the text at every `<`, and 5 MiB of `<` would keep the process busy for
 * hours. Each search below starts where the previous one ended or remembers
 * that nothing is left to find, so no character is looked at more than a few
 * times. A DOM parser would be linear too, but the core has no DOM and needs
 * none of its tree.
 */

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
}

/** Tags whose end closes a line of text. */
const BLOCK_ENDS = new Set(['p', 'div', 'li', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'])
/** What may follow "<" for it to open a tag, a comment or a declaration. */
const TAG_START = /^[a-z/!?]$/i
/** Tags whose content is never text. */
const HIDDEN = new Set(['script', 'style'])

/** Decodes character references once; invalid or unknown ones stay as written. */
export function decodeEntities(text: string): string {
  // Bounded quantifiers: each match looks at most a dozen characters ahead.
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

/**
 * Finds a substring at or after `from`, remembering the last answer: asked
 * again from a position before the last hit it answers at once, and once the
 * substring is known to be absent it never searches again.
 */
function forwardFinder(haystack: string, needle: string): (from: number) => number {
  let last = -2
  return (from) => {
    if (last === -1 || (last >= from && last !== -2)) return last
    last = haystack.indexOf(needle, from)
    return last
  }
}

/** The lower-case name of a tag, from the start of the text between `<` and `>`. */
function tagName(inner: string): { name: string; closing: boolean } {
  const closing = inner.startsWith('/')
  const match = /^\/?\s*([a-z][a-z0-9]*)/i.exec(inner)
  return { name: match ? match[1]!.toLowerCase() : '', closing }
}

/** Whitespace as a reader expects it: single spaces, no blanks around line ends, at most one empty line. */
function tidy(text: string): string {
  return text
    .replace(/[ \t\r\f\v\u00a0]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** The text of an HTML fragment ('' when nothing readable is left). */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return tidy(html)
  let lower: string | undefined // for finding `</script` in any case; made only if a script or style appears
  const nextGt = forwardFinder(html, '>')
  const nextLt = forwardFinder(html, '<')
  const nextCommentEnd = forwardFinder(html, '-->')
  const hiddenEnds = new Map<string, (from: number) => number>()
  const out: string[] = []
  let text = 0 // where the text not yet copied to `out` begins
  let i = 0
  while (i < html.length) {
    const lt = nextLt(i)
    if (lt === -1) break
    if (!TAG_START.test(html.charAt(lt + 1))) {
      i = lt + 1 // "< 3", "<<": a "<" that opens no tag is text, as in a browser
      continue
    }
    if (html.startsWith('<!--', lt)) {
      out.push(html.slice(text, lt))
      const end = nextCommentEnd(lt + 4)
      if (end === -1) return finish(out) // an unclosed comment hides the rest, as in a browser
      i = text = end + 3
      continue
    }
    const gt = nextGt(lt + 1)
    const innerLt = nextLt(lt + 1)
    if (gt === -1 || (innerLt !== -1 && innerLt < gt)) {
      i = lt + 1 // no ">" before the next "<": not a tag
      continue
    }
    out.push(html.slice(text, lt))
    const { name, closing } = tagName(html.slice(lt + 1, Math.min(gt, lt + 41)))
    i = text = gt + 1
    if (name === 'br') out.push('\n')
    else if (name === 'p' && closing) out.push('\n\n')
    else if (closing && BLOCK_ENDS.has(name)) out.push('\n')
    else if (!closing && HIDDEN.has(name)) {
      let finder = hiddenEnds.get(name)
      lower ??= html.toLowerCase()
      if (!finder) hiddenEnds.set(name, (finder = forwardFinder(lower, `</${name}`)))
      const end = finder(i)
      if (end === -1) return finish(out) // an unclosed script or style is never text
      const close = nextGt(end)
      i = text = close === -1 ? html.length : close + 1
    }
  }
  out.push(html.slice(text))
  return finish(out)
}

function finish(out: string[]): string {
  return tidy(decodeEntities(out.join('')))
}

/** Feeds' optional fields: no text at all is `null`. */
export function htmlToOptionalText(html: string | null): string | null {
  if (html === null) return null
  const text = htmlToText(html)
  return text === '' ? null : text
}
