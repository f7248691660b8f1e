/** Machine codes for everything that can go wrong reading a feed; the UI may translate them. */
export type FeedErrorCode =
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'http'
  | 'rate_limited'
  | 'too_large'
  | 'internal_address'
  | 'redirect_loop'
  | 'too_many_redirects'
  | 'bad_redirect'
  | 'bad_url'
  | 'encoding'
  | 'malformed'
  | 'doctype'
  | 'not_a_feed'
  | 'invalid_cap'
  | 'invalid_json'
  | 'internal'

/**
 * A failure reading a feed, with a sentence for the operator (Italian, the operator language)
 * recorded on the source. Never carries secrets: URLs of feeds are public.
 */
export class FeedError extends Error {
  override name = 'FeedError'

  constructor(
    readonly code: FeedErrorCode,
    message: string,
    readonly extra: { status?: number; retryAfterMs?: number; details?: string[] } = {},
  ) {
    super(message)
  }
}

/** Any thrown value as a FeedError, so the poller always records something readable. */
export function toFeedError(err: unknown): FeedError {
  if (err instanceof FeedError) return err
  const message = err instanceof Error ? err.message : String(err)
  return new FeedError('internal', `errore inatteso leggendo il feed: ${message}`)
}
