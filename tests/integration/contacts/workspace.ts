import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openDatabase, type Db } from '../../../src/main/core/db/open'

export interface TempWorkspace {
  dir: string
  file: string
  db: Db
  /** Closes the database and deletes the folder. */
  cleanup(): void
}

/** A real workspace file in a fresh temp folder, migrated and seeded like a new install. */
export function tempWorkspace(): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-contacts-'))
  const file = join(dir, 'workspace.sqlite')
  const db = openDatabase(file)
  return {
    dir,
    file,
    db,
    cleanup() {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Bytes of a CSV file in tests/fixtures/contacts. */
export function fixture(name: string): Buffer {
  return readFileSync(resolve(__dirname, '../../fixtures/contacts', name))
}

/** CSV text as bytes, the way a file arrives. */
export const csv = (text: string): Uint8Array => new TextEncoder().encode(text)

/** The id of a seeded comune by name. */
export function comuneId(db: Db, name: string): number {
  return db.prepare('SELECT id FROM comuni WHERE name = ?').pluck().get(name) as number
}

/** The id of a seeded role by name. */
export function roleId(db: Db, name: string): number {
  return db.prepare('SELECT id FROM roles WHERE name = ?').pluck().get(name) as number
}

/** Row counts of every table the contacts area owns: "nothing changed" is these being equal. */
export function tableCounts(db: Db): Record<string, number> {
  const tables = [
    'contacts',
    'contact_phones',
    'contact_roles',
    'contact_tags',
    'consents',
    'opt_outs',
    'lists',
    'list_members',
    'import_sources',
    'import_source_contacts',
    'import_runs',
  ]
  return Object.fromEntries(
    tables.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]),
  )
}
