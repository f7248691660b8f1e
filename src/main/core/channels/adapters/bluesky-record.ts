import { createHash } from 'node:crypto'
import { AppBskyRichtextFacet, RichText, type Agent } from '@atproto/api'

/**
 * Pure helpers to build an `app.bsky.feed.post` record: a deterministic record
 * key, the facets (links, mentions, hashtags) and the grapheme count Bluesky limits,
 * the last two from the official `@atproto/api`.
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

/** Number of user-perceived characters, as Bluesky counts them (the library's own count). */
export function countGraphemes(text: string): number {
  return new RichText({ text }).graphemeLength
}

export type Facet = AppBskyRichtextFacet.Main

/**
 * The post's facets, found by the official `RichText`: links, hashtags
 * (`#tag`) and mentions, with UTF-8 byte offsets. A mention is resolved to its
 * DID through the PDS (`com.atproto.identity.resolveHandle`, via `agent`);
 * one that does not resolve (unknown handle, no answer) stays plain text,
 * since a mention facet without a DID is invalid.
 */
export async function postFacets(text: string, agent: Agent): Promise<Facet[]> {
  const rt = new RichText({ text })
  await rt.detectFacets(agent)
  const facets: Facet[] = []
  for (const facet of rt.facets ?? []) {
    const features = facet.features.filter(
      (f) => !AppBskyRichtextFacet.isMention(f) || f.did.startsWith('did:'),
    )
    if (features.length > 0) facets.push({ ...facet, features })
  }
  return facets
}
