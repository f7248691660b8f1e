import { createHash } from 'node:crypto'

/**
 * Pure helpers to build an `app.bsky.feed.post` record: a deterministic record
 * key, link facets with UTF-8 byte offsets, and the grapheme count Bluesky limits.
 */

/** Bluesky's limits for post text: graphemes, and UTF-8 bytes (emoji sequences are heavy). */
export const BLUESKY_MAX_GRAPHEMES = 300
export const BLUESKY_MAX_BYTES = 3000

const TID_ALPHABET = '234567abcdefghijklmnopqrstuvwxyz'
/** TID syntax from the atproto spec: 13 base32-sortable characters, top bit zero. */
export const TID_RE = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/

/**
 * The record key for an outbox row: a syntactically valid TID derived from a
 * hash of the idempotency key, so every retry writes to the same key and the
 * repository refuses a second post. (Posts require TID keys; the embedded
 * "timestamp" is therefore arbitrary, which atproto tolerates for rkeys.)
 */
export function recordKeyFor(idempotencyKey: string): string {
  const digest = createHash('sha256').update(`vedetta:${idempotencyKey}`).digest()
  // 64 bits with the top bit cleared, as the TID format requires.
  let value = digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn
  let out = ''
  for (let i = 0; i < 13; i++) {
    out = TID_ALPHABET[Number(value & 31n)] + out
    value >>= 5n
  }
  return out
}

const graphemes = new Intl.Segmenter('it', { granularity: 'grapheme' })

/** Number of user-perceived characters, as Bluesky counts them. */
export function countGraphemes(text: string): number {
  return [...graphemes.segment(text)].length
}

export interface LinkFacet {
  index: { byteStart: number; byteEnd: number }
  features: { $type: 'app.bsky.richtext.facet#link'; uri: string }[]
}

/** http(s) links; trailing punctuation is left out, as readers expect. */
const URL_RE = /https?:\/\/[^\s<>"]+/g
const TRAILING_PUNCTUATION_RE = /[.,;:!?)\]'"»]+$/

/** Link facets for every URL in the text: Bluesky does not autolink plain text. */
export function linkFacets(text: string): LinkFacet[] {
  const encoder = new TextEncoder()
  const facets: LinkFacet[] = []
  for (const match of text.matchAll(URL_RE)) {
    const uri = match[0].replace(TRAILING_PUNCTUATION_RE, '')
    if (!URL.canParse(uri)) continue
    const byteStart = encoder.encode(text.slice(0, match.index)).length
    facets.push({
      index: { byteStart, byteEnd: byteStart + encoder.encode(uri).length },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri }],
    })
  }
  return facets
}
