/**
 * What the operator does to an alert's rows: cancel the queued ones (Stop, or
 * an update or cessato that replaces the previous message), send the failed
 * ones again, and settle an uncertain one by resending it or marking it sent.
 */
import type { Db } from '../db/open'
import { nextGenerationKey } from './idempotency'
import { COLUMNS, toRow, type RawRow } from './outbox-rows'
import type { OutboxRow } from './types'

export function createOperatorActions(db: Db) {
  const stateAndKey = db.prepare<[number], Pick<RawRow, 'state' | 'idempotency_key'>>(
    `SELECT state, idempotency_key FROM outbox WHERE id = ?`,
  )
  const cancelQueued = db.prepare<[number, number], RawRow>(
    `UPDATE outbox SET state = 'cancelled', updated_at = ? WHERE alert_id = ? AND state = 'queued'
     RETURNING ${COLUMNS}`,
  )
  const failedOf = db.prepare<[number], RawRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE alert_id = ? AND state = 'failed' ORDER BY id`,
  )
  const requeue = db.prepare<[string, number, number, number]>(
    `UPDATE outbox SET state = 'queued', attempts = 0, idempotency_key = ?, next_attempt_at = ?,
       lease_until = NULL, provider_id = NULL, segments = NULL, sent_at = NULL, delivered_at = NULL,
       next_receipt_at = NULL, last_error_code = NULL, last_error = NULL, updated_at = ?
     WHERE id = ?`,
  )
  const markSentByOperator = db.prepare<[number, number, number]>(
    `UPDATE outbox SET state = 'sent', sent_at = ?, last_error_code = 'marked_sent', updated_at = ?
     WHERE id = ? AND state = 'uncertain'`,
  )

  return {
    /** Cancels every queued row of an alert; returns them. */
    cancelQueued(alertId: number, now: number): OutboxRow[] {
      return cancelQueued.all(now, alertId).map(toRow)
    },

    /**
     * Puts the failed rows of an alert back in the queue with a fresh attempt
     * count. A row the provider had accepted (it failed on delivery) gets a new
     * key, otherwise an idempotent provider would swallow the resend.
     */
    requeueFailed(alertId: number, now: number): OutboxRow[] {
      const rows = failedOf.all(alertId).map(toRow)
      for (const r of rows) {
        const key = r.providerId === null ? r.idempotencyKey : nextGenerationKey(r.idempotencyKey)
        requeue.run(key, now, now, r.id)
      }
      return rows
    },

    /** Resends an uncertain row with its key (a provider that knows the key drops a duplicate). */
    requeueUncertain(id: number, now: number): boolean {
      const r = stateAndKey.get(id)
      if (!r || r.state !== 'uncertain') return false
      requeue.run(r.idempotency_key, now, now, id)
      return true
    },

    markSentByOperator(id: number, now: number): boolean {
      return markSentByOperator.run(now, now, id).changes > 0
    },
  }
}
