import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { drillsDir } from '../../../src/main/core/drills/drill-files'
import { CLI, REPO } from '../../support/host-process'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'
import { SHORT_SCENARIO } from './short-scenario'

const RECORDER = join(__dirname, 'net-recorder.cjs')
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1'])

interface NetAttempt {
  kind: string
  host: string | null
  port: number | null
}

let ws: DrillWorkspace | undefined
afterEach(async () => {
  await ws?.dispose()
  ws = undefined
})

beforeAll(() => {
  if (!existsSync(join(REPO, 'out', 'main', 'cli.js')))
    throw new Error('build first: npm run build')
})

/** Runs node with the recorder preloaded; answers what it printed and every network attempt. */
function recorded(args: string[], netLog: string) {
  const r = spawnSync(process.execPath, ['--require', RECORDER, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, VEDETTA_DATA_DIR: '', VEDETTA_NET_LOG: netLog },
  })
  const attempts: NetAttempt[] = existsSync(netLog)
    ? readFileSync(netLog, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as NetAttempt)
    : []
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, attempts }
}

const outside = (attempts: NetAttempt[]) =>
  attempts.filter((a) => !(a.host !== null && (LOOPBACK.has(a.host) || a.host.startsWith('unix:'))))

/** A workspace configured for real providers (and a real feed), saved and closed for the CLI. */
async function realWorkspace(): Promise<DrillWorkspace> {
  const w = await createDrillWorkspace()
  await w.call(w.core.handlers, 'feeds:createSource', {
    name: 'Allerta Toscana',
    kind: 'cap',
    url: 'https://www.regione.toscana.it/allertameteo/cap.xml',
    zones: ['*'],
  })
  await w.close()
  return w
}

