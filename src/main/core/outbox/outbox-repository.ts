import type { FailureGroup, RelayStateCount, StateCount } from '../../../shared/alerts/views'
import type { Db } from '../db/open'
import { nextGenerationKey } from './idempotency'
import { REPLY_PRIORITY } from './priority'
import type { ClaimedRow, OutboxKind, OutboxRow, OutboxState, RowChange, SendResult } from './types'

/** A row to write at fan-out. */
export interface NewOutboxRow {
  alertId: number
  accountId: number
  contactId: number | null
  destinationType: 'person' | 'page'
  address: string
  recipientName: string | null
  idempotencyKey: string
}

/** A relay request to a partner: an alert's row with its own ready-to-post text. */
export interface NewRelayRow extends NewOutboxRow {
  partnerId: number
  text: string
  subject: string | null
}

/** An answer to a citizen: no alert, its own text, what it answers. */
export interface NewReplyRow {
  accountId: number
  citizenMessageId: number
  destinationType: 'person' | 'page'
  address: string
  recipientName: string | null
  text: string
  subject: string | null
  inReplyTo: string | null
  idempotencyKey: string
}

/** Who a row belongs to, as every event about it says. */
export interface RowOwner {
  id: number
  kind: OutboxKind
  alertId: number | null
  accountId: number
  citizenMessageId: number | null
  partnerId: number | null
}

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

interface RawRow {
  id: number
  kind: OutboxKind
  alert_id: number | null
  account_id: number
  contact_id: number | null
  destination_type: 'person' | 'page'
  address: string
  recipient_name: string | null
  idempotency_key: string
  state: OutboxState
  attempts: number
  next_attempt_at: number
  lease_until: number | null
  provider_id: string | null
  segments: number | null
  last_error_code: string | null
  last_error: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
  delivered_at: number | null
  citizen_message_id: number | null
  partner_id: number | null
}

const COLUMNS = `id, kind, alert_id, account_id, contact_id, destination_type, address, recipient_name,
  idempotency_key, state, attempts, next_attempt_at, lease_until, provider_id, segments,
  last_error_code, last_error, created_at, updated_at, sent_at, delivered_at, citizen_message_id,
  partner_id`

/** The owner columns every lease and receipt query returns, named as {@link RowOwner}. */
const OWNER = `o.id, o.kind, o.alert_id AS alertId, o.account_id AS accountId,
  o.citizen_message_id AS citizenMessageId, o.partner_id AS partnerId`

/** What a claim returns: everything the message builder needs, nothing it does not. */
const CLAIMED = `id, kind, alert_id, account_id, destination_type, address, recipient_name,
  idempotency_key, attempts, text, subject, in_reply_to, citizen_message_id, partner_id, created_at`

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
  }
}

/** A row that belongs to no alert is never held back or cancelled by one. */
const ALERT_ACTIVE = `(outbox.alert_id IS NULL OR EXISTS (SELECT 1 FROM alerts a
  WHERE a.id = outbox.alert_id AND a.status IN ('scheduled', 'sending')))`

function toRow(r: RawRow): OutboxRow {
  return {
    id: r.id,
    kind: r.kind,
    alertId: r.alert_id,
    accountId: r.account_id,
    contactId: r.contact_id,
    destinationType: r.destination_type,
    address: r.address,
    recipientName: r.recipient_name,
    idempotencyKey: r.idempotency_key,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    providerId: r.provider_id,
    segments: r.segments,
    lastErrorCode: r.last_error_code,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    citizenMessageId: r.citizen_message_id,
    partnerId: r.partner_id,
  }
}

/** The identifying part of a change: which row, whose, and for replies and relays what for. */
export function ownerOf(
  row: RowOwner,
): Pick<RowChange, 'id' | 'kind' | 'alertId' | 'accountId' | 'citizenMessageId' | 'partnerId'> {
  return {
    id: row.id,
    kind: row.kind,
    alertId: row.alertId,
    accountId: row.accountId,
    ...(row.citizenMessageId === null ? {} : { citizenMessageId: row.citizenMessageId }),
    ...(row.partnerId === null ? {} : { partnerId: row.partnerId }),
  }
}

