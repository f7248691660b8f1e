import Database from 'better-sqlite3'
import { execFile, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { workspaceFile } from '../../../src/main/core/workspace'
import { startFolderServer, type FolderServer } from '../../fakes/folder-server'
import { SPECS_DIR } from '../../fakes/feed-server'
import { setZoneLevel, writeDpcCriticitaFolder } from '../../support/dpc-folder'
import { CLI, REPO } from '../../support/host-process'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-bulletins-check-'))
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

/** Not blocking this process, which serves the web folder the command reads. */
async function vedettaAsync(...args: string[]): Promise<string> {
  const r = await promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { ...process.env, VEDETTA_DATA_DIR: '' },
  })
  return r.stdout
}

interface Checked {
  bulletins: {
    id: string
    kind: string
    issuedAt: string | null
    updateOf: string | null
    areas: {
      name: string
      risk: string
      level: string | null
      validFrom: string | null
      validTo: string | null
      comuni: string[]
      ours: string[]
    }[]
  }[]
  warnings: string[]
}

let server: FolderServer | undefined
beforeAll(() => {
  if (!existsSync(join(REPO, 'out', 'main', 'cli.js')))
    throw new Error('build first: npm run build')
})
afterAll(async () => server?.close())

describe('vedetta bulletins check', () => {
  it('reads the newest DPC bulletin of a folder and prints one JSON object, storing nothing', () => {
    const dir = writeDpcCriticitaFolder(tempDir())
    const r = vedetta('bulletins', 'check', dir, '--json')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout) as Checked
    const [b] = out.bulletins
    expect(b).toMatchObject({
      id: 'dpc-criticita:20260720_2331',
      kind: 'dpc_criticita',
      issuedAt: '2026-07-20T21:31:00.000Z',
      updateOf: 'dpc-criticita:20260720_1559',
    })
    // Every zone of the file is shown (three Tuscan zones × three risks × two days)…
    expect(b!.areas).toHaveLength(18)
    for (const a of b!.areas) {
      expect(['verde', 'gialla', 'arancione', 'rossa']).toContain(a.level)
      expect(['idraulico', 'idrogeologico', 'temporali']).toContain(a.risk)
    }
    // …and which of them are ours, by the Circondario's defaults.
    const valdelsa = b!.areas.find(
      (a) =>
        a.name === 'Valdelsa-Valdera' &&
        a.risk === 'temporali' &&
        a.validFrom === '2026-07-20T22:00:00.000Z',
    )
    expect(valdelsa).toMatchObject({ level: 'gialla', validTo: '2026-07-21T22:00:00.000Z' })
    expect(valdelsa?.ours).toEqual([
      'Castelfiorentino',
      'Certaldo',
      'Gambassi Terme',
      'Montaione',
      'Montespertoli',
    ])
    expect(valdelsa?.comuni).toContain('Certaldo')
    expect(b!.areas.find((a) => a.name === 'Arno-Firenze')?.ours).toEqual([])
    expect(existsSync(join(dir, 'workspace.sqlite'))).toBe(false)
  })

  it('says in words what concerns our comuni', () => {
    const dir = writeDpcCriticitaFolder(tempDir(), ['20260720_1510'], (_s, day, g) =>
      day === 'tomorrow'
        ? setZoneLevel(g, 'Valdarno Inf.', 'Per rischio idraulico', 'Moderata / ALLERTA ARANCIONE')
        : g,
    )
    const r = vedetta('bulletins', 'check', dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /Valdarno Inf\. — idraulico arancione .*: Capraia e Limite, Cerreto Guidi, Empoli/,
    )
    expect(r.stdout).toMatch(/aree lette, 12 riguardano i nostri comuni/)
  })

  it('reads a web folder and a CAP file; our comuni come from the workspace given', async () => {
    const dir = writeDpcCriticitaFolder(tempDir(), ['20260720_1510'])
    server = await startFolderServer(dir)
    const data = tempDir()
    vedetta('backup', join(data, 'probe.sqlite'), '--data-dir', data) // creates the workspace
    // A comune this workspace added: Firenze, listed by the DPC in Arno-Firenze.
    const db = new Database(workspaceFile(data))
    db.prepare(
      `INSERT INTO comuni (name, name_key, istat_code, province, alert_zones, created_at, updated_at)
       VALUES ('Firenze', 'firenze', '048017', 'FI', '[]', 'x', 'x')`,
    ).run()
    db.close()
    const areasOf = async (...extra: string[]) =>
      (
        JSON.parse(
          await vedettaAsync('bulletins', 'check', server!.url('/web/'), '--json', ...extra),
        ) as Checked
      ).bulletins[0]!.areas
    const withWorkspace = await areasOf('--data-dir', data)
    expect(withWorkspace.find((a) => a.name === 'Arno-Firenze')?.ours).toEqual(['Firenze'])
    const byDefault = await areasOf()
    expect(byDefault.find((a) => a.name === 'Arno-Firenze')?.ours).toEqual([])
    const cap = JSON.parse(
      vedetta('bulletins', 'check', join(SPECS_DIR, 'cap', 'weather.cap'), '--json').stdout,
    ) as Checked
    expect(cap.bulletins[0]?.kind).toBe('cap')
  })

  it('exits 1 with one line when nothing can be read', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'page.html'), '<html><body>login</body></html>')
    for (const source of [join(dir, 'missing'), dir, join(dir, 'page.html')]) {
      const r = vedetta('bulletins', 'check', source)
      expect(r.code).toBe(1)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
      expect(r.stderr).toMatch(/^vedetta: /)
    }
  })
})
