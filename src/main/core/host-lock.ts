/**
 * The workspace lock: one Vedetta at a time (desktop or `vedetta host`) on a
 * data directory, so two rooms never send from the same outbox and restore
 * never pulls the database from under a running one.
 *
 * The lock is held by the operating system, not inferred from a file: an
 * SQLite file (`vedetta.lock.db`) opened in exclusive locking mode keeps a
 * write lock (fcntl on Linux and macOS, LockFileEx on Windows) for as long as
 * the process keeps it open, and the kernel drops it the instant the process
 * ends, however it ends (crash, SIGKILL, power cut). So a lock can never be
 * stale, of several starts at once exactly one gets it, and no pid has to be
 * judged alive or reused. Beside it, `vedetta.lock` says who holds it and
 * since when, for the operator's message (and for an older Vedetta, which
 * reads that file and refuses while the pid in it runs).
 */
import Database from 'better-sqlite3'
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatRomeShort } from '../../shared/time'

/** Who holds the workspace and since when (informational: the lock itself is the OS's). */
export const LOCK_FILE = 'vedetta.lock'
/** The file whose OS lock is the workspace lock. */
export const LOCK_DB_FILE = 'vedetta.lock.db'

/** What the holder file says. */
export interface LockRecord {
  pid: number
  /** When the holder took the lock (ISO 8601); empty when the holder file could not be read. */
  since: string
}

/** The facts the lock records; the defaults read them from this process and this clock. */
export interface LockSystem {
  pid: number
  now(): Date
}

/** The workspace is open in another Vedetta that is still running. */
export class WorkspaceLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockRecord,
  ) {
    super(lockedMessage(dataDir, holder))
    this.name = 'WorkspaceLockedError'
  }
}

/** One line for the operator: who holds the workspace and since when. */
export function lockedMessage(dataDir: string, holder: LockRecord): string {
  const since = holder.since ? formatRomeShort(holder.since) : undefined
  const who =
    holder.pid > 0
      ? ` (processo ${holder.pid}${since ? `, dal ${since}` : ''})`
      : ' (appena avviata)'
  return (
    `lo spazio di lavoro ${dataDir} è già aperto in un'altra Vedetta${who}: ` +
    `chiudila prima di aprirlo qui`
  )
}

export const systemLockSystem = (): LockSystem => ({ pid: process.pid, now: () => new Date() })

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/** SQLite's answer when another connection (of any process, or of this one) holds the lock. */
const isBusy = (err: unknown) => {
  const code = (err as { code?: unknown }).code
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
}

/** One try at the lock file's write lock: the open connection, or undefined when it is held. */
function tryOsLock(file: string): Database.Database | undefined {
  const db = new Database(file, { timeout: 0 })
  try {
    db.pragma('locking_mode = EXCLUSIVE')
    // In exclusive locking mode the first write takes the lock and it is never given back
    // until the connection closes (or the process ends).
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (since TEXT); COMMIT')
    return db
  } catch (err) {
    db.close()
    if (isBusy(err)) return undefined
    throw err
  }
}

/**
 * Opens the lock file and takes its write lock, or returns undefined when
 * someone holds it. Starts at the same instant can all be refused at once
 * (each briefly holds the shared lock the others need to give up), so a
 * refusal is tried again for about half a second with random pauses: a
 * running Vedetta refuses every try, a crowd of starts settles on one.
 */
function takeOsLock(dataDir: string): Database.Database | undefined {
  const file = join(dataDir, LOCK_DB_FILE)
  for (let attempt = 0; attempt < 30; attempt++) {
    const db = tryOsLock(file)
    if (db) return db
    pause(5 + Math.floor(Math.random() * 25))
  }
  return undefined
}

function readRecordOnce(dataDir: string): LockRecord | undefined {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as Partial<LockRecord>
    if (Number.isInteger(v.pid) && (v.pid as number) > 0)
      return { pid: v.pid as number, since: typeof v.since === 'string' ? v.since : '' }
  } catch {
    // Not written yet, or gone: see readRecord.
  }
  return undefined
}

/** Whether `pid` is a running process (EPERM: running, but someone else's). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Who holds the OS lock, for the message. A holder that has just taken it
 * writes its record a moment later, over whatever a dead holder left: the
 * file is read again for up to half a second until it names a running
 * process. Otherwise the workspace is still held, only the message cannot
 * name the process.
 */
function readRecord(dataDir: string): LockRecord {
  for (let i = 0; i < 20; i++) {
    const record = readRecordOnce(dataDir)
    if (record && pidAlive(record.pid)) return record
    pause(25)
  }
  return { pid: 0, since: '' }
}

/**
 * Takes the workspace's lock, or throws WorkspaceLockedError naming the holder.
 * The returned function releases it; the operating system also releases it when
 * the process ends, and the holder file is removed on a normal exit.
 */
export function acquireLock(dataDir: string, system: LockSystem = systemLockSystem()): () => void {
  const db = takeOsLock(dataDir)
  if (!db) throw new WorkspaceLockedError(dataDir, readRecord(dataDir))
  const file = join(dataDir, LOCK_FILE)
  const text = JSON.stringify({ pid: system.pid, since: system.now().toISOString() }) + '\n'
  try {
    // Written whole or not at all: a reader never sees half a record.
    writeFileSync(`${file}.tmp`, text, { mode: 0o600 })
    renameSync(`${file}.tmp`, file)
  } catch (err) {
    db.close()
    throw err
  }

  let released = false
  const release = () => {
    if (released) return
    released = true
    process.removeListener('exit', onExit)
    try {
      // Removed while the OS lock is still ours: no other holder can have written it yet.
      unlinkSync(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    } finally {
      db.close()
    }
  }
  const onExit = () => {
    try {
      release()
    } catch (err) {
      // The OS lock goes with the process anyway; a holder file left behind names a process
      // that is gone and blocks nobody (the next start overwrites it).
      process.stderr.write(`vedetta: could not remove ${file}: ${(err as Error).message}\n`)
    }
  }
  process.on('exit', onExit)
  return release
}

/**
 * The pid of the Vedetta holding the workspace (0 when it has just started and
 * not yet said who it is), or undefined when nobody holds it. A holder file
 * left by a process that ended means nothing: only the OS lock counts.
 */
export function lockHolder(dataDir: string): number | undefined {
  if (!existsSync(dataDir)) return undefined
  const db = takeOsLock(dataDir)
  if (!db) return readRecord(dataDir).pid
  db.close()
  return undefined
}
