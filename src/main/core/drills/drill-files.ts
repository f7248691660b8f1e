import Database from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Scenario } from '../../../shared/drills/scenario'
import { CoreError } from '../errors'
import { openDatabase, type Db } from '../db/open'
import { DRILL_EMPTIED_TABLES } from './drill-tables'
import {
  createDrillMetaRepository,
  createDrillMetaTable,
  insertDrillMeta,
  isDrillDatabase,
  type DrillMeta,
} from './drill-meta'

/**
 * Drill files: each drill is one SQLite file, `<dataDir>/drills/<id>.sqlite`,
 * made from the real workspace. Configuration comes along; secrets and
 * operational history do not (see drill-tables). The real workspace is only
 * read, through SQLite's online backup, so it can stay open and busy meanwhile.
 *
 * How a drill is made, and why this way:
 * 1. online backup of the real workspace into a staging file (consistent even
 *    while the room writes; the real file is never opened for writing here);
 * 2. in the staging file, with secure_delete on, secrets and history deleted in
 *    one transaction. The append-only tables refuse DELETE by trigger, so each
 *    emptied table's triggers are dropped and re-created from their own SQL:
 *    no copy of another area's DDL to keep in sync, and the drill's journal is
 *    append-only again afterwards;
 * 3. `VACUUM INTO` a fresh file: it holds only live pages, so not a byte of a
 *    deleted secret survives in free pages; then renamed into place, so a
 *    half-made drill never shows up in the list.
 * Copying table by table into a freshly migrated file was the alternative; it
 * fights the seeds new workspaces get (comuni, roles, partners) and must know
 * every column of every table.
 */

const DRILL_ID_RE = /^[a-z0-9][a-z0-9-]{0,79}$/
const DRILL_SUFFIX = '.sqlite'

export const drillsDir = (dataDir: string): string => join(dataDir, 'drills')

/** The file of a drill. Refuses ids that are not plain names (no path can escape the folder). */
export function drillFile(dataDir: string, id: string): string {
  if (!DRILL_ID_RE.test(id)) throw new CoreError('invalid_input', `"${id}" is not a valid drill id`)
  return join(drillsDir(dataDir), id + DRILL_SUFFIX)
}

/** A new drill id: UTC time of creation plus a random tail, e.g. `20260112-130501-3f9a`. */
export function newDrillId(now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  return `${stamp}-${randomBytes(2).toString('hex')}`
}

export interface CreateDrillOptions {
  dataDir: string
  /** The open real workspace. It is only read. */
  workspace: Db
  scenario: Scenario
  /** The trainer, as the room names operators. */
  createdBy: string
  now?: Date
  /** Chosen id (tests, CLI); by default a new one. */
  id?: string
  /** The drill's own title; by default the scenario's. */
  title?: string
}

