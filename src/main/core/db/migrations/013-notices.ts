import type { Migration } from './types'

/**
 * The region's notices by e-mail. `notices_mailbox` is the one mailbox Vedetta reads (a
 * single row): where it is, the password sealed by the workspace's secret cipher (never in
 * clear), the folder, the senders whose messages count, how often it is read, and how far it
 * was read (the folder's UIDVALIDITY and the highest UID seen, so only newer messages are
 * fetched). `notices` keeps each message from an allowed sender once (by Message-ID), with
 * its text; `notice_attachments` its files, kept in the workspace folder beside the database
 * (`file` is relative to it) with their size, media type and SHA-256.
 */
export const migration: Migration = {
  version: 13,
  name: 'notices by e-mail',
  up(db) {
    db.exec(`
      CREATE TABLE notices_mailbox (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
        host TEXT NOT NULL,
        port INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
        security TEXT NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
        username TEXT NOT NULL,
        password BLOB,
        folder TEXT NOT NULL DEFAULT 'INBOX',
        allowed_senders TEXT NOT NULL DEFAULT '[]'
          CHECK (json_valid(allowed_senders) AND json_type(allowed_senders) = 'array'),
        interval_s INTEGER NOT NULL DEFAULT 120 CHECK (interval_s BETWEEN 30 AND 86400),
        uid_validity TEXT,
        last_uid INTEGER NOT NULL DEFAULT 0 CHECK (last_uid >= 0),
        last_poll_at TEXT,
        last_ok_at TEXT,
        last_error TEXT,
        last_error_code TEXT,
        last_error_at TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE,
        from_address TEXT NOT NULL,
        from_name TEXT,
        subject TEXT NOT NULL DEFAULT '',
        received_at TEXT NOT NULL,
        sent_at TEXT,
        fetched_at TEXT NOT NULL,
        text_body TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL CHECK (size >= 0),
        uid_validity TEXT NOT NULL,
        uid INTEGER NOT NULL,
        -- Why the content was not downloaded ('too_large'); NULL when it was.
        skipped TEXT CHECK (skipped IS NULL OR skipped IN ('too_large')),
        skipped_limit INTEGER,
        -- The avviso (bulletin) the notice was turned into.
        feed_item_id INTEGER REFERENCES feed_items(id) ON DELETE SET NULL
      ) STRICT;
      CREATE INDEX notices_newest ON notices (received_at DESC, id DESC);

      CREATE TABLE notice_attachments (
        id INTEGER PRIMARY KEY,
        notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size >= 0),
        media_type TEXT NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        file TEXT NOT NULL
      ) STRICT;
      CREATE INDEX notice_attachments_notice ON notice_attachments (notice_id);
    `)
  },
}
