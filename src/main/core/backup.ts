import Database from 'better-sqlite3'
import { existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Db } from './db/open'
import { openDatabase } from './db/open'
import { MIGRATIONS } from './db/migrations'
import { latestVersion, VEDETTA_APPLICATION_ID } from './db/migrate'
import { freezeRestoredSends, type FrozenSends } from './outbox/after-restore'
import { workspaceFile } from './workspace'

export class RestoreRefused extends Error {
  override name = 'RestoreRefused'
}

/** Online backup (SQLite backup API): safe while the workspace is in use. */
export async function backupDatabase(db: Db, file: string): Promise<void> {
  if (existsSync(file)) throw new RestoreRefused(`${file} already exists: choose a new file name`)
  if (!existsSync(dirname(file)))
    throw new RestoreRefused(`the folder ${dirname(file)} does not exist`)
  await db.backup(file)
}

/** Reads what a candidate backup is, without changing it. */
export function inspectBackup(file: string): { version: number } {
  if (!existsSync(file)) throw new RestoreRefused(`${file} does not exist`)
  if (!statSync(file).isFile()) throw new RestoreRefused(`${file} is not a file`)
  let src: Database.Database | undefined
  try {
    src = new Database(file, { readonly: true, fileMustExist: true })
    const appId = src.pragma('application_id', { simple: true }) as number
    const version = src.pragma('user_version', { simple: true }) as number
    if (appId !== VEDETTA_APPLICATION_ID)
      throw new RestoreRefused(`${basename(file)} is not a Vedetta backup`)
    const latest = latestVersion(MIGRATIONS)
    if (version > latest) {
      throw new RestoreRefused(
        `${basename(file)} comes from a newer Vedetta (schema ${version}, this one knows up to ${latest}): update Vedetta first`,
      )
    }
    const check = src.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new RestoreRefused(`${basename(file)} is damaged (${String(check)})`)
    return { version }
  } catch (err) {
    if (err instanceof RestoreRefused) throw err
    throw new RestoreRefused(
      `${basename(file)} is not a Vedetta backup (${(err as Error).message})`,
    )
  } finally {
    src?.close()
  }
}

/**
 * Replaces the workspace with a backup. The backup is copied and migrated aside
 * first; only then is the current file moved away (kept as
 * `workspace.before-restore-*.sqlite`) and the new one put in place. Any
 * refusal leaves the current data untouched. The restored workspace opens with
 * nothing sending (see {@link freezeRestoredSends}): the operator decides.
 */
export async function restoreWorkspace(
  dataDir: string,
  file: string,
  now = new Date(),
): Promise<{ previous?: string; frozen: FrozenSends }> {
  inspectBackup(file)
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const staged = join(dataDir, `workspace.restoring-${stamp}.sqlite`)
  const src = new Database(file, { readonly: true, fileMustExist: true })
  try {
    await src.backup(staged)
  } finally {
    src.close()
  }
  let frozen: FrozenSends
  try {
    const db = openDatabase(staged) // brings an older backup to the current schema
    frozen = freezeRestoredSends(db, now, basename(file))
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.pragma('journal_mode = DELETE')
    db.close()
  } catch (err) {
    rmSync(staged, { force: true })
    throw new RestoreRefused(
      `the backup could not be brought to the current schema: ${(err as Error).message}`,
    )
  }
  const current = workspaceFile(dataDir)
  let previous: string | undefined
  if (existsSync(current)) {
    const db = openDatabase(current, { migrate: false })
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    previous = join(dataDir, `workspace.before-restore-${stamp}.sqlite`)
    renameSync(current, previous)
    for (const suffix of ['-wal', '-shm']) rmSync(current + suffix, { force: true })
  }
  renameSync(staged, current)
  return { previous, frozen }
}