export interface DrillInfo extends DrillMeta {
  file: string
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`

function removeDbFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true })
}

/**
 * Empties one table even if triggers make it append-only: its triggers are put
 * back exactly as they were. Identifiers come from our own constant list, not
 * from input, and are quoted.
 */
function emptyTable(db: Db, table: string): void {
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
    .get(table)
  if (!exists) return
  const triggers = db
    .prepare<[string], { name: string; sql: string }>(
      "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
    )
    .all(table)
  for (const t of triggers) db.exec(`DROP TRIGGER ${quoteIdent(t.name)}`)
  db.exec(`DELETE FROM ${quoteIdent(table)}`)
  for (const t of triggers) db.exec(t.sql)
}

/** Removes what a drill must not have, in the staging copy. */
function scrub(db: Db, meta: DrillMeta, scenario: Scenario): void {
  db.pragma('secure_delete = ON')
  db.transaction(() => {
    for (const table of DRILL_EMPTIED_TABLES) emptyTable(db, table)
    // Feeds stay configured but do not poll: a drill's bulletins come from its
    // scenario, and a drill must open no connection to the outside world.
    db.prepare(
      `UPDATE feed_sources SET enabled = 0, etag = NULL, last_modified = NULL, last_polled_at = NULL,
         last_ok_at = NULL, last_error = NULL, last_error_code = NULL, last_error_at = NULL,
         error_count = 0, next_poll_at = NULL`,
    ).run()
    createDrillMetaTable(db)
    insertDrillMeta(db, meta, JSON.stringify(scenario))
  })()
}

/** Creates a drill from the real workspace. See the module comment for how. */
export async function createDrill(options: CreateDrillOptions): Promise<DrillInfo> {
  const now = options.now ?? new Date()
  const id = options.id ?? newDrillId(now)
  const file = drillFile(options.dataDir, id)
  if (isDrillDatabase(options.workspace)) {
    throw new CoreError(
      'forbidden',
      'a drill is made from the real workspace, not from another drill',
    )
  }
  mkdirSync(drillsDir(options.dataDir), { recursive: true, mode: 0o700 })
  if (existsSync(file)) throw new CoreError('conflict', `a drill with id "${id}" already exists`)
  const staging = join(drillsDir(options.dataDir), `${id}.staging`)
  const partial = join(drillsDir(options.dataDir), `${id}.partial`)
  const meta: DrillMeta = {
    id,
    scenarioId: options.scenario.id,
    title: options.title ?? options.scenario.title,
    createdAt: now.toISOString(),
    createdBy: options.createdBy,
    status: 'ready',
    updatedAt: now.toISOString(),
  }
  removeDbFiles(staging)
  removeDbFiles(partial)
  let db: Db | undefined
  try {
    await options.workspace.backup(staging)
    db = openDatabase(staging)
    scrub(db, meta, options.scenario)
    db.prepare('VACUUM INTO ?').run(partial)
    db.close()
    db = undefined
    renameSync(partial, file)
    return { ...meta, file }
  } finally {
    db?.close()
    removeDbFiles(staging)
    removeDbFiles(partial)
  }
}

/** Opens a drill for the drill room. Refuses a file that is not a drill. */
export function openDrill(dataDir: string, id: string): Db {
  const file = drillFile(dataDir, id)
  if (!existsSync(file)) throw new CoreError('not_found', `drill "${id}" not found`)
  const db = openDatabase(file)
  if (!isDrillDatabase(db)) {
    db.close()
    throw new CoreError('forbidden', `${file} is not a drill`)
  }
  return db
}

export type DrillListEntry =
  | ({ ok: true; sizeBytes: number } & DrillInfo)
  | { ok: false; id: string; file: string; problem: string }

/** Every drill in the data directory, newest first; unreadable files are listed with their problem. */
export function listDrills(dataDir: string): DrillListEntry[] {
  const dir = drillsDir(dataDir)
  if (!existsSync(dir)) return []
  const entries: DrillListEntry[] = []
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(DRILL_SUFFIX)) continue
    const id = name.slice(0, -DRILL_SUFFIX.length)
    if (!DRILL_ID_RE.test(id)) continue
    const file = join(dir, name)
    let db: Database.Database | undefined
    try {
      db = new Database(file, { readonly: true, fileMustExist: true })
      if (!isDrillDatabase(db)) throw new Error('not a drill file')
      entries.push({
        ok: true,
        ...createDrillMetaRepository(db).read(),
        file,
        sizeBytes: statSync(file).size,
      })
    } catch (err) {
      entries.push({ ok: false, id, file, problem: (err as Error).message })
    } finally {
      db?.close()
    }
  }
  const createdAt = (e: DrillListEntry): string => (e.ok ? e.createdAt : '')
  return entries.sort(
    (a, b) => createdAt(b).localeCompare(createdAt(a)) || b.id.localeCompare(a.id),
  )
}

/**
 * Deletes a drill: its file and SQLite's side files. Close every connection to
 * it first (on Windows an open file cannot be removed).
 */
export function deleteDrill(dataDir: string, id: string): void {
  const file = drillFile(dataDir, id)
  if (!existsSync(file)) throw new CoreError('not_found', `drill "${id}" not found`)
  removeDbFiles(file)
}
