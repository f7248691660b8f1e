import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLI, REPO, startHostProcess } from '../../support/host-process'
import { workspaceFile } from '../../../src/main/core/workspace'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-cli-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

function vedetta(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, VEDETTA_DATA_DIR: '' },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A workspace with one account, written through the real CLI-opened core. */
function workspaceWithAccount(dataDir: string, name: string) {
  vedetta('backup', join(dataDir, 'init-probe.sqlite'), '--data-dir', dataDir) // creates and migrates the workspace
  const db = new Database(workspaceFile(dataDir))
  db.prepare(
    "INSERT INTO channel_accounts (kind, name, enabled, settings, created_at, updated_at) VALUES ('x', ?, 1, '{}', 'now', 'now')",
  ).run(name)
  db.close()
}
const accountNames = (dataDir: string) => {
  const db = new Database(workspaceFile(dataDir), { readonly: true })
  const names = (
    db.prepare('SELECT name FROM channel_accounts ORDER BY name').all() as { name: string }[]
  ).map((r) => r.name)
  db.close()
  return names
}

beforeAll(() => {
  if (!existsSync(join(REPO, 'out', 'main', 'cli.js')))
    throw new Error('build first: npm run build')
})

describe('vedetta command line', () => {
  it('exits 2 with one line for unknown commands and flags', () => {
    for (const args of [
      ['explode'],
      ['host', '--port', 'abc'],
      ['host', '--colour'],
      ['backup'],
      ['restore', 'a', 'b'],
    ]) {
      const r = vedetta(...args)
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(/^vedetta: /)
    }
  })

  it('backs up and restores a workspace, keeping the previous one aside', () => {
    const dataDir = tempDir()
    workspaceWithAccount(dataDir, 'Prima')
    const backup = join(tempDir(), 'copia.sqlite')
    expect(vedetta('backup', backup, '--data-dir', dataDir)).toMatchObject({ code: 0 })
    expect(vedetta('backup', backup, '--data-dir', dataDir).code).toBe(1) // never overwrites

    const db = new Database(workspaceFile(dataDir))
    db.prepare("UPDATE channel_accounts SET name = 'Dopo'").run()
    db.close()
    const restored = vedetta('restore', backup, '--data-dir', dataDir)
    expect(restored.code).toBe(0)
    expect(restored.stdout).toMatch(/previous one is kept as .*before-restore/)
    expect(accountNames(dataDir)).toEqual(['Prima'])
  })

  it('refuses to restore a non-Vedetta file or one from a newer schema, and changes nothing', () => {
    const dataDir = tempDir()
    workspaceWithAccount(dataDir, 'Intatto')
    const other = tempDir()
    const text = join(other, 'notes.txt')
    writeFileSync(text, 'hello')
    const foreign = join(other, 'foreign.sqlite')
    const f = new Database(foreign)
    f.exec('CREATE TABLE t (x)')
    f.close()
    const newer = join(other, 'newer.sqlite')
    expect(vedetta('backup', newer, '--data-dir', dataDir).code).toBe(0)
    const n = new Database(newer)
    n.pragma('user_version = 999')
    n.close()

    for (const [file, reason] of [
      [text, /is not a Vedetta backup/],
      [foreign, /is not a Vedetta backup/],
      [newer, /newer Vedetta \(schema 999/],
      [join(other, 'missing.sqlite'), /does not exist/],
    ] as const) {
      const r = vedetta('restore', file, '--data-dir', dataDir)
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(reason)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(accountNames(dataDir)).toEqual(['Intatto'])
  })

  it('serves until SIGTERM, then closes the workspace cleanly; restore is refused meanwhile', async () => {
    const dataDir = tempDir()
    const host = await startHostProcess(dataDir)
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/)
    expect(JSON.parse(readFileSync(join(dataDir, 'vedetta.lock'), 'utf8'))).toMatchObject({
      pid: host.child.pid,
    })
    const backup = join(tempDir(), 'b.sqlite')
    expect(vedetta('backup', backup, '--data-dir', dataDir).code).toBe(0) // online backup while serving
    const r = vedetta('restore', backup, '--data-dir', dataDir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/Vedetta is running on this workspace/)
    expect(await host.stop()).toBe(0)
    expect(existsSync(join(dataDir, 'vedetta.lock'))).toBe(false)
    expect(existsSync(workspaceFile(dataDir) + '-wal')).toBe(false) // closed: WAL folded back
  })

  it('refuses a second host on the same workspace in one line naming the first; a stale lock does not block', async () => {
    const dataDir = tempDir()
    const first = await startHostProcess(dataDir)
    const r = vedetta('host', '--port', '0', '--data-dir', dataDir)
    await first.stop()
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(
      new RegExp(
        `^vedetta: lo spazio di lavoro .* è già aperto in un'altra Vedetta \\(processo ${first.child.pid}, dal \\d\\d/\\d\\d/\\d\\d, \\d\\d:\\d\\d\\)`,
      ),
    )

    // Left behind by a power cut: a holder file naming a pid that no longer runs, or one that
    // now names another running process. Only the operating system's lock counts: neither blocks.
    const gone = spawnSync(process.execPath, ['-e', '']).pid
    for (const pid of [gone, process.pid]) {
      writeFileSync(
        join(dataDir, 'vedetta.lock'),
        JSON.stringify({ pid, since: '2026-02-07T13:00:00Z' }),
      )
      const again = await startHostProcess(dataDir)
      expect(await again.stop()).toBe(0)
    }
  })

  it('says in one line why the workspace cannot be opened', () => {
    const dataDir = tempDir()
    writeFileSync(workspaceFile(dataDir), 'not a database at all, just some text. '.repeat(30))
    const r = vedetta('host', '--port', '0', '--data-dir', dataDir)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^vedetta: il file dello spazio di lavoro è danneggiato: /)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(join(dataDir, 'vedetta.lock'))).toBe(false)
  })

  it('refuses a port that is already taken with a clear reason', async () => {
    const first = await startHostProcess(tempDir())
    const port = new URL(first.url).port
    const r = vedetta('host', '--port', port, '--data-dir', tempDir())
    await first.stop()
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`port ${port} is already in use`))
  })

  it('imports contacts headless: a dry run, a strict refusal, a commit into a list, and a safe export', () => {
    const dataDir = tempDir()
    const fixtures = join(REPO, 'tests', 'fixtures', 'contacts')
    const dry = vedetta(
      'contacts',
      'import',
      join(fixtures, 'invalid-rows.csv'),
      '--data-dir',
      dataDir,
      '--dry-run',
      '--json',
    )
    expect(dry.code).toBe(0)
    const report = JSON.parse(dry.stdout)
    expect(report).toMatchObject({ rows: 11, valid: 2, committed: false })
    expect(report.invalid[0]).toMatchObject({ row: 3, column: 'Nominativo' })
    expect(typeof report.merged).toBe('number')
    expect(typeof report.landlines).toBe('number')

    const strict = vedetta(
      'contacts',
      'import',
      join(fixtures, 'invalid-rows.csv'),
      '--data-dir',
      dataDir,
      '--strict',
    )
    expect(strict.code).toBe(1)
    expect(strict.stderr).toMatch(/nothing was saved/)

    const ok = vedetta(
      'contacts',
      'import',
      join(fixtures, 'checchi-excel-cp1252.csv'),
      '--data-dir',
      dataDir,
      '--list',
      'Genitori — Istituto Checchi',
      '--json',
    )
    expect(ok.code).toBe(0)
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 5, valid: 5, committed: true })

    const out = join(tempDir(), 'contatti.csv')
    expect(vedetta('contacts', 'export', out, '--data-dir', dataDir).code).toBe(0)
    const csv = readFileSync(out, 'utf8')
    expect(csv.charCodeAt(0)).toBe(0xfeff) // BOM: Excel reads it as UTF-8
    for (const line of csv.split(/\r?\n/).slice(1))
      for (const cell of line.split(';')) expect(cell).not.toMatch(/^"?[=+\-@]/)

    expect(
      vedetta('contacts', 'import', join(fixtures, 'nope.csv'), '--data-dir', dataDir).code,
    ).toBe(2)
    expect(vedetta('contacts', 'import', '--data-dir', dataDir).code).toBe(2)
    expect(
      vedetta('contacts', 'import', join(fixtures, 'checchi-utf8.csv'), '--map', 'bad').code,
    ).toBe(2)
  })

  it('seeds a demo workspace once, with the names the shipped drill scenarios use', () => {
    const dataDir = tempDir()
    const r = vedetta('demo', '--data-dir', dataDir, '--contacts', '300')
    expect(r.code).toBe(0)
    const db = new Database(workspaceFile(dataDir), { readonly: true })
    const lists = (
      db.prepare('SELECT name FROM lists ORDER BY name').all() as { name: string }[]
    ).map((l) => l.name)
    const accounts = (
      db.prepare('SELECT name FROM channel_accounts').all() as { name: string }[]
    ).map((a) => a.name)
    db.close()
    expect(lists).toEqual(
      expect.arrayContaining([
        'Genitori — Istituto Checchi',
        'Sindaci e tecnici comunali',
        'Residenti zona rossa Arno — Fucecchio',
      ]),
    )
    expect(accounts).toEqual(
      expect.arrayContaining(['SMS Circondario', 'Email Protezione Civile', 'X Protezione Civile']),
    )
    expect(vedetta('demo', '--data-dir', dataDir).code).toBe(1)
    expect(vedetta('demo').code).toBe(2)
  })
})
