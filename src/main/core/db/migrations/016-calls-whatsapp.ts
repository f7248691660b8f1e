import type { Migration } from './types'

/**
 * Voice calls and WhatsApp.
 *
 * A call is one outbox row that may ring several times: `call_attempt` counts
 * the calls placed for it, `call_outcome` is the last state the provider gave
 * (queued, ringing, in_progress while it lasts; answered, voicemail,
 * interrupted, busy, no_answer, failed, canceled when over), and `call_log`
 * keeps every ended call as JSON `[{at, outcome, seconds}]` so the board and
 * the report say when each try rang. Calls still ringing or connected are
 * counted per account against the provider's cap on calls at once: the
 * partial index keeps that count cheap.
 *
 * A contact receives WhatsApp only after saying yes to it: `whatsapp_opt_in_at`
 * is the day they did (null: never asked, or no).
 */
export const migration: Migration = {
  version: 16,
  name: 'voice calls and WhatsApp',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN call_attempt INTEGER NOT NULL DEFAULT 0 CHECK (call_attempt >= 0);
      ALTER TABLE outbox ADD COLUMN call_outcome TEXT;
      ALTER TABLE outbox ADD COLUMN call_log TEXT;
      CREATE INDEX outbox_calls_live ON outbox (account_id)
        WHERE state = 'sent' AND call_outcome IN ('queued', 'ringing', 'in_progress');

      ALTER TABLE contacts ADD COLUMN whatsapp_opt_in_at TEXT;
    `)
  },
}
