/**
 * Delivery receipts: sent rows due for a poll, when to poll them next, and the
 * provider's answers (delivered, failed on delivery) written back.
 */
import type { Db } from '../db/open'
import { OWNER, type RowOwner } from './outbox-rows'

/** A sent row due for a delivery receipt poll. */
export interface ReceiptDue extends RowOwner {
  attempts: number
  providerId: string
  sentAt: number
}

export type ReceiptUpdate =
  | { id: number; type: 'delivered'; at: number }
  | { id: number; type: 'failed'; code: string; reason: string }
  | { id: number; type: 'pending'; nextPollAt: number | null }

export function createReceipts(db: Db) {
  const receiptsDue = db.prepare<[number, number], ReceiptDue>(
    `SELECT ${OWNER}, o.attempts, o.provider_id AS providerId, o.sent_at AS sentAt
     FROM outbox o WHERE o.state = 'sent' AND o.next_receipt_at <= ? AND o.provider_id IS NOT NULL
     ORDER BY o.next_receipt_at LIMIT ?`,
  )
  const setNextReceipt = db.prepare<[number | null, number]>(
    `UPDATE outbox SET next_receipt_at = ? WHERE id = ? AND state = 'sent'`,
  )
  const markDelivered = db.prepare<[number, number, number]>(
    `UPDATE outbox SET state = 'delivered', delivered_at = ?, next_receipt_at = NULL, updated_at = ?
     WHERE id = ? AND state = 'sent'`,
  )
  const markUndelivered = db.prepare<[string, string, number, number]>(
    `UPDATE outbox SET state = 'failed', last_error_code = ?, last_error = ?, next_receipt_at = NULL,
       updated_at = ?
     WHERE id = ? AND state = 'sent'`,
  )

  return {
    /** Sent rows due for a receipt poll; their next poll is pushed back first (see `reschedule`). */
    receiptsDue(now: number, limit: number): ReceiptDue[] {
      return receiptsDue.all(now, limit)
    },

    /** Sets the next poll of many rows at once (null: stop polling). */
    rescheduleReceipts: db.transaction(
      (items: readonly (readonly [id: number, nextPollAt: number | null])[]) => {
        for (const [id, at] of items) setNextReceipt.run(at, id)
      },
    ),

    /** Writes receipt answers in one transaction; returns the ids that changed state. */
    applyReceipts: db.transaction((updates: ReceiptUpdate[], now: number): number[] => {
      const changed: number[] = []
      for (const u of updates) {
        if (u.type === 'delivered') {
          if (markDelivered.run(u.at, now, u.id).changes > 0) changed.push(u.id)
        } else if (u.type === 'failed') {
          if (markUndelivered.run(u.code, u.reason, now, u.id).changes > 0) changed.push(u.id)
        } else {
          setNextReceipt.run(u.nextPollAt, u.id)
        }
      }
      return changed
    }),
  }
}
