/**
 * Claims and leases: due rows are claimed most urgent first and leased to this
 * process; send results are written back, fenced by the attempt number of the
 * claim; expired leases are recovered, unsent claims released, and a paused
 * account's queued rows failed once their retry budget is spent.
 */
import type { Db } from '../db/open'
import { ALERT_ACTIVE, OWNER, type RowOwner } from './outbox-rows'
import type { ClaimedRow, OutboxKind, OutboxState, SendResult } from './types'

/** A row whose lease expired: the dispatcher decides between requeue and uncertain. */
export interface ExpiredRow extends RowOwner {
  attempts: number
  /** 1 while its alert is scheduled or sending (0 once stopped: never resent); 1 for replies. */
  alertActive: number
}

/** A send result that was written, with the state the row ended in. */
export interface AppliedResult {
  row: ClaimedRow
  result: SendResult
  state: OutboxState
}

/** What a claim returns: everything the message builder needs, nothing it does not. */
const CLAIMED = `id, kind, alert_id, account_id, destination_type, address, recipient_name,
  idempotency_key, attempts, text, subject, in_reply_to, citizen_message_id, partner_id, created_at,
  call_attempt`

interface RawClaimed {
  id: number
  kind: OutboxKind
  alert_id: number | null
  account_id: number
  destination_type: 'person' | 'page'
  address: string
  recipient_name: string | null
  idempotency_key: string
  attempts: number
  text: string | null
  subject: string | null
  in_reply_to: string | null
  citizen_message_id: number | null
  partner_id: number | null
  created_at: number
  call_attempt: number
}

function toClaimed(r: RawClaimed): ClaimedRow {
  return {
    id: r.id,
    kind: r.kind,
    alertId: r.alert_id,
    accountId: r.account_id,
    destinationType: r.destination_type,
    address: r.address,
    recipientName: r.recipient_name,
    idempotencyKey: r.idempotency_key,
    attempts: r.attempts,
    text: r.text,
    subject: r.subject,
    inReplyTo: r.in_reply_to,
    citizenMessageId: r.citizen_message_id,
    partnerId: r.partner_id,
    createdAt: r.created_at,
    callAttempt: r.call_attempt,
  }
}

