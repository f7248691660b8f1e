import type { ChannelKind } from '../../../../shared/channels/kinds'
import type { IncomingCitizenMessage } from '../types'

/** What one poll brought: messages (oldest first) and where the next poll starts. */
export interface InboundPollResult {
  messages: IncomingCitizenMessage[]
  /** Provider cursor to persist; the same as the input when nothing new arrived. */
  nextCursor: string | null
}

/** Reads what citizens sent to one channel account since a cursor. */
export interface InboundPoller {
  readonly accountId: number
  readonly kind: ChannelKind
  /**
   * Fetches messages after `sinceCursor` (null: first poll). Throws
   * {@link InboundError} when the provider fails; never logs or returns secrets.
   */
  poll(sinceCursor: string | null, signal?: AbortSignal): Promise<InboundPollResult>
}

/** The account an inbound poller reads, as stored (settings validated by their schema). */
export interface InboundAccount {
  id: number
  kind: ChannelKind
  settings: Record<string, unknown>
}

/** What every inbound poller is given besides its account. */
export interface InboundContext {
  /** Decrypted secrets of an account, asked for on every poll (so a new token applies at once). */
  secretsFor(accountId: number): Record<string, string> | Promise<Record<string, string>>
  fetch?: typeof fetch
  now?: () => number
  /** Per-request deadline (default 15 s). */
  timeoutMs?: number
  /** Largest answer read from the provider (default 5 MiB). */
  maxBytes?: number
}
