import type { SuspicionKind } from './types'

/**
 * Safe display of untrusted citizen text.
 *
 * The stored text stays exactly as received; what the panel shows goes through
 * here. The result is a list of plain tokens for the renderer to put into text
 * nodes (never `v-html`): only http(s) addresses become links, and a link's
 * shown text is its real target, so `<a href=evil>bank.it</a>` tricks cannot
 * exist. Characters that reorder or hide text (bidi overrides, zero-width
 * characters, invisible tags, control characters) are removed from what is
 * shown, and anything odd is reported as a suspicion for the operator.
 *
 * Hand-written on purpose: the URL matcher of twitter-text backtracks
 * superlinearly on crafted input (seconds for 60 KB of "a."), which a hostile
 * comment must not be able to trigger in the renderer. Every pattern here is a
 * linear scan.
 */

export interface DisplayToken {
  type: 'text' | 'link'
  /** What to show. For a link, always equal to `href`. */
  text: string
  /** Links only: an absolute http(s) address without credentials. */
  href?: string
}

export interface DisplayText {
  tokens: DisplayToken[]
  /** What looked odd in the text (empty for ordinary messages). */
  suspicious: SuspicionKind[]
  /** True when `maxLength` cut the text (an ellipsis token ends the list). */
  cut: boolean
}

export interface DisplayOptions {
  /** Show at most this many UTF-16 units (list previews); links are never cut in half. */
  maxLength?: number
}

/** Longest address that still becomes a link; longer ones stay text. */
const MAX_LINK_LENGTH = 2048
/** Combining marks kept on one base character (Vietnamese needs 2; "Zalgo" text uses dozens). */
const MAX_COMBINING_MARKS = 4
/** Emoji or repeated symbols beyond this count are reported as a flood. */
const FLOOD_PICTOGRAPHS = 100
const FLOOD_REPEAT = 50

const LINE_BREAKS = /\r\n?|[\u2028\u2029]/g
/** C0 (except tab and newline), DEL and C1 controls: matching them is the point. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g
/** Embeddings, overrides and isolates: they reorder what follows. */
const BIDI_OVERRIDES = /[\u202A-\u202E\u2066-\u2069]/g
/** Directional marks: harmless alone, but removed so nothing reorders the room's layout. */
const BIDI_MARKS = /[\u200E\u200F\u061C]/g
/**
 * Invisible characters with no legitimate use in a citizen message. The
 * combining ones (grapheme joiner, Khmer and Mongolian selectors, the
 * supplementary variation selectors used to smuggle data) are alternatives,
 * not class members, so each is matched on its own.
 */
const INVISIBLE =
  /[\u00AD\u115F\u1160\u180E\u200B\u2060-\u2064\u206A-\u206F\u3164\uFEFF\uFFA0\uFFF9-\uFFFB\u{1D173}-\u{1D17A}\u{E0001}]|\u034F|\u17B4|\u17B5|\u180B|\u180C|\u180D|\u180F|\p{Variation_Selector}(?<=[\u{E0100}-\u{E01EF}])/gu
