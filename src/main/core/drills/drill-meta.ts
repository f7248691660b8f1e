import type { Db } from '../db/open'

/**
 * The drill's own facts (which scenario, who created it, where it stands), kept
 * in the drill file itself: one file is the whole drill, so deleting it leaves
 * nothing behind, and a file can always be told apart from the real workspace.
 * Real workspaces never have this table.
 */

export const DRILL_STATUSES = ['ready', 'running', 'paused', 'ended'] as const
export type DrillStatus = (typeof DRILL_STATUSES)[number]

export interface DrillMeta {
  id: string
  scenarioId: string
  title: string
  createdAt: string
  createdBy: string
  status: DrillStatus
  updatedAt: string
}

interface Row {
  drill_id: string
  scenario_id: string
  title: string
  created_at: string
  created_by: string
  status: DrillStatus
  updated_at: string
}

export function createDrillMetaTable(db: Db): void {
  db.exec(`
    CREATE TABLE drill_meta (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      drill_id TEXT NOT NULL,
      scenario_id TEXT NOT NULL,
      title TEXT NOT NULL,
      -- The scenario as validated when the drill was created: the drill stays replayable.
      scenario TEXT NOT NULL CHECK (json_valid(scenario)),
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('ready', 'running', 'paused', 'ended')),
      updated_at TEXT NOT NULL
    ) STRICT;
  `)
}

export function insertDrillMeta(db: Db, meta: DrillMeta, scenarioJson: string): void {
  db.prepare(
    `INSERT INTO drill_meta (singleton, drill_id, scenario_id, title, scenario, created_at, created_by, status, updated_at)
     VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    meta.id,
    meta.scenarioId,
    meta.title,
    scenarioJson,
    meta.createdAt,
    meta.createdBy,
    meta.status,
    meta.updatedAt,
  )
}

/** Whether an open database is a drill (has drill_meta) rather than the real workspace. */
export function isDrillDatabase(db: Db): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'drill_meta'").get() !==
    undefined
  )
}

export interface DrillMetaRepository {
  read(): DrillMeta
  /** The scenario the drill was created from, as JSON text (validate it again before use). */
  scenarioJson(): string
  /** Records where the drill stands (the runner's state, for the list of drills). */
  setStatus(status: DrillStatus, now?: Date): void
}

/** Reads and updates drill_meta of a drill file (throws on a file that is not a drill). */
export function createDrillMetaRepository(db: Db): DrillMetaRepository {
  const select = db.prepare<[], Row>(
    'SELECT drill_id, scenario_id, title, created_at, created_by, status, updated_at FROM drill_meta WHERE singleton = 1',
  )
  const selectScenario = db.prepare<[], { scenario: string }>(
    'SELECT scenario FROM drill_meta WHERE singleton = 1',
  )
  const update = db.prepare<[DrillStatus, string]>(
    'UPDATE drill_meta SET status = ?, updated_at = ? WHERE singleton = 1',
  )
  return {
    read() {
      const row = select.get()
      if (!row) throw new Error('drill_meta is empty')
      return {
        id: row.drill_id,
        scenarioId: row.scenario_id,
        title: row.title,
        createdAt: row.created_at,
        createdBy: row.created_by,
        status: row.status,
        updatedAt: row.updated_at,
      }
    },
    scenarioJson() {
      const row = selectScenario.get()
      if (!row) throw new Error('drill_meta is empty')
      return row.scenario
    },
    setStatus(status, now = new Date()) {
      update.run(status, now.toISOString())
    },
  }
}
