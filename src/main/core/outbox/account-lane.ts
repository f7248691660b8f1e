import type { ChannelAdapter, ChannelLimits } from '../channels/adapter'
import { createTokenBucket, type TokenBucket } from './token-bucket'
import type { ClaimedRow } from './types'

/**
 * One channel account as the dispatcher drives it: its adapter, its token
 * bucket, the requests in flight (sends and receipt polls) and the rows
 * already claimed that wait for a free slot.
 */
export interface AccountLane {
  accountId: number
  adapter: ChannelAdapter
  limits: ChannelLimits
  bucket: TokenBucket
  inFlight: number
  /** Claimed (leased) rows waiting for a slot, oldest first. */
  queue: ClaimedRow[]
  /**
   * Rows claimed ahead of free slots, so one database commit serves several
   * sends. Only where the provider honours the idempotency key: after a crash
   * a claimed row is resent, never left "uncertain" although it never left.
   */
  prefetch: number
}

/** Rows claimed ahead per slot on idempotent lanes: enough that one commit serves a dozen sends. */
const PREFETCH_PER_SLOT = 4

/** Limits an adapter may report badly are brought back to something that can send. */
function sane(limits: ChannelLimits): ChannelLimits {
  const positive = (n: number, fallback: number) => (Number.isFinite(n) && n > 0 ? n : fallback)
  return {
    ...limits,
    ratePerSecond: positive(limits.ratePerSecond, 1),
    burst: Math.max(1, Math.floor(positive(limits.burst, 1))),
    concurrency: Math.max(1, Math.floor(positive(limits.concurrency, 1))),
  }
}

export function createAccountLane(
  accountId: number,
  adapter: ChannelAdapter,
  now: number,
): AccountLane {
  const limits = sane(adapter.limits())
  return {
    accountId,
    adapter,
    limits,
    bucket: createTokenBucket(limits.ratePerSecond, limits.burst, now),
    inFlight: 0,
    queue: [],
    prefetch: adapter.idempotent ? limits.concurrency * PREFETCH_PER_SLOT : 0,
  }
}

/**
 * Requests the lane may start now (a receipt poll): free slots, whole tokens.
 * `promised` slots are already spoken for by this pass (their tokens are already taken).
 */
export function laneCapacity(lane: AccountLane, now: number, promised = 0): number {
  const free = lane.limits.concurrency - lane.inFlight - lane.queue.length - promised
  if (free <= 0) return 0
  return Math.min(free, lane.bucket.available(now))
}

/** Rows the lane may claim now: free slots plus its prefetch, within whole tokens. */
export function claimCapacity(lane: AccountLane, now: number): number {
  const room = lane.limits.concurrency + lane.prefetch - lane.inFlight - lane.queue.length
  if (room <= 0) return 0
  return Math.min(room, lane.bucket.available(now))
}
