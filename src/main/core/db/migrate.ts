import type { Database } from 'better-sqlite3'
import type { Migration } from './migrations/types'

/** Marks a file as Vedetta's (PRAGMA application_id), so restore can refuse foreign databases. */
export const VEDETTA_APPLICATION_ID = 0x56454454 // "VEDT"

export class SchemaError extends Error {
  override name = 'SchemaError'
}

export function checkMigrationOrder(migrations: readonly Migration[]): void {
  let previous = 0
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new SchemaError(
        `migration "${m.name}" has version ${m.version}: versions must increase`,
      )
    }
    previous = m.version
  }
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0
}

/**
 * Brings the database to the latest schema: pending steps run in one transaction,
 * the version is kept in `user_version`. A database written by a newer Vedetta is refused.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  target = latestVersion(migrations),
): number {
  checkMigrationOrder(migrations)
  const appId = db.pragma('application_id', { simple: true }) as number
  const current = db.pragma('user_version', { simple: true }) as number
  if (appId !== 0 && appId !== VEDETTA_APPLICATION_ID) {
    throw new SchemaError('this file is not a Vedetta workspace (foreign application_id)')
  }
  if (appId === 0 && current !== 0) {
    throw new SchemaError('this file is not a Vedetta workspace (it has a schema of its own)')
  }
  const latest = latestVersion(migrations)
  if (current > latest) {
    throw new SchemaError(
      `the workspace was written by a newer Vedetta (schema ${current}, this version knows up to ${latest}): update Vedetta`,
    )
  }
  if (current >= target) return current
  const pending = migrations.filter((m) => m.version > current && m.version <= target)
  db.transaction(() => {
    for (const m of pending) m.up(db)
    db.pragma(`application_id = ${VEDETTA_APPLICATION_ID}`)
    db.pragma(`user_version = ${target}`)
  }).immediate()
  return target
}
