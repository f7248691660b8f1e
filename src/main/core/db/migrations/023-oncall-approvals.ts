import type { Migration } from './types'

/**
 * Decisions from the phone on a draft: «Apri bozza» on a bulletin's page starts the alert
 * draft the room's composer would (`oncall_drafts`, one per escalation); what the bot showed
 * each person of it is kept as a fingerprint (`oncall_draft_views`), so an approval of a
 * draft that changed since is refused; approvals with the PIN (`oncall_approvals`) wait for
 * a second person when the draft is red or large, and expire or are voided by a change.
 */
export const migration: Migration = {
  version: 23,
  name: 'on-call phone approvals',
  up(db) {
    db.exec(`
      CREATE TABLE oncall_drafts (
        escalation_id INTEGER PRIMARY KEY REFERENCES oncall_escalations(id) ON DELETE CASCADE,
        alert_id INTEGER NOT NULL UNIQUE REFERENCES alerts(id) ON DELETE CASCADE,
        created_by INTEGER REFERENCES oncall_people(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE oncall_draft_views (
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES oncall_people(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (alert_id, person_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE oncall_approvals (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        escalation_id INTEGER REFERENCES oncall_escalations(id) ON DELETE SET NULL,
        person_id INTEGER REFERENCES oncall_people(id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'void', 'expired')),
        settled_at TEXT
      ) STRICT;
      CREATE INDEX oncall_approvals_alert ON oncall_approvals (alert_id, state);
    `)
  },
}
