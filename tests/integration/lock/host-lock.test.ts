import { spawn, spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { build, type BuildOptions } from 'esbuild'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  acquireLock,
  LOCK_DB_FILE,
  LOCK_FILE,
  lockHolder,
  systemLockSystem,
  WorkspaceLockedError,
  type LockRecord,
  type LockSystem,
} from '../../../src/main/core/host-lock'

const REPO = resolve(__dirname, '../../..')

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-lock-'))
  dirs.push(d)
  return d
}
const releases: (() => void)[] = []
afterEach(() => {
  releases.splice(0).forEach((r) => r())
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }))
})

const lockFile = (dir: string) => join(dir, LOCK_FILE)
const readRecord = (dir: string) => JSON.parse(readFileSync(lockFile(dir), 'utf8')) as LockRecord
const writeRecord = (dir: string, record: LockRecord | string) =>
  writeFileSync(lockFile(dir), typeof record === 'string' ? record : JSON.stringify(record))
const take = (dir: string, system?: LockSystem) => {
  const release = acquireLock(dir, system)
  releases.push(release)
  return release
}

/** A pid that has just exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid

/** Children load the bundled lock; better-sqlite3 (native) is found in the repository's modules. */
const childEnv = () => ({ ...process.env, NODE_PATH: join(REPO, 'node_modules') })

/** Another Vedetta: a process that takes the lock and keeps it until killed. */
async function otherHolder(dir: string) {
  const script = `require(${JSON.stringify(bundled)}).acquireLock(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000)`
  const child = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: childEnv(),
  })
  const rl = createInterface({ input: child.stdout! })
  await new Promise<void>((done) => rl.once('line', () => done()))
  const exited = new Promise((done) => child.once('exit', done))
  return { pid: child.pid!, kill: async () => (child.kill('SIGKILL'), await exited) }
}

describe('workspace lock', () => {
  it('takes a free workspace, records who and since when, and releases it', () => {
    const dir = tempDir()
    const release = take(dir, { pid: process.pid, now: () => new Date('2026-02-07T13:00:00Z') })
    expect(readRecord(dir)).toEqual({ pid: process.pid, since: '2026-02-07T13:00:00.000Z' })
    expect(lockHolder(dir)).toBe(process.pid)
    release()
    expect(existsSync(lockFile(dir))).toBe(false)
    expect(lockHolder(dir)).toBeUndefined()
    take(dir) // free again
  })

  it('refuses a workspace another running Vedetta holds, in one line naming its process and since when', async () => {
    const dir = tempDir()
    const other = await otherHolder(dir)
    try {
      const before = readFileSync(lockFile(dir), 'utf8')
      let error: unknown
      try {
        take(dir)
      } catch (err) {
        error = err
      }
      expect(error).toBeInstanceOf(WorkspaceLockedError)
      const message = (error as Error).message
      expect(message.split('\n')).toHaveLength(1)
      expect(message).toMatch(
        new RegExp(
          `${dir} è già aperto in un'altra Vedetta \\(processo ${other.pid}, dal \\d\\d/\\d\\d/\\d\\d, \\d\\d:\\d\\d\\)`,
        ),
      )
      expect((error as WorkspaceLockedError).holder.pid).toBe(other.pid)
      expect(readFileSync(lockFile(dir), 'utf8')).toBe(before) // untouched
      expect(lockHolder(dir)).toBe(other.pid)
    } finally {
      await other.kill()
    }
  })

  it('is free the instant its holder is killed (SIGKILL, a crash, a power cut): nothing is left to judge', async () => {
    const dir = tempDir()
    const other = await otherHolder(dir)
    await other.kill()
    // The holder file still names the dead process; it blocks nobody.
    expect(readRecord(dir).pid).toBe(other.pid)
    expect(lockHolder(dir)).toBeUndefined()
    take(dir)
    expect(readRecord(dir).pid).toBe(process.pid)
  })

  it('is not blocked by a holder file alone, whatever it names: a dead pid, a running one, nothing', () => {
    for (const left of [
      JSON.stringify({ pid: deadPid(), since: '2026-02-01T08:00:00Z' }),
      String(process.ppid), // an older Vedetta wrote a bare pid; this one runs, but holds nothing
      '',
    ]) {
      const dir = tempDir()
      writeRecord(dir, left)
      expect(lockHolder(dir)).toBeUndefined()
      take(dir)
      expect(readRecord(dir).pid).toBe(process.pid)
      expect(readdirSync(dir).sort()).toEqual([LOCK_FILE, LOCK_DB_FILE])
    }
  })

  it('refuses a second acquisition in this same process', () => {
    const dir = tempDir()
    take(dir)
    expect(() => take(dir)).toThrow(`(processo ${process.pid}, dal `)
  })

  it('says a workspace nobody has opened is free', () => {
    expect(lockHolder(join(tempDir(), 'not-created-yet'))).toBeUndefined()
  })

  it('is released when the process exits, even on an uncaught error', () => {
    for (const ending of ['', 'throw new Error("boom")']) {
      const dir = tempDir()
      const script = `require(${JSON.stringify(bundled)}).acquireLock(${JSON.stringify(dir)}); ${ending}`
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: childEnv() })
      expect(r.status, r.stderr).toBe(ending ? 1 : 0)
      expect(existsSync(lockFile(dir))).toBe(false)
      expect(lockHolder(dir)).toBeUndefined()
    }
  })
})