export function createClaims(db: Db) {
  // Alert and relay rows wait for their alert's cancel window; replies go when due.
  // The most urgent first (outbox/priority.ts), then the oldest due: the claim index's order.
  const claim = db.prepare<[number, number, number, number, number, number], RawClaimed>(
    `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ?
     WHERE id IN (
       SELECT o.id FROM outbox o LEFT JOIN alerts a ON a.id = o.alert_id
       WHERE o.account_id = ? AND o.state = 'queued' AND o.next_attempt_at <= ?
         AND (o.alert_id IS NULL OR (a.status IN ('scheduled', 'sending') AND a.send_after <= ?))
       ORDER BY o.priority DESC, o.next_attempt_at, o.id
       LIMIT ?)
     RETURNING ${CLAIMED}`,
  )
  const directAccounts = db.prepare<[], { account_id: number }>(
    `SELECT DISTINCT account_id FROM outbox WHERE state IN ('queued', 'sending') AND kind <> 'alert'`,
  )
  const nextDue = db.prepare<[number], { at: number | null }>(
    `SELECT min(next_attempt_at) AS at FROM outbox WHERE account_id = ? AND state = 'queued'`,
  )
  const markSent = db.prepare<
    [
      OutboxState,
      string | null,
      number | null,
      number,
      number | null,
      number | null,
      number,
      0 | 1,
      0 | 1,
      string | null,
      number,
      number,
    ],
    { state: OutboxState }
  >(
    `UPDATE outbox SET state = ?, provider_id = ?, segments = ?, lease_until = NULL, sent_at = ?,
       delivered_at = ?, next_receipt_at = ?, last_error_code = NULL, last_error = NULL, updated_at = ?,
       call_attempt = call_attempt + ?, call_outcome = CASE WHEN ? = 1 THEN 'queued' ELSE call_outcome END,
       warning = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?
     RETURNING state`,
  )
  // A row whose alert was stopped meanwhile is not queued again: it is cancelled.
  const markRetry = db.prepare<
    [number, string, string, number, number, number],
    { state: OutboxState }
  >(
    `UPDATE outbox SET
       state = CASE WHEN ${ALERT_ACTIVE} THEN 'queued' ELSE 'cancelled' END,
       lease_until = NULL, next_attempt_at = ?, last_error_code = ?, last_error = ?, updated_at = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?
     RETURNING state`,
  )
  // A claim given back unsent (stop, pause): the attempt is not counted.
  const unclaim = db.prepare<[number, number, number, number], { state: OutboxState }>(
    `UPDATE outbox SET
       state = CASE WHEN ${ALERT_ACTIVE} THEN 'queued' ELSE 'cancelled' END,
       lease_until = NULL, attempts = attempts - 1, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?
     RETURNING state`,
  )
  const markFailed = db.prepare<[string, string, number, number, number], { state: OutboxState }>(
    `UPDATE outbox SET state = 'failed', lease_until = NULL, last_error_code = ?, last_error = ?, updated_at = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?
     RETURNING state`,
  )
  const expired = db.prepare<[number, number], ExpiredRow>(
    `SELECT ${OWNER}, o.attempts,
       (o.alert_id IS NULL OR a.status IN ('scheduled', 'sending')) AS alertActive
     FROM outbox o LEFT JOIN alerts a ON a.id = o.alert_id
     WHERE o.state = 'sending' AND o.lease_until < ? ORDER BY o.lease_until LIMIT ?`,
  )
  const requeueExpired = db.prepare<[number, number, number, number]>(
    `UPDATE outbox SET state = 'queued', lease_until = NULL, next_attempt_at = ?, updated_at = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?`,
  )
  const uncertainExpired = db.prepare<[string, string, number, number, number]>(
    `UPDATE outbox SET state = 'uncertain', lease_until = NULL, last_error_code = ?, last_error = ?, updated_at = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?`,
  )
  const markUncertainResult = db.prepare<
    [string, string, number, number, number],
    { state: OutboxState }
  >(
    `UPDATE outbox SET state = 'uncertain', lease_until = NULL, last_error_code = ?, last_error = ?, updated_at = ?
     WHERE id = ? AND state = 'sending' AND attempts = ?
     RETURNING state`,
  )
  // Rows of a paused account whose budget is spent: written before `writtenBefore`
  // and of no alert still valid at `now` (replies count from when they were written).
  const failOverdue = db.prepare<
    [string, string, number, number, number, number],
    RowOwner & { attempts: number }
  >(
    `UPDATE outbox SET state = 'failed', last_error_code = ?, last_error = ?, updated_at = ?
     WHERE account_id = ? AND state = 'queued' AND created_at < ?
       AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.id = outbox.alert_id
         AND unixepoch(a.valid_to, 'subsec') * 1000 > ?)
     RETURNING id, kind, alert_id AS alertId, account_id AS accountId,
       citizen_message_id AS citizenMessageId, partner_id AS partnerId, attempts`,
  )

  const applyResults = db.transaction(
    (results: readonly { row: ClaimedRow; result: SendResult }[], now: number): AppliedResult[] => {
      const applied: AppliedResult[] = []
      for (const { row, result } of results) {
        let written: { state: OutboxState } | undefined
        if (result.type === 'sent') {
          written = markSent.get(
            result.delivered ? 'delivered' : 'sent',
            result.providerId,
            result.segments,
            now,
            result.delivered ? now : null,
            result.delivered || result.providerId === null ? null : result.nextReceiptAt,
            now,
            result.call ? 1 : 0,
            result.call ? 1 : 0,
            result.warning ?? null,
            row.id,
            row.attempts,
          )
        } else if (result.type === 'retry') {
          written = markRetry.get(
            result.nextAttemptAt,
            result.code,
            result.reason,
            now,
            row.id,
            row.attempts,
          )
        } else if (result.type === 'uncertain') {
          written = markUncertainResult.get(result.code, result.reason, now, row.id, row.attempts)
        } else {
          written = markFailed.get(result.code, result.reason, now, row.id, row.attempts)
        }
        if (written) applied.push({ row, result, state: written.state })
      }
      return applied
    },
  )

  return {
    /** Leases up to `limit` due rows of one account; they move to `sending`. */
    claim(accountId: number, now: number, leaseUntil: number, limit: number): ClaimedRow[] {
      if (limit <= 0) return []
      return claim
        .all(leaseUntil, now, accountId, now, now, limit)
        .map(toClaimed)
        .sort((a, b) => a.id - b.id)
    },

    /** Accounts with replies or relay requests queued or in flight (no alert need target them). */
    directAccountIds(): number[] {
      return directAccounts.all().map((r) => r.account_id)
    },

    /** When the next queued row of an account becomes due (epoch ms), if any. */
    nextDueAt(accountId: number): number | null {
      return nextDue.get(accountId)?.at ?? null
    },

    /**
     * Writes the outcomes of sends in one transaction; returns those that still
     * held their lease (the others were moved on meanwhile and are left alone).
     */
    applyResults(
      results: readonly { row: ClaimedRow; result: SendResult }[],
      now: number,
    ): AppliedResult[] {
      return applyResults(results, now)
    },

    /** Gives back claimed rows that were never sent; returns the state each ended in (if still ours). */
    unclaim(
      rows: readonly { row: ClaimedRow; nextAttemptAt: number }[],
      now: number,
    ): (OutboxState | undefined)[] {
      return rows.map(
        ({ row, nextAttemptAt }) => unclaim.get(nextAttemptAt, now, row.id, row.attempts)?.state,
      )
    },

    /** Fails the queued rows of a paused account whose retry budget is spent (see the statement). */
    failOverdue(
      accountId: number,
      writtenBefore: number,
      now: number,
      why: { code: string; reason: string },
    ): (RowOwner & { attempts: number })[] {
      return failOverdue.all(why.code, why.reason, now, accountId, writtenBefore, now)
    },

    expired(now: number, limit: number): ExpiredRow[] {
      return expired.all(now, limit)
    },

    requeueExpired(row: ExpiredRow, now: number): boolean {
      return requeueExpired.run(now, now, row.id, row.attempts).changes > 0
    },

    markUncertain(row: ExpiredRow, code: string, reason: string, now: number): boolean {
      return uncertainExpired.run(code, reason, now, row.id, row.attempts).changes > 0
    },
  }
}
