/** Why a poll failed, as a code the room shows and the scheduler backs off on. */
export type InboundErrorCode =
  | 'rate_limited'
  | 'auth'
  | 'permission'
  | 'conflict'
  | 'provider_unavailable'
  | 'rejected'
  | 'bad_response'
  | 'timeout'
  | 'network'
  | 'aborted'
  | 'config'
  | 'internal'

/**
 * A failed poll. Messages are Italian sentences for the operator, already
 * cleaned of every secret; `retryAfterMs` carries the provider's own hint.
 */
export class InboundError extends Error {
  override name = 'InboundError'
  constructor(
    readonly code: InboundErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message)
  }
}
