/**
 * Delivery receipts: sent rows due for a poll, when to poll them next, and the
 * provider's answers (delivered, failed on delivery) written back.
 */
import type { Db } from '../db/open'
import { ALERT_ACTIVE, OWNER, type RowOwner } from './outbox-rows'
import type { CallLogEntry, CallOutcomeName, OutboxState } from './types'

/** A sent row due for a delivery receipt poll. */
export interface ReceiptDue extends RowOwner {
  attempts: number
  providerId: string
  sentAt: number
  /** Voice: calls placed for the row, and those that ended (JSON, see migration 016). */
  callAttempt: number
  callLog: string | null
}

/** A call that ended: its outcome and the row's whole log with it. */
export interface CallEnd {
  outcome: CallOutcomeName
  log: CallLogEntry[]
}

export type ReceiptUpdate =
  | { id: number; type: 'delivered'; at: number; call?: CallEnd }
  | { id: number; type: 'failed'; code: string; reason: string; call?: CallEnd }
  | { id: number; type: 'pending'; nextPollAt: number | null; callOutcome?: CallOutcomeName }
  /** Voice: not reached, attempts left: queued again for the next call (or cancelled if the alert stopped). */
  | {
      id: number
      type: 'redial'
      nextAttemptAt: number
      code: string
      reason: string
      call: CallEnd
    }

export function createReceipts(db: Db) {
  const receiptsDue = db.prepare<[number, number], ReceiptDue>(
    `SELECT ${OWNER}, o.attempts, o.provider_id AS providerId, o.sent_at AS sentAt,
       o.call_attempt AS callAttempt, o.call_log AS callLog
     FROM outbox o WHERE o.state = 'sent' AND o.next_receipt_at <= ? AND o.provider_id IS NOT NULL
     ORDER BY o.next_receipt_at LIMIT ?`,
  )
  const liveCalls = db.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM outbox INDEXED BY outbox_calls_live
     WHERE account_id = ? AND state = 'sent' AND call_outcome IN ('queued', 'ringing', 'in_progress')`,
  )
  const setNextReceipt = db.prepare<[number | null, number]>(
    `UPDATE outbox SET next_receipt_at = ? WHERE id = ? AND state = 'sent'`,
  )
  // `call_outcome`/`call_log` change only for calls (null keeps what is there).
  const markDelivered = db.prepare<[number, number, string | null, string | null, number]>(
    `UPDATE outbox SET state = 'delivered', delivered_at = ?, next_receipt_at = NULL, updated_at = ?,
       call_outcome = coalesce(?, call_outcome), call_log = coalesce(?, call_log)
     WHERE id = ? AND state = 'sent'`,
  )
  const markUndelivered = db.prepare<
    [string, string, number, string | null, string | null, number]
  >(
    `UPDATE outbox SET state = 'failed', last_error_code = ?, last_error = ?, next_receipt_at = NULL,
       updated_at = ?, call_outcome = coalesce(?, call_outcome), call_log = coalesce(?, call_log)
     WHERE id = ? AND state = 'sent'`,
  )
  const setCallProgress = db.prepare<[number | null, string, number]>(
    `UPDATE outbox SET next_receipt_at = ?, call_outcome = ? WHERE id = ? AND state = 'sent'`,
  )
  // The next call waits in the queue like any row: Stop cancels it, and an alert
  // stopped meanwhile cancels it here.
  const redial = db.prepare<
    [number, string, string, string, string, number, number],
    { state: OutboxState }
  >(
    `UPDATE outbox SET
       state = CASE WHEN ${ALERT_ACTIVE} THEN 'queued' ELSE 'cancelled' END,
       next_attempt_at = ?, provider_id = NULL, next_receipt_at = NULL, sent_at = NULL,
       last_error_code = ?, last_error = ?, call_outcome = ?, call_log = ?, updated_at = ?
     WHERE id = ? AND state = 'sent'
     RETURNING state`,
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

    /**
     * Writes receipt answers in one transaction; returns the rows that changed
     * state, with the state (a redial is `queued`, or `cancelled` after Stop).
     */
    applyReceipts: db.transaction(
      (updates: ReceiptUpdate[], now: number): Map<number, OutboxState> => {
        const changed = new Map<number, OutboxState>()
        const log = (c: CallEnd | undefined) => (c ? JSON.stringify(c.log) : null)
        for (const u of updates) {
          if (u.type === 'delivered') {
            const r = markDelivered.run(u.at, now, u.call?.outcome ?? null, log(u.call), u.id)
            if (r.changes > 0) changed.set(u.id, 'delivered')
          } else if (u.type === 'failed') {
            const r = markUndelivered.run(
              u.code,
              u.reason,
              now,
              u.call?.outcome ?? null,
              log(u.call),
              u.id,
            )
            if (r.changes > 0) changed.set(u.id, 'failed')
          } else if (u.type === 'redial') {
            const r = redial.get(
              u.nextAttemptAt,
              u.code,
              u.reason,
              u.call.outcome,
              JSON.stringify(u.call.log),
              now,
              u.id,
            )
            if (r) changed.set(u.id, r.state)
          } else if (u.callOutcome !== undefined) {
            setCallProgress.run(u.nextPollAt, u.callOutcome, u.id)
          } else {
            setNextReceipt.run(u.nextPollAt, u.id)
          }
        }
        return changed
      },
    ),

    /** Calls of an account still ringing or connected: they count against its cap on calls at once. */
    liveCalls(accountId: number): number {
      return liveCalls.get(accountId)?.n ?? 0
    },
  }
}