/** Zero-width joiner outside an emoji sequence (inside one it builds 👨‍👩‍👧). */
const STRAY_ZWJ =
  /(?<!\p{Extended_Pictographic}(?:\u{FE0F}|\p{Emoji_Modifier})?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu
/** Zero-width non-joiner is spelling in Persian and Indic scripts; elsewhere it hides word breaks. */
const STRAY_ZWNJ =
  /(?<![\p{L}\p{M}])\u200C|\u200C(?![\p{L}\p{M}])|(?<=[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]\p{M}*)\u200C/gu
/** Tag characters are only meaningful inside a flag sequence (🏴 + a few tags + cancel tag). */
const TAGS = /(\u{1F3F4}[\u{E0020}-\u{E007E}]{1,8}\u{E007F})|[\u{E0020}-\u{E007F}]+/gu
/** Variation selectors after something that is not a base character (smuggled data). */
const STRAY_SELECTORS =
  /(?<=\p{Variation_Selector})\p{Variation_Selector}+|^\p{Variation_Selector}+|(?<=\s)\p{Variation_Selector}+/gu
const COMBINING_RUN = new RegExp(`(\\p{M}{${MAX_COMBINING_MARKS}})\\p{M}+`, 'gu')

const MARKUP = /<\s*\/?\s*[a-z!?][^<>]{0,200}>|&(?:#x?[0-9a-f]{1,8}|[a-z]{2,10});/i
const SCRIPT_LINK = /(?:java|vb|live)\s*script\s*:|data\s*:\s*[a-z]+\/[a-z0-9.+-]+\s*[;,]/i
const PICTOGRAPH = /\p{Extended_Pictographic}/gu
const REPEAT = new RegExp(`(.)\\1{${FLOOD_REPEAT - 1},}`, 'su')

/** A candidate address: scheme, then anything up to a space, quote or angle bracket. */
const LINK_CANDIDATE = /(?<![\p{L}\p{N}_])https?:\/\/[^\s<>"'`{}|\\^]+/giu
const TRAILING_PUNCTUATION = new Set([...'.,;:!?\'"»…'])
const CLOSERS: Record<string, string> = { ')': '(', ']': '[' }

/** Removes what reorders or hides text, reporting what it found. */
export function cleanForDisplay(text: string): { text: string; found: SuspicionKind[] } {
  const found = new Set<SuspicionKind>()
  const strip = (value: string, pattern: RegExp, kind?: SuspicionKind): string =>
    value.replace(pattern, () => {
      if (kind) found.add(kind)
      return ''
    })
  let out = text.replace(LINE_BREAKS, '\n')
  out = strip(out, CONTROLS, 'control')
  out = strip(out, BIDI_OVERRIDES, 'bidi_control')
  out = strip(out, BIDI_MARKS)
  out = strip(out, INVISIBLE, 'invisible')
  out = strip(out, STRAY_ZWJ, 'invisible')
  out = strip(out, STRAY_ZWNJ, 'invisible')
  out = out.replace(TAGS, (whole, flag: string | undefined) => {
    if (flag !== undefined) return flag
    found.add('invisible')
    return ''
  })
  out = strip(out, STRAY_SELECTORS, 'invisible')
  out = out.replace(COMBINING_RUN, (_whole, kept: string) => {
    found.add('flood')
    return kept
  })
  return { text: out, found: [...found] }
}

/** Ends the candidate where a sentence would: trailing punctuation and unmatched closers stay text. */
function trimCandidate(candidate: string): string {
  // Counted once, then updated while trimming: a run of ")))…" costs one pass, not one per ")".
  const count: Record<string, number> = { '(': 0, ')': 0, '[': 0, ']': 0 }
  for (const ch of candidate) if (ch in count) count[ch] = (count[ch] ?? 0) + 1
  let end = candidate.length
  while (end > 0) {
    const ch = candidate[end - 1] as string
    const opener = CLOSERS[ch]
    if (TRAILING_PUNCTUATION.has(ch)) end--
    else if (opener !== undefined && (count[ch] ?? 0) > (count[opener] ?? 0)) {
      count[ch] = (count[ch] ?? 0) - 1
      end--
    } else break
  }
  return candidate.slice(0, end)
}

/** The address a candidate really leads to, or undefined when it is not a web link. */
function realTarget(candidate: string): { href: string; odd: boolean } | undefined {
  if (candidate.length > MAX_LINK_LENGTH) return undefined
  let url: URL
  try {
    url = new URL(candidate)
  } catch {
    return undefined
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    return undefined
  // Credentials before the host ("https://bank.it@evil.example/") only serve to mislead.
  const hadCredentials = url.username !== '' || url.password !== ''
  url.username = ''
  url.password = ''
  const punycode = url.hostname.split('.').some((label) => label.startsWith('xn--'))
  return { href: url.href, odd: hadCredentials || punycode }
}

/** Splits cleaned text into text and link tokens. */
function tokenize(text: string, found: Set<SuspicionKind>): DisplayToken[] {
  const tokens: DisplayToken[] = []
  let at = 0
  const pushText = (value: string) => {
    if (value === '') return
    const last = tokens.at(-1)
    if (last?.type === 'text') last.text += value
    else tokens.push({ type: 'text', text: value })
  }
  for (const match of text.matchAll(LINK_CANDIDATE)) {
    const start = match.index
    const candidate = trimCandidate(match[0])
    const target = realTarget(candidate)
    if (!target) continue
    if (target.odd) found.add('lookalike_link')
    pushText(text.slice(at, start))
    tokens.push({ type: 'link', text: target.href, href: target.href })
    at = start + candidate.length
  }
  pushText(text.slice(at))
  return tokens
}

/** The last grapheme boundary at or before `index` (never splits an emoji or an accent). */
function graphemeBoundary(text: string, index: number): number {
  const segmenter = new Intl.Segmenter('it', { granularity: 'grapheme' })
  let boundary = 0
  for (const { index: start, segment } of segmenter.segment(text.slice(0, index + 64))) {
    if (start + segment.length > index) break
    boundary = start + segment.length
  }
  return boundary
}

/** Keeps whole tokens up to `maxLength`; a link that does not fit is left out, not cut. */
function cutTokens(
  tokens: DisplayToken[],
  maxLength: number,
): { tokens: DisplayToken[]; cut: boolean } {
  const out: DisplayToken[] = []
  let used = 0
  for (const token of tokens) {
    if (used + token.text.length <= maxLength) {
      out.push(token)
      used += token.text.length
      continue
    }
    if (token.type === 'text') {
      const end = graphemeBoundary(token.text, maxLength - used)
      if (end > 0) out.push({ type: 'text', text: token.text.slice(0, end) })
    }
    out.push({ type: 'text', text: '…' })
    return { tokens: out, cut: true }
  }
  return { tokens: out, cut: false }
}

/** Suspicions read from the original text: markup, script addresses, floods. */
function contentSuspicion(text: string, found: Set<SuspicionKind>): void {
  if (MARKUP.test(text)) found.add('markup')
  if (SCRIPT_LINK.test(text)) found.add('script_link')
  let pictographs = 0
  for (const _ of text.matchAll(PICTOGRAPH)) if (++pictographs > FLOOD_PICTOGRAPHS) break
  if (pictographs > FLOOD_PICTOGRAPHS || REPEAT.test(text)) found.add('flood')
}

const KIND_ORDER: readonly SuspicionKind[] = [
  'markup',
  'script_link',
  'bidi_control',
  'invisible',
  'lookalike_link',
  'control',
  'truncated',
  'flood',
]
const orderKinds = (kinds: Set<SuspicionKind>): SuspicionKind[] =>
  KIND_ORDER.filter((k) => kinds.has(k))

/**
 * Turns untrusted text into display tokens: text to show as text, and http(s)
 * links whose shown text is their real target. Never throws; linear in the
 * length of the text.
 */
export function toDisplayTokens(text: string, options: DisplayOptions = {}): DisplayText {
  const cleaned = cleanForDisplay(text)
  const found = new Set<SuspicionKind>(cleaned.found)
  contentSuspicion(text, found)
  const all = tokenize(cleaned.text, found)
  const { tokens, cut } =
    options.maxLength === undefined
      ? { tokens: all, cut: false }
      : cutTokens(all, Math.max(0, options.maxLength))
  return { tokens, suspicious: orderKinds(found), cut }
}

/** What looks odd in a text (the same verdict `toDisplayTokens` gives), e.g. to flag it at ingest. */
export function detectSuspicion(text: string): SuspicionKind[] {
  return toDisplayTokens(text).suspicious
}