export function changeOf(row: OutboxRow, at: number): RowChange {
  return {
    ...ownerOf(row),
    state: row.state,
    attempts: row.attempts,
    at,
    ...(row.providerId === null ? {} : { providerId: row.providerId }),
    ...(row.lastErrorCode === null ? {} : { lastErrorCode: row.lastErrorCode }),
    ...(row.lastError === null ? {} : { lastError: row.lastError }),
  }
}

/**
 * The outbox table. Every write that moves a row out of `sending` is fenced by
 * the attempt number of its claim, so a late answer cannot overwrite a row that
 * lease recovery or the operator has since moved on.
 */
export function createOutboxRepository(db: Db) {
  const insert = db.prepare<
    [
      number,
      number,
      number | null,
      string,
      string,
      string | null,
      string,
      number,
      number,
      number,
      number,
    ]
  >(
    `INSERT INTO outbox (alert_id, account_id, contact_id, destination_type, address, recipient_name,
       idempotency_key, state, attempts, next_attempt_at, created_at, updated_at, priority)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
  )
  const insertRelay = db.prepare<
    [
      number,
      number,
      number | null,
      string,
      string,
      string | null,
      string,
      number,
      number,
      number,
      string,
      string | null,
      number,
      number,
    ]
  >(
    `INSERT INTO outbox (kind, alert_id, account_id, contact_id, destination_type, address,
       recipient_name, idempotency_key, state, attempts, next_attempt_at, created_at, updated_at,
       text, subject, partner_id, priority)
     VALUES ('relay', ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // A second request with a known key writes nothing: the caller gets the row already there.
  const insertReply = db.prepare<
    [
      number,
      string,
      string,
      string | null,
      string,
      number,
      number,
      number,
      string,
      string | null,
      string | null,
      number,
    ],
    { id: number }
  >(
    `INSERT INTO outbox (kind, alert_id, account_id, contact_id, destination_type, address,
       recipient_name, idempotency_key, state, attempts, next_attempt_at, created_at, updated_at,
       text, subject, in_reply_to, citizen_message_id, priority)
     VALUES ('reply', NULL, ?, NULL, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?, ${REPLY_PRIORITY})
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id`,
  )
  const byKey = db.prepare<[string], RawRow>(
    `SELECT ${COLUMNS} FROM outbox WHERE idempotency_key = ?`,
  )
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
      number,
      number,
    ],
    { state: OutboxState }
  >(
    `UPDATE outbox SET state = ?, provider_id = ?, segments = ?, lease_until = NULL, sent_at = ?,
       delivered_at = ?, next_receipt_at = ?, last_error_code = NULL, last_error = NULL, updated_at = ?
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
  const getRow = db.prepare<[number], RawRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`)
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
  const counts = db.prepare<[number], StateCount>(
    `SELECT account_id AS accountId, state, count(*) AS count FROM outbox WHERE alert_id = ?
     GROUP BY account_id, state ORDER BY account_id, state`,
  )
  const relayCounts = db.prepare<[number], RelayStateCount>(
    `SELECT partner_id AS partnerId, account_id AS accountId, state, count(*) AS count
     FROM outbox WHERE alert_id = ? AND kind = 'relay'
     GROUP BY partner_id, account_id, state ORDER BY partner_id, account_id, state`,
  )
  const failures = db.prepare<[number], FailureGroup>(
    `SELECT account_id AS accountId, last_error_code AS code, last_error AS reason, count(*) AS count
     FROM outbox WHERE alert_id = ? AND state = 'failed'
     GROUP BY account_id, last_error_code, last_error ORDER BY count(*) DESC, account_id`,
  )
  const page = db.prepare<
    [number, string | null, string | null, number | null, number | null, number, number],
    RawRow
  >(
    `SELECT ${COLUMNS} FROM outbox
     WHERE alert_id = ? AND (? IS NULL OR state = ?) AND (? IS NULL OR account_id = ?) AND id > ?
     ORDER BY id LIMIT ?`,
  )
  const open = db.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE alert_id = ? AND state IN ('queued', 'sending')`,
  )
  const providerIdFor = db.prepare<[number, number], { provider_id: string }>(
    `SELECT provider_id FROM outbox
     WHERE alert_id = ? AND account_id = ? AND kind = 'alert' AND destination_type = 'page'
       AND provider_id IS NOT NULL
       AND state IN ('sent', 'delivered')
     LIMIT 1`,
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
    /** Writes fan-out rows; call inside the caller's transaction so all or none are written. */
    insertRows(
      rows: readonly NewOutboxRow[],
      nextAttemptAt: number,
      now: number,
      priority: number,
    ): void {
      for (const r of rows) {
        insert.run(
          r.alertId,
          r.accountId,
          r.contactId,
          r.destinationType,
          r.address,
          r.recipientName,
          r.idempotencyKey,
          nextAttemptAt,
          now,
          now,
          priority,
        )
      }
    },

    /** Writes relay requests; call inside the confirmation's transaction, like `insertRows`. */
    insertRelayRows(
      rows: readonly NewRelayRow[],
      nextAttemptAt: number,
      now: number,
      priority: number,
    ): void {
      for (const r of rows) {
        insertRelay.run(
          r.alertId,
          r.accountId,
          r.contactId,
          r.destinationType,
          r.address,
          r.recipientName,
          r.idempotencyKey,
          nextAttemptAt,
          now,
          now,
          r.text,
          r.subject,
          r.partnerId,
          priority,
        )
      }
    },

    /**
     * Queues an answer to a citizen, due at once. A key already in the outbox
     * writes nothing: the row already there is returned (`created` false).
     */
    insertReply(row: NewReplyRow, now: number): { row: OutboxRow; created: boolean } {
      const inserted = insertReply.get(
        row.accountId,
        row.destinationType,
        row.address,
        row.recipientName,
        row.idempotencyKey,
        now,
        now,
        now,
        row.text,
        row.subject,
        row.inReplyTo,
        row.citizenMessageId,
      )
      const stored = byKey.get(row.idempotencyKey)
      if (!stored) throw new Error(`outbox row with key ${row.idempotencyKey} vanished`)
      return { row: toRow(stored), created: inserted !== undefined }
    },

    /** The row holding an idempotency key, if any. */
    byKey(key: string): OutboxRow | undefined {
      const r = byKey.get(key)
      return r && toRow(r)
    },

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

    get(id: number): OutboxRow | undefined {
      const r = getRow.get(id)
      return r && toRow(r)
    },

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
      const r = getRow.get(id)
      if (!r || r.state !== 'uncertain') return false
      requeue.run(r.idempotency_key, now, now, id)
      return true
    },

    markSentByOperator(id: number, now: number): boolean {
      return markSentByOperator.run(now, now, id).changes > 0
    },

    /** Counts per (account, state) of every row of an alert, relay requests included. */
    counts(alertId: number): StateCount[] {
      return counts.all(alertId)
    },

    /** Counts per (partner, account, state) of an alert's relay requests. */
    relayCounts(alertId: number): RelayStateCount[] {
      return relayCounts.all(alertId)
    },

    failures(alertId: number): FailureGroup[] {
      return failures.all(alertId)
    },

    /** A page of an alert's rows in id order, optionally of one state or account. */
    page(
      alertId: number,
      filter: { state?: OutboxState; accountId?: number; afterId?: number; limit?: number } = {},
    ): OutboxRow[] {
      const state = filter.state ?? null
      const account = filter.accountId ?? null
      return page
        .all(
          alertId,
          state,
          state,
          account,
          account,
          filter.afterId ?? 0,
          Math.min(filter.limit ?? 200, 1000),
        )
        .map(toRow)
    },

    /** Rows still queued or in flight. */
    openCount(alertId: number): number {
      return open.get(alertId)?.n ?? 0
    },

    /** The provider id of an alert's post on a page account, for threading follow-ups. */
    pagePostId(alertId: number, accountId: number): string | undefined {
      return providerIdFor.get(alertId, accountId)?.provider_id
    },
  }
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>

export type { FailureGroup, RelayStateCount, StateCount }
