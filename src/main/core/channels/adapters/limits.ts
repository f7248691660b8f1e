import type { ChannelAdapter, ChannelLimits, DeliveryStatus } from '../adapter'
import type { ChannelKind } from '../../../../shared/channels/kinds'

/**
 * Default pacing per kind, from each provider's published limits, kept
 * conservative: an alert must not be throttled half-way through by the
 * provider. Real adapters override `ratePerSecond` from the account settings
 * where the kind declares it; simulated twins use the same numbers so drills
 * pace like the real thing.
 */
export const DEFAULT_LIMITS: Record<ChannelKind, ChannelLimits> = {
  // Twilio queues per sender: 1 msg/s for long codes (more for short codes / services).
  sms_twilio: { ratePerSecond: 1, burst: 1, concurrency: 4, maxTextLength: 1600 },
  sms_gateway: { ratePerSecond: 5, burst: 5, concurrency: 4, maxTextLength: 1000 },
  sms_smpp: { ratePerSecond: 10, burst: 10, concurrency: 4, maxTextLength: 1530 },
  // A relay takes a few connections per client and a hundred messages on each (see smtp.ts).
  email_smtp: { ratePerSecond: 10, burst: 10, concurrency: 5 },
  // Telegram: about 1 message per second in one chat, 20 per minute in groups.
  telegram: { ratePerSecond: 1, burst: 1, concurrency: 1 },
  facebook_page: { ratePerSecond: 0.2, burst: 2, concurrency: 1, maxTextLength: 63206 },
  // X: posting caps are per day and low on basic tiers.
  x: { ratePerSecond: 0.2, burst: 2, concurrency: 1, maxTextLength: 280 },
  // Mastodon: 300 requests per 5 minutes per account; instances may allow longer posts.
  mastodon: { ratePerSecond: 0.5, burst: 3, concurrency: 1, maxTextLength: 500 },
  // Bluesky: 5000 points per hour, 3 per created record.
  bluesky: { ratePerSecond: 0.5, burst: 3, concurrency: 1, maxTextLength: 300 },
  website: { ratePerSecond: 1, burst: 1, concurrency: 1 },
  // Twilio places 1 call per second per account unless raised; calls at once are the account's
  // `maxConcurrentCalls` (the outbox counts calls still ringing or in progress against it).
  voice_twilio: { ratePerSecond: 1, burst: 1, concurrency: 4 },
  // Vonage: 3 call requests per second by default.
  voice_vonage: { ratePerSecond: 3, burst: 3, concurrency: 4 },
  // WhatsApp: 80 messages per second per business number; Twilio starts senders lower.
  whatsapp_twilio: { ratePerSecond: 1, burst: 1, concurrency: 4, maxTextLength: 1024 },
  whatsapp_cloud: { ratePerSecond: 10, burst: 10, concurrency: 4, maxTextLength: 1024 },
  // YouTube: replies to comments only, 50 quota units each; a comment holds up to 10,000 characters.
  youtube: { ratePerSecond: 0.2, burst: 2, concurrency: 1, maxTextLength: 10000 },
}

/** Whether a resend with the same idempotency key cannot produce a second message, per kind. */
export const KIND_IDEMPOTENT: Record<ChannelKind, boolean> = {
  sms_twilio: false,
  sms_gateway: true,
  sms_smpp: false,
  email_smtp: false,
  telegram: false,
  facebook_page: false,
  x: false,
  mastodon: true,
  bluesky: true,
  website: true,
  // Neither the Calls APIs nor WhatsApp's take a key that drops a repeat.
  voice_twilio: false,
  voice_vonage: false,
  whatsapp_twilio: false,
  whatsapp_cloud: false,
  // comments.insert takes no request id: a repeat is a second reply.
  youtube: false,
}

/** The kind's limits with the account's own sending rate, when it set one. */
export function limitsWithRate(
  kind: ChannelKind,
  ratePerSecond: number | undefined,
): ChannelLimits {
  const base = DEFAULT_LIMITS[kind]
  if (ratePerSecond === undefined || !(ratePerSecond > 0)) return { ...base }
  return { ...base, ratePerSecond, burst: Math.max(1, Math.ceil(ratePerSecond)) }
}

/**
 * The kind's limits with the account's own sending rate and, where the
 * account says how many connections it may hold (an SMTP pool), that many
 * requests in flight.
 */
export function accountLimits(
  kind: ChannelKind,
  account: { ratePerSecond?: number; concurrency?: number },
): ChannelLimits {
  const limits = limitsWithRate(kind, account.ratePerSecond)
  const slots = account.concurrency
  if (slots === undefined || !Number.isFinite(slots) || slots < 1) return limits
  return { ...limits, concurrency: Math.floor(slots) }
}

/** What the provider last said of a message, and when it was read. */
export interface ReceiptObservation {
  status: DeliveryStatus
  /** Epoch ms of the read. */
  at: number
}

/**
 * An adapter whose provider answers the receipts of many messages in one
 * request (a list endpoint). Each poll the dispatcher launches is still one
 * token and one slot of the account, and the adapter makes at most one
 * request per poll it was given; but every message a list page shows is
 * remembered, so the dispatcher settles most rows from what was already read,
 * without asking again.
 */
export interface ReceiptBatching {
  /** The latest status read for this message (by any request), if any. */
  observed(providerId: string): ReceiptObservation | undefined
  /** Until when the provider asked not to be polled (epoch ms; 0 when it did not). */
  pausedUntil(): number
  /** A row that will be polled was sent then (narrows the list's date filter after a restart). */
  expect(providerId: string, sentAt: number): void
}

/** The adapter's receipt batching, where it has one. */
export function receiptBatching(adapter: ChannelAdapter): ReceiptBatching | undefined {
  const batching = (adapter as { receiptBatching?: unknown }).receiptBatching
  return typeof batching === 'object' && batching !== null
    ? (batching as ReceiptBatching)
    : undefined
}

/** True for a receipt that will not change any more (delivered, or failed on delivery). */
export function isFinalReceipt(status: DeliveryStatus): boolean {
  return status.status === 'delivered' || status.status === 'failed'
}
