/**
 * Writing rows into the outbox: an alert's fan-out, relay requests to partners
 * and answers to citizens, each written once per idempotency key.
 */
import type { Db } from '../db/open'
import { COLUMNS, toRow, type RawRow } from './outbox-rows'
import { REPLY_PRIORITY } from './priority'
import type { OutboxRow } from './types'

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

export function createEnqueue(db: Db) {
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
  }
}
