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
import { build } from 'esbuild'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  acquireLock,
  linuxProcessStart,
  LOCK_FILE,
  lockHolder,
  systemLockSystem,
  WorkspaceLockedError,
  type LockRecord,
  type LockSystem,
} from '../../../src/main/core/host-lock'

const REPO = resolve(__dirname, '../../..')
const onLinux = process.platform === 'linux'

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

/** A computer where `alive` pids run with the given starts. */
function fakeSystem(pid: number, starts: Record<number, string | undefined>): LockSystem {
  return {
    pid,
    alive: (p) => p in starts,
    startOf: (p) => starts[p],
    now: () => new Date('2026-02-07T13:00:00Z'),
  }
}

describe('workspace lock', () => {
  it('takes a free workspace, records who and since when, and releases only its own lock', () => {
    const dir = tempDir()
    const release = take(dir)
    const record = readRecord(dir)
    expect(record.pid).toBe(process.pid)
    expect(Date.parse(record.since)).not.toBeNaN()
    if (onLinux) expect(record.started).toBe(linuxProcessStart(process.pid))
    expect(lockHolder(dir)).toBe(process.pid)
    release()
    expect(existsSync(lockFile(dir))).toBe(false)

    // A lock another Vedetta took over after ours is not ours to remove.
    const again = take(dir)
    writeRecord(dir, { pid: 4242, since: '2026-02-07T13:00:00Z' })
    again()
    expect(readRecord(dir).pid).toBe(4242)
  })

  it('refuses a live, matching holder in one line naming its process and since when', () => {
    const dir = tempDir()
    const held: LockRecord = { pid: 77, started: 'boot:100', since: '2026-02-07T13:00:00Z' }
    writeRecord(dir, held)
    const attempt = () => take(dir, fakeSystem(88, { 77: 'boot:100', 88: 'boot:900' }))
    expect(attempt).toThrow(WorkspaceLockedError)
    try {
      attempt()
    } catch (err) {
      const message = (err as Error).message
      expect(message.split('\n')).toHaveLength(1)
      expect(message).toContain(dir)
      expect(message).toContain(
        "è già aperto in un'altra Vedetta (processo 77, dal 07/02/26, 14:00)",
      )
      expect((err as WorkspaceLockedError).holder).toEqual(held)
    }
    expect(readRecord(dir)).toEqual(held) // untouched
    expect(lockHolder(dir, fakeSystem(88, { 77: 'boot:100' }))).toBe(77)
  })

  it('takes over a lock left by a process that is gone', () => {
    const dir = tempDir()
    const pid = deadPid()
    writeRecord(dir, { pid, started: 'whatever', since: '2026-02-01T08:00:00Z' })
    expect(lockHolder(dir)).toBeUndefined()
    take(dir)
    expect(readRecord(dir).pid).toBe(process.pid)
  })

  it('takes over a lock whose pid now belongs to another process (a power cut reused it)', () => {
    const dir = tempDir()
    writeRecord(dir, { pid: 77, started: 'boot-a:100', since: '2026-02-01T08:00:00Z' })
    take(dir, fakeSystem(88, { 77: 'boot-b:100', 88: 'boot-b:500' }))
    expect(readRecord(dir)).toMatchObject({ pid: 88, started: 'boot-b:500' })
  })

  it.runIf(onLinux)('tells a live pid from a reused one with the real /proc start time', () => {
    const dir = tempDir()
    const parent = process.ppid // alive for the whole test
    const started = linuxProcessStart(parent)!
    writeRecord(dir, { pid: parent, started, since: '2026-02-07T13:00:00Z' })
    expect(() => take(dir)).toThrow(`(processo ${parent}, dal 07/02/26, 14:00)`)

    writeRecord(dir, { pid: parent, started: started + '1', since: '2026-02-07T13:00:00Z' })
    take(dir)
    expect(readRecord(dir).pid).toBe(process.pid)
  })

  it('reads a lock written by an older Vedetta (a bare pid) by liveness', () => {
    const dir = tempDir()
    writeRecord(dir, String(process.ppid))
    expect(() => take(dir)).toThrow(`processo ${process.ppid})`)
    writeRecord(dir, String(deadPid()))
    take(dir)
    expect(readRecord(dir).pid).toBe(process.pid)
  })

  it('where start times are unknown, a lock naming our own pid is a previous life of it', () => {
    const dir = tempDir()
    writeRecord(dir, { pid: 88, since: '2026-02-01T08:00:00Z' })
    const system = fakeSystem(88, { 88: undefined })
    take(dir, system)
    // …but a second acquisition in this same process is refused.
    expect(() => take(dir, system)).toThrow(WorkspaceLockedError)
  })

  it('takes over an empty lock left by a start that died between creating and writing it', () => {
    const dir = tempDir()
    writeRecord(dir, '')
    take(dir)
    expect(readRecord(dir).pid).toBe(process.pid)
    expect(readdirSync(dir)).toEqual([LOCK_FILE]) // nothing left aside
  })

  it.runIf(onLinux)('reads field 22 of /proc/PID/stat even when the command holds ") "', () => {
    const stat = '123 (a) b (c) S 1 123 123 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 50'
    const files: Record<string, string> = {
      '/proc/123/stat': stat,
      '/proc/sys/kernel/random/boot_id': 'b00t\n',
    }
    expect(linuxProcessStart(123, (p) => files[p]!)).toBe('b00t:987654')
    expect(linuxProcessStart(process.pid)).toBe(linuxProcessStart(process.pid))
    expect(linuxProcessStart(process.pid)).not.toBe(linuxProcessStart(process.ppid))
    expect(linuxProcessStart(deadPid())).toBeUndefined()
  })

  it('is released when the process exits, even on an uncaught error', () => {
    for (const ending of ['', 'throw new Error("boom")']) {
      const dir = tempDir()
      const script = `require(${JSON.stringify(bundled)}).acquireLock(${JSON.stringify(dir)}); ${ending}`
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
      expect(r.status, r.stderr).toBe(ending ? 1 : 0)
      expect(existsSync(lockFile(dir))).toBe(false)
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
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20' } as const
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
    spawn(process.execPath, [racer, dir, go, stop], { stdio: ['ignore', 'pipe', 'inherit'] }),
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

  it('lets exactly one of several simultaneous starts take over a stale lock', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = tempDir()
      writeRecord(dir, { pid: deadPid(), started: 'old', since: '2026-02-01T08:00:00Z' })
      const { outcomes } = await race(dir, 6)
      expect(outcomes.filter((o) => o === 'won')).toHaveLength(1)
      expect(readdirSync(dir).filter((f) => f.includes('.stale-'))).toEqual([])
    }
  })
})

it('uses this computer by default', () => {
  const system = systemLockSystem()
  expect(system.pid).toBe(process.pid)
  expect(system.alive(process.pid)).toBe(true)
  expect(system.alive(deadPid())).toBe(false)
  expect(systemLockSystem('darwin').startOf(process.pid)).toBeUndefined()
})
