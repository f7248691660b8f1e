/**
 * The workspace lock: one Vedetta at a time (desktop or `vedetta host`) on a
 * data directory, so two rooms never send from the same outbox and restore
 * never pulls the database from under a running one.
 *
 * The lock file is created exclusively (`wx`): of two starts at once only one
 * gets it. It records the holder's pid, the identity of that process's start
 * and when it took the lock. A lock is stale when its process is gone, or when
 * its pid now belongs to another process: after a power cut pids are handed
 * out again, and the start identity tells the two apart. A stale lock is
 * moved aside and the exclusive create tried again; if another start wins in
 * between, the workspace is held by that one.
 */
import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { formatRomeShort } from '../../shared/time'

export const LOCK_FILE = 'vedetta.lock'

/** What the lock file says about its holder. */
export interface LockRecord {
  pid: number
  /** The holder process's start, as `startOf` gave it; absent where the platform cannot tell. */
  started?: string
  /** When the holder took the lock (ISO 8601); empty for a lock written by an older Vedetta. */
  since: string
}

/** The facts about processes the lock needs; the defaults read them from this computer. */
export interface LockSystem {
  /** This process. */
  pid: number
  alive(pid: number): boolean
  /** An identity of the start of process `pid`, equal only for the same process; undefined when unknown. */
  startOf(pid: number): string | undefined
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
  return (
    `lo spazio di lavoro ${dataDir} è già aperto in un'altra Vedetta ` +
    `(processo ${holder.pid}${since ? `, dal ${since}` : ''}): chiudila prima di aprirlo qui`
  )
}

/** Whether `pid` is a running process (EPERM: running, but someone else's). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Linux: the boot (`boot_id`) and the start tick of the process (field 22 of
 * /proc/PID/stat, counted from boot). Both together name one process of one
 * boot. `btime` from /proc/stat is not used: it is derived from the wall clock
 * and moves by a second when the clock is adjusted.
 */
export function linuxProcessStart(
  pid: number,
  read: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): string | undefined {
  let stat: string
  try {
    stat = read(`/proc/${pid}/stat`)
  } catch {
    return undefined
  }
  // Field 2 is the command in parentheses and may itself hold spaces and ')'.
  const rest = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/)
  const ticks = rest[22 - 3]
  if (ticks === undefined || !/^\d+$/.test(ticks)) return undefined
  let boot = ''
  try {
    boot = read('/proc/sys/kernel/random/boot_id').trim()
  } catch {
    // Without the boot id the tick alone still tells most reused pids apart.
  }
  return `${boot}:${ticks}`
}

/**
 * This computer's facts. On Linux the start identity comes from /proc. macOS
 * and Windows have no cheap way (it takes spawning `ps` or PowerShell), so
 * there a lock is stale only when its pid is not running, or when the pid is
 * this very process, which cannot be holding a lock it has not taken.
 */
export function systemLockSystem(platform: NodeJS.Platform = process.platform): LockSystem {
  return {
    pid: process.pid,
    alive: pidAlive,
    startOf: platform === 'linux' ? (pid) => linuxProcessStart(pid) : () => undefined,
    now: () => new Date(),
  }
}

/** Lock files this process holds, to tell a second acquisition here from a previous life of our pid. */
const held = new Set<string>()

/**
 * Takes the workspace's lock, or throws WorkspaceLockedError naming the holder.
 * The returned function releases it; it is also released when the process exits.
 */
