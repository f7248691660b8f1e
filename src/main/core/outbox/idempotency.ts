/**
 * Idempotency keys of outbox rows. The key is what a provider that honours one
 * (gateway `order_id`, Mastodon `Idempotency-Key`, Bluesky record key) uses to
 * refuse a second message, so it must be the same for every attempt of a row
 * and different for every row. Adapters hash it when the provider wants a
 * shorter or plainer token.
 */

/** The key of one (alert, account, destination): `identifier:accountId:address` or `…:page`. */
export function idempotencyKeyFor(
  alertIdentifier: string,
  accountId: number,
  address: string | null,
): string {
  return `${alertIdentifier}:${accountId}:${address === null ? 'page' : address}`
}

const GENERATION_RE = /~(\d+)$/

/**
 * A fresh key for a deliberate resend of a row the provider already accepted
 * (the operator retries a failed delivery): with the old key an idempotent
 * provider would swallow the resend. `k` → `k~2` → `k~3`…
 */
export function nextGenerationKey(key: string): string {
  const m = GENERATION_RE.exec(key)
  if (!m?.[1]) return `${key}~2`
  return `${key.slice(0, m.index)}~${Number(m[1]) + 1}`
}
