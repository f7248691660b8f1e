/**
 * The outbox vocabulary: one row per (channel account, recipient or page) of
 * an alert, of a relay request to a partner, or of a reply to a citizen, and
 * the states it moves through.
 *
 *   queued → sending → sent → delivered
 *                 ↘ queued (not sent, transient failure: retried later)
 *                 ↘ failed (permanent failure, or the retry budget is spent)
 *                 ↘ uncertain (maybe sent on a channel without idempotency: the operator decides)
 *   sending with an expired lease → queued (idempotent provider) or uncertain
 *   queued → cancelled (cancel window, stop)
 */

export const OUTBOX_STATES = [
  'queued',
  'sending',
  'sent',
  'delivered',
  'failed',
  'uncertain',
  'cancelled',
] as const
export type OutboxState = (typeof OUTBOX_STATES)[number]

/**
 * What a row carries: a message of an alert (its text comes from the alert's
 * per-family texts), an answer to a citizen (no alert; its own text), or a
 * request to a partner to relay an alert (its own ready-to-post text).
 */
export const OUTBOX_KINDS = ['alert', 'reply', 'relay'] as const
export type OutboxKind = (typeof OUTBOX_KINDS)[number]

/** States a row stays in unless the operator acts (resend, mark as sent, retry). */
export const FINAL_STATES: readonly OutboxState[] = [
  'sent',
  'delivered',
  'failed',
  'uncertain',
  'cancelled',
]

export interface OutboxRow {
  id: number
  kind: OutboxKind
  /** The alert the row belongs to; null for a reply to a citizen. */
  alertId: number | null
  accountId: number
  contactId: number | null
  destinationType: 'person' | 'page'
  /** Phone, e-mail or chat id; empty for a page. */
  address: string
  recipientName: string | null
  idempotencyKey: string
  state: OutboxState
  attempts: number
  /** Epoch ms. */
  nextAttemptAt: number
  leaseUntil: number | null
  providerId: string | null
  segments: number | null
  lastErrorCode: string | null
  lastError: string | null
  createdAt: number
  updatedAt: number
  sentAt: number | null
  deliveredAt: number | null
  /** The citizen message a reply answers (reply rows only). */
  citizenMessageId: number | null
  /** The partner asked to relay (relay rows only). */
  partnerId: number | null
  /** Voice: calls placed for this row so far (0 elsewhere). */
  callAttempt: number
  /** Voice: the call's last state as the provider gave it; null before the first call. */
  callOutcome: CallOutcomeName | null
  /** Voice: every call that ended, oldest first. */
  callLog: CallLogEntry[]
  /** Sent but not whole, e.g. "mappa non allegata: …" (the post went without its map). */
  warning?: string | null
}

/** States of a phone call (see channels/adapter.ts), and `interrupted`: answered, hung up early. */
export type CallOutcomeName =
  | 'queued'
  | 'ringing'
  | 'in_progress'
  | 'answered'
  | 'interrupted'
  | 'voicemail'
  | 'busy'
  | 'no_answer'
  | 'failed'
  | 'canceled'

/** One call that ended: when (epoch ms), how, and how long it was connected. */
export interface CallLogEntry {
  at: number
  outcome: CallOutcomeName
  seconds?: number
}

/** One row's new state, as the UI receives it (batched). */
export interface RowChange {
  id: number
  kind: OutboxKind
  /** Null for a reply to a citizen: no alert to refresh. */
  alertId: number | null
  accountId: number
  state: OutboxState
  attempts: number
  providerId?: string
  lastErrorCode?: string
  lastError?: string
  /** The citizen message answered (reply rows), so the inbox can show the outcome. */
  citizenMessageId?: number
  /** The partner asked to relay (relay rows). */
  partnerId?: number
  /** Voice: the call's state and which call of how many it is (the board's "tentativo 2 di 3"). */
  call?: { outcome: CallOutcomeName; attempt: number; of: number }
  /** Sent but not whole (a post without its map). */
  warning?: string
  /** Epoch ms of the change. */
  at: number
}

/** A row the dispatcher holds a lease on. */
export interface ClaimedRow {
  id: number
  kind: OutboxKind
  alertId: number | null
  accountId: number
  destinationType: 'person' | 'page'
  address: string
  recipientName: string | null
  idempotencyKey: string
  /** The row's own text and subject (reply and relay rows); null: the alert's text. */
  text: string | null
  subject: string | null
  /** Provider id the message answers (reply rows). */
  inReplyTo: string | null
  citizenMessageId: number | null
  partnerId: number | null
  /** Attempt number of this claim (1 for the first); also fences the result write. */
  attempts: number
  /** Epoch ms the row was written (fan-out, reply): the retry budget counts from here. */
  createdAt: number
  /** Voice: calls placed for this row before this claim. */
  callAttempt: number
}

/** What to write for a row that was sent or failed. */
export type SendResult =
  | {
      type: 'sent'
      providerId: string | null
      segments: number | null
      delivered: boolean
      /** First delivery receipt poll (epoch ms), or null when the channel has no receipts. */
      nextReceiptAt: number | null
      /** A phone call was placed: counted, and its state followed until it ends. */
      call?: true
      /** Sent but not whole (a post without its map): stored on the row for the board. */
      warning?: string
    }
  | { type: 'retry'; nextAttemptAt: number; code: string; reason: string }
  | { type: 'failed'; code: string; reason: string }
  /** The request may have produced a message on a channel that cannot drop a repeat. */
  | { type: 'uncertain'; code: string; reason: string }