export function acquireLock(dataDir: string, system: LockSystem = systemLockSystem()): () => void {
  const file = join(dataDir, LOCK_FILE)
  const mine: LockRecord = {
    pid: system.pid,
    started: system.startOf(system.pid),
    since: system.now().toISOString(),
  }
  const text = JSON.stringify(mine) + '\n'
  // Create; if taken and stale, move it aside and create again. A third round
  // only happens when the holder released between our create and our read.
  for (let round = 0; round < 3; round++) {
    if (createExclusive(file, text)) return holdUntilRelease(file, text)
    const found = readLock(file)
    if (!found) continue
    if (!isStale(found.record, system, held.has(file)))
      throw new WorkspaceLockedError(dataDir, found.record)
    removeIfUnchanged(file, found.text)
  }
  const last = readLock(file)
  if (last) throw new WorkspaceLockedError(dataDir, last.record)
  throw new Error(`impossibile prendere il blocco ${file}: riprova`)
}

/** The pid of the live process holding the workspace, if any (stale locks are ignored). */
export function lockHolder(
  dataDir: string,
  system: LockSystem = systemLockSystem(),
): number | undefined {
  const file = join(dataDir, LOCK_FILE)
  const found = readLock(file)
  if (!found || isStale(found.record, system, held.has(file))) return undefined
  return found.record.pid
}

function isStale(record: LockRecord, system: LockSystem, heldHere: boolean): boolean {
  if (record.pid <= 0) return true
  if (record.pid === system.pid) return !heldHere
  if (!system.alive(record.pid)) return true
  if (record.started === undefined) return false
  const now = system.startOf(record.pid)
  // Unknown now (e.g. /proc hidden): the pid is alive, so it is held.
  return now !== undefined && now !== record.started
}

function createExclusive(file: string, text: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    writeSync(fd, text)
  } catch (err) {
    closeSync(fd)
    unlinkSync(file)
    throw err
  }
  closeSync(fd)
  return true
}

function parseRecord(text: string): LockRecord | undefined {
  const t = text.trim()
  if (/^\d+$/.test(t)) return { pid: Number(t), since: '' } // an older Vedetta wrote only the pid
  try {
    const v = JSON.parse(t) as Partial<LockRecord>
    if (!Number.isInteger(v.pid) || (v.pid as number) <= 0) return undefined
    return {
      pid: v.pid as number,
      started: typeof v.started === 'string' ? v.started : undefined,
      since: typeof v.since === 'string' ? v.since : '',
    }
  } catch {
    return undefined
  }
}

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

/**
 * The lock as written, or undefined when there is none. A file that does not
 * parse may be one being written this instant by a start that just created it:
 * it is read again for half a second before being taken for the remains of a
 * start that died between creating and writing it (then it is stale, pid 0).
 */
function readLock(file: string): { text: string; record: LockRecord } | undefined {
  let text = ''
  for (let i = 0; i < 20; i++) {
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw err
    }
    const record = parseRecord(text)
    if (record) return { text, record }
    pause(25)
  }
  return { text, record: { pid: 0, since: '' } }
}

/**
 * Removes a stale lock only if it is still the one we judged: it is renamed
 * aside first (only one of several starts can rename a given file), and if
 * what we moved turns out to be a fresh lock another start has just taken, it
 * is put back.
 */
function removeIfUnchanged(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`
  try {
    renameSync(file, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return // another start removed it
    throw err
  }
  if (readFileSync(aside, 'utf8') !== staleText) {
    try {
      linkSync(aside, file) // back where it was, unless yet another lock is there now
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code !== 'EEXIST') renameSync(aside, file) // no hard links on this disk (FAT)
    }
  }
  try {
    unlinkSync(aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
}

function holdUntilRelease(file: string, text: string): () => void {
  held.add(file)
  let released = false
  const release = () => {
    if (released) return
    released = true
    held.delete(file)
    process.removeListener('exit', onExit)
    // Only our own lock: never remove one that another Vedetta took over meanwhile.
    try {
      if (readFileSync(file, 'utf8') === text) unlinkSync(file)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
  const onExit = () => {
    try {
      release()
    } catch (err) {
      // Left behind, the lock names a dead pid: the next start takes it over.
      process.stderr.write(`vedetta: could not remove ${file}: ${(err as Error).message}\n`)
    }
  }
  process.on('exit', onExit)
  return release
}