describe('vedetta drill run', () => {
  it('the recorder sees connection attempts and lookups (so that seeing none means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-net-'))
    const netLog = join(dir, 'net.jsonl')
    const r = recorded(
      [
        '-e',
        "require('net').connect(9, '192.0.2.1').on('error', () => {}).destroy(); require('dns').lookup('example.org', () => {})",
      ],
      netLog,
    )
    rmSync(dir, { recursive: true, force: true })
    expect(r.code).toBe(0)
    expect(outside(r.attempts).map((a) => a.host)).toEqual(
      expect.arrayContaining(['192.0.2.1', 'example.org']),
    )
  })

  it('runs a whole drill with real accounts configured and opens no connection beyond loopback', async () => {
    ws = await realWorkspace()
    const scenario = join(ws.dataDir, 'prova-breve.yaml')
    writeFileSync(scenario, SHORT_SCENARIO)
    const report = join(ws.dataDir, 'rapporto.html')
    const netLog = join(ws.dataDir, 'net.jsonl')
    const r = recorded(
      [
        CLI,
        'drill',
        'run',
        scenario,
        '--data-dir',
        ws.dataDir,
        '--speed',
        '60',
        '--auto',
        '--report',
        report,
      ],
      netLog,
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Allerta gialla per neve')
    // The auto trainee answers the citizens too, so the reply checkpoint is met.
    expect(r.stdout).toMatch(/checkpoints met: 2 of 2/)

    // Not one attempt to reach Twilio, Skebby, SMTP, Facebook, Telegram, X, the regional feed, or DNS.
    expect(r.attempts.some((a) => a.kind === 'loaded')).toBe(true)
    expect(outside(r.attempts)).toEqual([])

    // The simulated twins took every message, on every channel the auto trainee used.
    const [drill] = readdir(ws.dataDir)
    const db = new Database(join(drillsDir(ws.dataDir), drill!), { readonly: true })
    try {
      const rows = db
        .prepare(
          `SELECT a.kind, o.provider_id FROM outbox o JOIN channel_accounts a ON a.id = o.account_id
           WHERE o.state IN ('sent', 'delivered')`,
        )
        .all() as { kind: string; provider_id: string }[]
      expect(new Set(rows.map((r) => r.kind))).toEqual(
        new Set(['sms_gateway', 'sms_twilio', 'email_smtp', 'facebook_page', 'telegram', 'x']),
      )
      expect(rows.every((r) => r.provider_id.startsWith('sim-'))).toBe(true)
      expect(db.prepare('SELECT count(*) AS n FROM channel_secrets').get()).toEqual({ n: 0 })
    } finally {
      db.close()
    }
    const html = readFileSync(report, 'utf8')
    expect(html).toContain('Prova breve')
    expect(html).toMatch(/SMS alle famiglie del Checchi[^]*Rispettato/)
    expect(html).toMatch(/Una risposta ai cittadini[^]*Rispettato/)
  })

  it('writes the report’s figures as JSON, with the auto trainee’s answers to citizens', async () => {
    ws = await realWorkspace()
    const scenario = join(ws.dataDir, 'prova-breve.yaml')
    writeFileSync(scenario, SHORT_SCENARIO)
    const report = join(ws.dataDir, 'rapporto.json')
    const r = recorded(
      [CLI, 'drill', 'run', scenario, '--data-dir', ws.dataDir, '--auto', '--report', report],
      join(ws.dataDir, 'net.jsonl'),
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`report: ${report}`)
    const figures = JSON.parse(readFileSync(report, 'utf8')) as {
      citizens: { received: number; answered: number }
      coverage: { lists: { name: string; members: number; sent: number; reached: number }[] }
      checkpoints: { id: string; status: string; met: boolean }[]
    }
    expect(figures.citizens.received).toBe(2)
    expect(figures.citizens.answered).toBe(2)
    const checchi = figures.coverage.lists.find((l) => l.name === 'Genitori — Istituto Checchi')
    expect(checchi).toMatchObject({ members: 2, reached: 2 })
    expect(checchi!.sent).toBeGreaterThanOrEqual(2)
    // What the SMS and e-mail accounts sent to the list's families, row by row.
    const [drill] = readdir(ws.dataDir)
    const db = new Database(join(drillsDir(ws.dataDir), drill!), { readonly: true })
    try {
      const sent = db
        .prepare(
          `SELECT count(*) AS n FROM outbox o
           WHERE o.kind = 'alert' AND o.state IN ('sent', 'delivered') AND o.destination_type = 'person'
             AND o.contact_id IN (SELECT m.contact_id FROM list_members m JOIN lists l ON l.id = m.list_id
                                  WHERE l.name = 'Genitori — Istituto Checchi')`,
        )
        .get() as { n: number }
      expect(checchi!.sent).toBe(sent.n)
    } finally {
      db.close()
    }
    expect(figures.checkpoints.map((c) => [c.id, c.met])).toEqual([
      ['sms', true],
      ['risposte', true],
    ])
  })

  it('refuses a scenario with problems, each with its line, and exits 2', async () => {
    ws = await realWorkspace()
    const lines = SHORT_SCENARIO.split('\n')
    const at = lines.indexOf('  - at: T+0:00:40')
    lines[at] = '  - at: T+0:00:05'
    const listAt = lines.findIndex((l) => l.includes('list: Genitori — Istituto Checchi'))
    lines[listAt] = '    list: Genitori Istituto Chechi'
    const file = join(ws.dataDir, 'rotto.yaml')
    writeFileSync(file, lines.join('\n'))
    const r = recorded([CLI, 'drill', 'run', file, '--data-dir', ws.dataDir], join(ws.dataDir, 'n'))
    expect(r.code).toBe(2)
    const errors = r.stderr.trim().split('\n')
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(`^rotto\\.yaml:${at + 1}: events\\[4\\]\\.at: Time goes backwards`),
      ),
      expect.stringMatching(
        new RegExp(
          `^rotto\\.yaml:${listAt + 1}: checkpoints\\[0\\]\\.list: .*Did you mean "Genitori — Istituto Checchi"`,
        ),
      ),
    ])
    expect(readdir(ws.dataDir)).toEqual([])
  })

  it('refuses a speed outside 1–60 and an unknown scenario with one line', async () => {
    ws = await realWorkspace()
    for (const args of [
      ['neve-arancione-empolese', '--speed', '61'],
      ['neve-arancione-empolese', '--speed', '0'],
      ['nessuno-scenario'],
    ]) {
      const r = recorded(
        [CLI, 'drill', 'run', ...args, '--data-dir', ws.dataDir],
        join(ws.dataDir, 'n'),
      )
      expect(r.code, args.join(' ')).toBe(2)
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1)
    }
  })
})

/** The drill files of a data directory. */
function readdir(dataDir: string): string[] {
  const dir = drillsDir(dataDir)
  return existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.sqlite')) : []
}
