import type { JournalEntry } from '../../../shared/contract/room'
import type { Db } from '../db/open'
import type { EventBus } from '../events'

interface Raw {
  id: string
  at: string
  actor: string
  kind: JournalEntry['kind']
  text: string
  subject: string | null
  detail: string | null
}

const toEntry = (r: Raw): JournalEntry => ({
  ...r,
  detail: r.detail === null ? null : JSON.parse(r.detail),
})

/**
 * The room's journal: every audited action plus what operators write (notes,
 * shift handovers), newest first. Both sources are append-only.
 */
export function createJournal(db: Db, events: EventBus, now: () => Date) {
  const page = db.prepare<{ before: string; limit: number }, Raw>(`
    SELECT * FROM (
      SELECT 'a' || id AS id, at, actor, 'action' AS kind, action AS text, subject, detail FROM audit_log
      UNION ALL
      SELECT 'n' || id AS id, at, actor, kind, text, NULL AS subject, detail FROM journal_notes
    ) WHERE at < :before ORDER BY at DESC, id DESC LIMIT :limit`)
  const insert = db.prepare<[string, string, string, string, string | null]>(
    'INSERT INTO journal_notes (at, actor, kind, text, detail) VALUES (?, ?, ?, ?, ?)',
  )

  function add(
    actor: string,
    kind: 'note' | 'handover',
    text: string,
    detail: unknown,
  ): JournalEntry {
    const at = now().toISOString()
    const id = insert.run(
      at,
      actor,
      kind,
      text,
      detail === undefined ? null : JSON.stringify(detail),
    ).lastInsertRowid
    const entry: JournalEntry = {
      id: `n${id}`,
      at,
      actor,
      kind,
      text,
      subject: null,
      detail: detail ?? null,
    }
    events.emit('journal:added', entry)
    return entry
  }

  return {
    list: (limit: number, before = '9999'): JournalEntry[] =>
      page.all({ before, limit }).map(toEntry),
    addNote: (actor: string, text: string) => add(actor, 'note', text, undefined),
    handover: (actor: string, h: { to: string; notes: string; openItems: string[] }) =>
      add(actor, 'handover', h.notes, { from: actor, to: h.to, openItems: h.openItems }),
  }
}

export type Journal = ReturnType<typeof createJournal>
