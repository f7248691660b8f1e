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
/** `onRecord` hears every entry as it is written (the room's journal shows them live). */
export function createAuditLog(db: Db, now: () => Date, onRecord?: (entry: AuditEntry) => void) {
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
      const at = now().toISOString()
      const json = detail === undefined ? null : JSON.stringify(detail)
      const id = Number(insert.run(at, actor, action, subject, json).lastInsertRowid)
      onRecord?.({ id, at, actor, action, subject, detail: detail ?? null })
    },
    recent(limit = 100): AuditEntry[] {
      return recent
        .all(limit)
        .map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }))
    },
  }
}

export type AuditLog = ReturnType<typeof createAuditLog>
