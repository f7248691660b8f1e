import type { Migration } from './types'

/**
 * Direct messages through the outbox: answers to citizens (no alert) and
 * relay requests to partner schools (an alert's, with their own text).
 *
 * SQLite cannot drop a NOT NULL constraint in place, so the table is rebuilt
 * (https://sqlite.org/lang_altertable.html#otheralter): create the new shape,
 * copy, drop the old, rename, recreate the indexes. It runs inside the
 * migration transaction, so a failure leaves the old table as it was. Nothing
 * references `outbox` by foreign key (its readers keep row ids as history), so
 * dropping it does not touch other tables.
 */
export const migration: Migration = {
  version: 9,
  name: 'outbox rows for replies and relay requests',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_new (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'reply', 'relay')),
        -- Null only for a reply to a citizen.
        alert_id INTEGER REFERENCES alerts(id) ON DELETE CASCADE,
        account_id INTEGER NOT NULL,
        contact_id INTEGER,
        destination_type TEXT NOT NULL CHECK (destination_type IN ('person', 'page')),
        -- Phone, e-mail or chat id of a person; empty for a page.
        address TEXT NOT NULL,
        recipient_name TEXT,
        idempotency_key TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'uncertain', 'cancelled')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER NOT NULL,
        lease_until INTEGER,
        provider_id TEXT,
        segments INTEGER,
        last_error_code TEXT,
        -- The provider's reason in words an operator understands.
        last_error TEXT,
        next_receipt_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        sent_at INTEGER,
        delivered_at INTEGER,
        -- The row's own text (replies, relay requests); alert rows use the alert's texts.
        text TEXT,
        subject TEXT,
        -- Provider id of what a reply answers (comment, status, tweet, Telegram message).
        in_reply_to TEXT,
        -- History, like the account: no foreign key, the row outlives the message.
        citizen_message_id INTEGER,
        partner_id INTEGER,
        CHECK ((state = 'sending') = (lease_until IS NOT NULL)),
        CHECK ((kind = 'reply') = (alert_id IS NULL)),
        CHECK ((kind = 'reply') = (citizen_message_id IS NOT NULL)),
        CHECK ((kind = 'relay') = (partner_id IS NOT NULL)),
        CHECK (kind = 'alert' OR length(trim(coalesce(text, ''), char(32, 9, 10, 13))) > 0)
      ) STRICT;

      INSERT INTO outbox_new (id, kind, alert_id, account_id, contact_id, destination_type, address,
        recipient_name, idempotency_key, state, attempts, next_attempt_at, lease_until, provider_id,
        segments, last_error_code, last_error, next_receipt_at, created_at, updated_at, sent_at,
        delivered_at)
      SELECT id, 'alert', alert_id, account_id, contact_id, destination_type, address,
        recipient_name, idempotency_key, state, attempts, next_attempt_at, lease_until, provider_id,
        segments, last_error_code, last_error, next_receipt_at, created_at, updated_at, sent_at,
        delivered_at
      FROM outbox;

      DROP TABLE outbox;
      ALTER TABLE outbox_new RENAME TO outbox;

      -- The indexes of migration 004, as they were.
      CREATE INDEX outbox_claim ON outbox (account_id, next_attempt_at) WHERE state = 'queued';
      CREATE INDEX outbox_leases ON outbox (lease_until) WHERE state = 'sending';
      CREATE INDEX outbox_receipts ON outbox (next_receipt_at) WHERE state = 'sent' AND next_receipt_at IS NOT NULL;
      CREATE INDEX outbox_by_alert ON outbox (alert_id, state, account_id);
      -- Accounts with replies or relays waiting or in flight (a lease to recover), whatever alert
      -- targets them: few rows, cheap to read on every sweep.
      CREATE INDEX outbox_direct_open ON outbox (account_id) WHERE state IN ('queued', 'sending') AND kind <> 'alert';
      -- Progress per partner, covered, without reading an alert's thousands of rows.
      CREATE INDEX outbox_relays ON outbox (alert_id, partner_id, account_id, state) WHERE kind = 'relay';
      -- What became of the answers to one citizen message.
      CREATE INDEX outbox_by_citizen_message ON outbox (citizen_message_id) WHERE citizen_message_id IS NOT NULL;
    `)
  },
}