// Real processes racing for one lock: of several starts at once, exactly one wins.
let bundleDir: string
let racer: string
let bundled: string
beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'vedetta-lock-bundle-'))
  racer = join(bundleDir, 'lock-racer.cjs')
  bundled = join(bundleDir, 'host-lock.cjs')
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
  }
  await build({
    ...common,
    entryPoints: [join(REPO, 'tests/integration/lock/lock-racer.ts')],
    outfile: racer,
    logLevel: 'error',
  })
  await build({
    ...common,
    entryPoints: [join(REPO, 'src/main/core/host-lock.ts')],
    outfile: bundled,
    logLevel: 'error',
  })
})
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }))

async function race(dir: string, racers: number) {
  const go = join(dir, 'go')
  const stop = join(dir, 'stop')
  const children = Array.from({ length: racers }, () =>
    spawn(process.execPath, [racer, dir, go, stop], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: childEnv(),
    }),
  )
  const lines = children.map((child) => {
    const rl = createInterface({ input: child.stdout! })
    const wanted: ((line: string) => void)[] = []
    rl.on('line', (line) => wanted.shift()?.(line))
    return () => new Promise<string>((done) => wanted.push(done))
  })
  const nextLines = lines.map((next) => next())
  await Promise.all(nextLines) // every racer is ready
  const results = lines.map((next) => next())
  writeFileSync(go + '.tmp', String(Date.now() + 150))
  renameSync(go + '.tmp', go)
  const outcomes = await Promise.all(results)
  writeFileSync(stop, '')
  await Promise.all(children.map((c) => new Promise((done) => c.once('exit', done))))
  return { outcomes, pids: children.map((c) => c.pid!) }
}

describe('workspace lock, starts at the same time', () => {
  it('lets exactly one of several simultaneous starts open the workspace', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir()
      const { outcomes, pids } = await race(dir, 6)
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1)
      const winner = pids[outcomes.indexOf('won')]
      for (const o of outcomes.filter((o) => o !== 'won'))
        expect(o).toMatch(new RegExp(`^lost .*\\(processo ${winner}, dal `))
      expect(existsSync(lockFile(dir))).toBe(false) // the winner released it on stop
    }
  })

  it('lets exactly one of several simultaneous starts open a workspace whose last holder died', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir()
      writeRecord(dir, { pid: deadPid(), since: '2026-02-01T08:00:00Z' })
      const { outcomes } = await race(dir, 6)
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1)
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    }
  })
})

it('records this process and this clock by default', () => {
  const system = systemLockSystem()
  expect(system.pid).toBe(process.pid)
  expect(Math.abs(system.now().getTime() - Date.now())).toBeLessThan(60_000)
})
