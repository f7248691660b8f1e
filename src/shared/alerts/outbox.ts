/**
 * The outbox vocabulary: one row per (channel account, recipient or page), and
 * the states it moves through.
 *
 *   queued → sending → sent → delivered
 *                 ↘ queued (transient failure, retried later)
 *                 ↘ failed (permanent failure, or too many attempts)
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
  alertId: number
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
}

/** One row's new state, as the UI receives it (batched). */
export interface RowChange {
  id: number
  alertId: number
  accountId: number
  state: OutboxState
  attempts: number
  providerId?: string
  lastErrorCode?: string
  lastError?: string
  /** Epoch ms of the change. */
  at: number
}

/** A row the dispatcher holds a lease on. */
export interface ClaimedRow {
  id: number
  alertId: number
  accountId: number
  destinationType: 'person' | 'page'
  address: string
  recipientName: string | null
  idempotencyKey: string
  /** Attempt number of this claim (1 for the first); also fences the result write. */
  attempts: number
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
    }
  | { type: 'retry'; nextAttemptAt: number; code: string; reason: string }
  | { type: 'failed'; code: string; reason: string }
