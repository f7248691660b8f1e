import type { Db } from '../db/open'

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  subject: string | null
  detail: unknown
}

/** The append-only journal of who did what and when (the table refuses updates and deletes). */
export function createAuditLog(db: Db, now: () => Date) {
  const insert = db.prepare<[string, string, string, string | null, string | null]>(
    'INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)',
  )
  const recent = db.prepare<
    [number],
    {
      id: number
      at: string
      actor: string
      action: string
      subject: string | null
      detail: string | null
    }
  >('SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id DESC LIMIT ?')
  return {
    record(actor: string, action: string, subject: string | null, detail?: unknown): void {
      insert.run(
        now().toISOString(),
        actor,
        action,
        subject,
        detail === undefined ? null : JSON.stringify(detail),
      )
    },
    recent(limit = 100): AuditEntry[] {
      return recent
        .all(limit)
        .map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }))
    },
  }
}

export type AuditLog = ReturnType<typeof createAuditLog>
