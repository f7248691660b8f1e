import type { Migration } from './types'

/**
 * Alerts, the durable outbox and partner relay requests.
 *
 * Times people read (created, confirmed…) are ISO 8601 text like the rest of the
 * schema; times the dispatcher compares on every claim (send_after, next attempt,
 * lease, next receipt poll) are epoch milliseconds, so a claim is an integer range
 * scan on a partial index.
 */
export const migration: Migration = {
  version: 4,
  name: 'alerts, outbox and relay requests',
  up(db) {
    db.exec(`
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        -- CAP identifier: unique, no spaces, commas, < or &.
        identifier TEXT NOT NULL UNIQUE CHECK (length(identifier) > 0 AND identifier NOT GLOB '*[ ,<&]*'),
        kind TEXT NOT NULL,
        level TEXT NOT NULL CHECK (level IN ('verde', 'giallo', 'arancione', 'rosso')),
        comuni TEXT NOT NULL CHECK (json_valid(comuni) AND json_type(comuni) = 'array'),
        valid_from TEXT NOT NULL,
        valid_to TEXT NOT NULL,
        headline TEXT NOT NULL,
        description TEXT NOT NULL,
        instruction TEXT NOT NULL,
        msg_type TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
        references_alert_id INTEGER REFERENCES alerts(id),
        -- One text per template variant (sms, email_subject, email_body, telegram…).
        texts TEXT NOT NULL CHECK (json_valid(texts) AND json_type(texts) = 'object'),
        -- {accountIds, listIds, partnerIds}
        targets TEXT NOT NULL CHECK (json_valid(targets) AND json_type(targets) = 'object'),
        status TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'sending', 'done', 'cancelled', 'stopped')),
        mode TEXT NOT NULL CHECK (mode IN ('real', 'drill')),
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        confirmed_by TEXT,
        confirmed_at TEXT,
        -- End of the cancel window (epoch ms): nothing is claimed before it.
        send_after INTEGER,
        finished_at TEXT,
        CHECK ((msg_type = 'Alert') = (references_alert_id IS NULL)),
        CHECK ((status = 'draft') = (confirmed_at IS NULL))
      ) STRICT;
      CREATE INDEX alerts_active ON alerts (send_after) WHERE status IN ('scheduled', 'sending');
      CREATE INDEX alerts_by_reference ON alerts (references_alert_id) WHERE references_alert_id IS NOT NULL;
      CREATE INDEX alerts_newest ON alerts (created_at DESC, id DESC);

      -- One row per (channel account, recipient or page). No foreign key to the
      -- account or the contact: a row is history and outlives both.
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
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
        CHECK ((state = 'sending') = (lease_until IS NOT NULL))
      ) STRICT;
      -- Claiming: due rows of one account, oldest first.
      CREATE INDEX outbox_claim ON outbox (account_id, next_attempt_at) WHERE state = 'queued';
      -- Lease recovery and receipt polling touch few rows: partial indexes cost new rows nothing.
      CREATE INDEX outbox_leases ON outbox (lease_until) WHERE state = 'sending';
      CREATE INDEX outbox_receipts ON outbox (next_receipt_at) WHERE state = 'sent' AND next_receipt_at IS NOT NULL;
      -- Progress per alert: counts per state and account, covered by the index.
      CREATE INDEX outbox_by_alert ON outbox (alert_id, state, account_id);

      CREATE TABLE relay_requests (
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        partner_id INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('requested', 'confirmed', 'seen')),
        requested_at TEXT NOT NULL,
        confirmed_at TEXT,
        seen_at TEXT,
        note TEXT,
        PRIMARY KEY (alert_id, partner_id)
      ) STRICT, WITHOUT ROWID;
    `)
  },
}
