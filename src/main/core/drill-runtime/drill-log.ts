import type { Db } from '../db/open'
import type { ClockSegment } from '../drills/drill-clock'
import type { ControlRecord, FiredEvent } from '../drills/timeline'

/**
 * What the runner did, kept in the drill file itself (like drill_meta): every
 * firing with its outcome, every trainer action, and the clock's segments. The
 * report is built from it, so it outlives the process that ran the drill and
 * deleting the file deletes it too. Real workspaces never have this table.
 */

export interface DrillHistory {
  fired: FiredEvent[]
  controls: ControlRecord[]
  segments: ClockSegment[]
}

type Kind = 'fired' | 'control' | 'segment'

const TABLE_SQL = `
  CREATE TABLE IF NOT EXISTS drill_log (
    kind TEXT NOT NULL CHECK (kind IN ('fired', 'control', 'segment')),
    seq INTEGER NOT NULL,
    body TEXT NOT NULL CHECK (json_valid(body)),
    PRIMARY KEY (kind, seq)
  ) STRICT, WITHOUT ROWID;`

export interface DrillLog {
  saveFired(entry: FiredEvent): void
  /** Writes the whole lists (short: a few dozen controls and segments). */
  saveClock(controls: readonly ControlRecord[], segments: readonly ClockSegment[]): void
  read(): DrillHistory
}

function hasLogTable(db: Db): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'drill_log'").get() !==
    undefined
  )
}

function readRows(db: Db): DrillHistory {
  const rows = db
    .prepare<[], { kind: Kind; body: string }>(
      'SELECT kind, body FROM drill_log ORDER BY kind, seq',
    )
    .all()
  const history: DrillHistory = { fired: [], controls: [], segments: [] }
  for (const r of rows) {
    const body: unknown = JSON.parse(r.body)
    if (r.kind === 'fired') history.fired.push(body as FiredEvent)
    else if (r.kind === 'control') history.controls.push(body as ControlRecord)
    else history.segments.push(body as ClockSegment)
  }
  return history
}

/** The history of a drill file opened read-only (an earlier drill); empty if it never ran. */
export function readDrillHistory(db: Db): DrillHistory {
  return hasLogTable(db) ? readRows(db) : { fired: [], controls: [], segments: [] }
}

/** The log of an open drill (creates its table on first use). */
export function createDrillLog(db: Db): DrillLog {
  db.exec(TABLE_SQL)
  const upsert = db.prepare<[Kind, number, string]>(
    'INSERT INTO drill_log (kind, seq, body) VALUES (?, ?, ?) ON CONFLICT (kind, seq) DO UPDATE SET body = excluded.body',
  )
  const clear = db.prepare<[Kind]>('DELETE FROM drill_log WHERE kind = ?')
  const writeClock = db.transaction(
    (controls: readonly ControlRecord[], segments: readonly ClockSegment[]) => {
      clear.run('control')
      clear.run('segment')
      controls.forEach((c, i) => upsert.run('control', i, JSON.stringify(c)))
      segments.forEach((s, i) => upsert.run('segment', i, JSON.stringify(s)))
    },
  )
  return {
    saveFired: (entry) => void upsert.run('fired', entry.seq, JSON.stringify(entry)),
    saveClock: (controls, segments) => writeClock(controls, segments),
    read: () => readRows(db),
  }
}
