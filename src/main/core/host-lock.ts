import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const LOCK_FILE = 'vedetta.lock'

/** Which process holds the workspace open, so restore can refuse to pull it from under it. */
export function acquireLock(dataDir: string, pid = process.pid): () => void {
  const file = join(dataDir, LOCK_FILE)
  const holder = lockHolder(dataDir)
  if (holder !== undefined && holder !== pid) {
    throw new Error(
      `the workspace in ${dataDir} is already open in another Vedetta (process ${holder})`,
    )
  }
  writeFileSync(file, String(pid))
  return () => rmSync(file, { force: true })
}

/** The pid of a live process holding the lock, if any (stale locks are ignored). */
export function lockHolder(dataDir: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))
  } catch {
    return undefined
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
}
