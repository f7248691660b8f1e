import type { Db } from '../db/open'

/** One approval from the phone, as stored. */
export interface ApprovalRow {
  id: number
  person_id: number | null
  name: string
  fingerprint: string
  expires_at: string
}

export type ApprovalState = 'pending' | 'confirmed' | 'expired' | 'void'

/** Drafts started from a page, what each person saw of them, and the approvals they gave. */
export function createApprovalsRepository(db: Db) {
  const s = {
    draftOf: db
      .prepare<[number], number>('SELECT alert_id FROM oncall_drafts WHERE escalation_id = ?')
      .pluck(),
    escalationOf: db
      .prepare<[number], number>('SELECT escalation_id FROM oncall_drafts WHERE alert_id = ?')
      .pluck(),
    link: db.prepare<[number, number, number, string]>(
      'INSERT INTO oncall_drafts (escalation_id, alert_id, created_by, created_at) VALUES (?, ?, ?, ?)',
    ),
    view: db.prepare<[number, number, string, string]>(
      `INSERT INTO oncall_draft_views (alert_id, person_id, fingerprint, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (alert_id, person_id) DO UPDATE SET fingerprint = excluded.fingerprint, at = excluded.at`,
    ),
    viewed: db
      .prepare<[number, number], string>(
        'SELECT fingerprint FROM oncall_draft_views WHERE alert_id = ? AND person_id = ?',
      )
      .pluck(),
    pending: db.prepare<[number], ApprovalRow>(
      `SELECT id, person_id, name, fingerprint, expires_at FROM oncall_approvals
       WHERE alert_id = ? AND state = 'pending' ORDER BY id`,
    ),
    allPending: db.prepare<[], ApprovalRow & { alert_id: number }>(
      `SELECT id, alert_id, person_id, name, fingerprint, expires_at FROM oncall_approvals
       WHERE state = 'pending' ORDER BY id`,
    ),
    insert: db.prepare<
      [number, number, number, string, string, string, string, ApprovalState, string | null]
    >(
      `INSERT INTO oncall_approvals
         (alert_id, escalation_id, person_id, name, fingerprint, at, expires_at, state, settled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    settle: db.prepare<[ApprovalState, string, number]>(
      `UPDATE oncall_approvals SET state = ?, settled_at = ? WHERE id = ? AND state = 'pending'`,
    ),
    draftsSince: db
      .prepare<[string], number>(
        `SELECT count(*) FROM oncall_drafts d JOIN alerts a ON a.id = d.alert_id
         WHERE a.status = 'draft' AND d.created_at >= ?`,
      )
      .pluck(),
    takenWithoutDraft: db
      .prepare<[string], number>(
        `SELECT count(*) FROM oncall_escalations e
         WHERE e.trigger_kind = 'bulletin' AND e.state = 'acknowledged' AND e.closed_via = 'telegram'
           AND e.closed_at >= ? AND NOT EXISTS (SELECT 1 FROM oncall_drafts d WHERE d.escalation_id = e.id)`,
      )
      .pluck(),
  }

  return {
    /** The draft started from this page, if any. */
    draftOf: (escalationId: number): number | undefined => s.draftOf.get(escalationId),
    /** The page this draft was started from, if any. */
    escalationOf: (alertId: number): number | undefined => s.escalationOf.get(alertId),
    link(escalationId: number, alertId: number, personId: number, at: string): void {
      s.link.run(escalationId, alertId, personId, at)
    },
    /** Keeps the fingerprint of the draft as this person last saw it. */
    saw(alertId: number, personId: number, fingerprint: string, at: string): void {
      s.view.run(alertId, personId, fingerprint, at)
    },
    seen: (alertId: number, personId: number): string | undefined =>
      s.viewed.get(alertId, personId),
    pending: (alertId: number): ApprovalRow[] => s.pending.all(alertId),
    allPending: (): (ApprovalRow & { alert_id: number })[] => s.allPending.all(),
    add(row: {
      alertId: number
      escalationId: number
      personId: number
      name: string
      fingerprint: string
      at: string
      expiresAt: string
      state: ApprovalState
      settledAt: string | null
    }): void {
      s.insert.run(
        row.alertId,
        row.escalationId,
        row.personId,
        row.name,
        row.fingerprint,
        row.at,
        row.expiresAt,
        row.state,
        row.settledAt,
      )
    },
    /** Settles a pending approval; false when it was settled already. */
    settle: (id: number, state: ApprovalState, at: string): boolean =>
      s.settle.run(state, at, id).changes > 0,
    /** Phone drafts still drafts, started since then. */
    draftsSince: (since: string): number => s.draftsSince.get(since) ?? 0,
    /** Bulletins' pages taken from the phone since then whose draft was not opened yet. */
    takenWithoutDraft: (since: string): number => s.takenWithoutDraft.get(since) ?? 0,
  }
}

export type ApprovalsRepository = ReturnType<typeof createApprovalsRepository>
