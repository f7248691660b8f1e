import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import type { OurComune } from '../../../src/main/core/feeds/dpc/our-levels'
import { ingestBulletins } from '../../../src/main/core/feeds/ingest'
import { parseCap } from '../../../src/main/core/feeds/parsers/cap'
import { createFeedPoller, type FeedPoller } from '../../../src/main/core/feeds/poller'
import { italianCap } from '../../support/bulletins'
import {
  createFeedsRepository,
  type FeedsRepository,
} from '../../../src/main/core/feeds/repository'
import { startFolderServer, type FolderServer } from '../../fakes/folder-server'
import { setZoneLevel, writeDpcCriticitaFolder } from '../../support/dpc-folder'
import comuniFile from '../../../resources/comuni.json'

/** The Circondario's comuni with their alert zones, as a new workspace seeds them. */
const OURS: OurComune[] = comuniFile.comuni.map((c) => ({
  name: c.name,
  istatCode: c.istatCode,
  alertZones: c.alertZones,
}))
const VALDARNO = [
  'Capraia e Limite',
  'Cerreto Guidi',
  'Empoli',
  'Fucecchio',
  'Montelupo Fiorentino',
  'Vinci',
]

let dir: string
let db: Db
let repo: FeedsRepository
let server: FolderServer | undefined
let poller: FeedPoller | undefined

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-dpc-poll-'))
  db = openDatabase(path.join(dir, 'workspace.sqlite'))
  repo = createFeedsRepository(db)
  server = undefined
  poller = undefined
})
afterEach(async () => {
  await poller?.stop()
  await server?.close()
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function makePoller(extra: Partial<Parameters<typeof createFeedPoller>[0]> = {}) {
  poller = createFeedPoller({
    repo,
    timeoutMs: 5_000,
    random: () => 0.5,
    ourComuni: () => OURS,
    ...extra,
  })
  return poller
}
const folder = (name: string) => path.join(dir, name)

describe('a DPC criticality source read from a local folder of the published files', () => {
  it('finds the newest bulletin itself and gives our comuni their levels per zone, risk and day', async () => {
    writeDpcCriticitaFolder(folder('dpc'), ['20260720_1510'])
    const source = repo.createSource({
      name: 'DPC criticità',
      kind: 'dpc_criticita',
      url: pathToFileURL(folder('dpc')).href,
    })
    const report = await makePoller().pollOnce(source.id)
    expect(report).toMatchObject({ outcome: 'ok', inserted: 1 })
    const [alert] = report.alerts
    // Tomorrow (21 July) both our zones are yellow for thunderstorms and hydrogeological risk.
    expect(alert).toMatchObject({ change: 'new', level: 'giallo' })
    expect(alert?.ourAreas.sort()).toEqual(['Valdarno Inf.', 'Valdelsa-Valdera'])
    const areas = alert!.item.bulletin.areas
    // Only the zones that touch our comuni are kept (Arno-Firenze holds none of them).
    expect(new Set(areas.map((a) => a.zone))).toEqual(
      new Set(['Valdarno Inf.', 'Valdelsa-Valdera']),
    )
    const tomorrowValdarno = areas.filter((a) => a.zone === 'Valdarno Inf.' && a.day === 'tomorrow')
    expect(Object.fromEntries(tomorrowValdarno.map((a) => [a.risk, a.level]))).toEqual({
      idraulico: 'verde',
      idrogeologico: 'giallo',
      temporali: 'giallo',
    })
    // Tomorrow is 00:00–24:00 of 21 July on Rome's clock (summer time: UTC+2).
    expect(tomorrowValdarno[0]).toMatchObject({
      validFrom: '2026-07-20T22:00:00.000Z',
      validTo: '2026-07-21T22:00:00.000Z',
    })
    const everyone = OURS.map((c) => c.name).join(', ')
    expect(alert!.changes).toHaveLength(2)
    expect(alert!.changes).toContain(`${everyone}: idrogeologico gialla, domani`)
    expect(alert!.changes).toContain(`${everyone}: temporali gialla, domani`)
  })

  it('reads the same bulletin once: a second poll downloads nothing and raises nothing', async () => {
    writeDpcCriticitaFolder(folder('web'), ['20260720_1510'])
    server = await startFolderServer(folder('web'))
    const source = repo.createSource({
      name: 'DPC',
      kind: 'dpc_criticita',
      url: server.url('/web/'),
    })
    const p = makePoller()
    expect((await p.pollOnce(source.id)).alerts).toHaveLength(1)
    const before = server.requests.length
    const again = await p.pollOnce(source.id)
    expect(again).toMatchObject({ outcome: 'not_modified', alerts: [] })
    // Only the folder listing was asked again.
    expect(server.requests.slice(before)).toEqual(['/web/files/'])
  })

  it('treats the updates of the same day as one bulletin; an update that changes nothing for us raises nothing', async () => {
    writeDpcCriticitaFolder(folder('dpc'), ['20260720_1510'])
    const source = repo.createSource({
      name: 'DPC',
      kind: 'dpc_criticita',
      url: pathToFileURL(folder('dpc')).href,
    })
    const p = makePoller()
    expect((await p.pollOnce(source.id)).alerts).toHaveLength(1)
    // 15:59 and 23:31: the real updates, which changed Emilia-Romagna and Trento only.
    writeDpcCriticitaFolder(folder('dpc'), ['20260720_1510', '20260720_1559', '20260720_2331'])
    const update = await p.pollOnce(source.id)
    expect(update).toMatchObject({ outcome: 'ok', inserted: 1, alerts: [] })
    const newest = repo.page({ limit: 5 }).items
    expect(newest[0]?.externalId).toBe('dpc-criticita:20260720_2331')
    // Linked to the bulletin it updates, not a second alert.
    expect(newest[0]?.supersedesId).toBe(newest.find((i) => i.externalId.endsWith('1510'))?.id)
  })

  it('an errata that raises one of our zones is an update of the same bulletin that says what changed', async () => {
    writeDpcCriticitaFolder(folder('dpc'), ['20260720_1510'])
    const source = repo.createSource({
      name: 'DPC',
      kind: 'dpc_criticita',
      url: pathToFileURL(folder('dpc')).href,
    })
    const p = makePoller()
    const first = await p.pollOnce(source.id)
    // Derived from the real 23:31 files: Valdarno Inf. orange for hydraulic risk tomorrow.
    writeDpcCriticitaFolder(folder('dpc'), ['20260720_1510', '20260720_2331'], (stem, day, g) =>
      stem === '20260720_2331' && day === 'tomorrow'
        ? setZoneLevel(g, 'Valdarno Inf.', 'Per rischio idraulico', 'Moderata / ALLERTA ARANCIONE')
        : g,
    )
    const errata = await p.pollOnce(source.id)
    expect(errata.alerts).toHaveLength(1)
    const [alert] = errata.alerts
    expect(alert).toMatchObject({
      change: 'update',
      level: 'arancione',
      previousLevel: 'giallo',
      escalated: true,
    })
    expect(alert?.item.supersedesId).toBe(first.alerts[0]?.item.id)
    expect(alert?.changes).toEqual([
      `${VALDARNO.join(', ')}: idraulico da verde ad arancione, domani`,
    ])
  })
})

describe('a DPC meteorological vigilance source', () => {
  it('is stored as an informational bulletin with forecast amounts per zone, and raises nothing', async () => {
    const files = path.join(folder('vig'), 'files')
    fs.mkdirSync(path.join(files, 'geojson'), { recursive: true })
    const specs = path.resolve(__dirname, '../../../../shared/specs/dpc/vigilanza')
    fs.copyFileSync(path.join(specs, '20260720.json'), path.join(files, '20260720.json'))
    fs.copyFileSync(
      path.join(specs, 'geojson', '20260720_domani.toscana.json'),
      path.join(files, 'geojson', '20260720_domani.json'),
    )
    const source = repo.createSource({
      name: 'DPC vigilanza',
      kind: 'dpc_vigilanza',
      url: pathToFileURL(folder('vig')).href,
    })
    const report = await makePoller().pollOnce(source.id)
    expect(report).toMatchObject({ outcome: 'ok', inserted: 1, alerts: [] })
    const [item] = repo.page({ limit: 1 }).items
    expect(item?.level).toBeNull()
    expect(item?.isOurs).toBe(true)
    expect(item?.bulletin).toMatchObject({ rawKind: 'dpc_vigilanza', informational: true })
    const tomorrow = item!.bulletin.areas.filter((a) => a.day === 'tomorrow')
    expect(Object.fromEntries(tomorrow.map((a) => [a.zone, a.label]))).toMatchObject({
      'Terre di Pisa e Livorno': 'Assenti o non rilevanti',
      'Mugello e Casentino': 'Deboli',
    })
    expect(tomorrow.every((a) => a.level === undefined)).toBe(true)
  })
})

describe('a DPC criticality source read from the DPC repository on GitHub', () => {
  it('lists files/ with the git trees API and downloads from the raw host', async () => {
    writeDpcCriticitaFolder(folder('repo'), ['20260720_1510', '20260720_1559'])
    server = await startFolderServer(folder('repo'))
    const source = repo.createSource({
      name: 'DPC GitHub',
      kind: 'dpc_criticita',
      url: 'https://github.com/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica',
    })
    const report = await makePoller({
      github: { api: server.url('/api'), raw: server.url('/raw') },
    }).pollOnce(source.id)
    expect(report.outcome).toBe('ok')
    expect(report.alerts[0]?.item.externalId).toBe('dpc-criticita:20260720_1559')
    expect(server.requests).toContain(
      '/raw/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica/master/files/20260720_1559.json',
    )
    // Today's zones come from the 15:10 bulletin: the update published only tomorrow's.
    expect(server.requests).toContain(
      '/raw/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica/master/files/geojson/20260720_1510_today.json',
    )
    expect(report.alerts[0]?.item.bulletin.areas.some((a) => a.day === 'today')).toBe(true)
  })

  it('says when a read starts and when it ends, so the source shows "in lettura" meanwhile', async () => {
    writeDpcCriticitaFolder(folder('web'), ['20260720_1510'])
    server = await startFolderServer(folder('web'))
    const source = repo.createSource({
      name: 'DPC',
      kind: 'dpc_criticita',
      url: server.url('/web/'),
    })
    const seen: string[] = []
    const p = makePoller({
      onPollStart: (id) => seen.push(`start ${id} ${server!.requests.length}`),
      onPolled: (r) => seen.push(`end ${r.sourceId} ${r.outcome}`),
    })
    await p.pollOnce(source.id)
    // Started before the first request left; ended once the bulletin was read.
    expect(seen).toEqual([`start ${source.id} 0`, `end ${source.id} ok`])
  })

  it('an outage is a readable error on the source, and the next poll reads the bulletin', async () => {
    writeDpcCriticitaFolder(folder('web'), ['20260720_1510'])
    server = await startFolderServer(folder('web'))
    const source = repo.createSource({
      name: 'DPC',
      kind: 'dpc_criticita',
      url: server.url('/web/'),
    })
    const p = makePoller()
    server.failWith(503)
    const down = await p.pollOnce(source.id)
    expect(down.outcome).toBe('error')
    expect(down.error?.message).toMatch(/HTTP 503/)
    expect(repo.getSource(source.id)?.lastError).toMatch(/HTTP 503/)
    server.failWith(null)
    expect((await p.pollOnce(source.id)).alerts).toHaveLength(1)
  })

  it('a folder with no bulletin says so in a sentence', async () => {
    fs.mkdirSync(path.join(folder('empty'), 'files'), { recursive: true })
    const source = repo.createSource({
      name: 'DPC vuota',
      kind: 'dpc_criticita',
      url: pathToFileURL(folder('empty')).href,
    })
    const report = await makePoller().pollOnce(source.id)
    expect(report.error?.message).toMatch(
      /nessun bollettino \(YYYYMMDD_HHMM\.json\) nella cartella/,
    )
  })
})

describe('our comuni’s alert zones in other sources', () => {
  it('make a CAP bulletin for Valdarno Inf. ours, with no zone typed on the source', () => {
    const source = repo.createSource({
      name: 'CFR',
      kind: 'cap',
      url: 'https://example.it/cap.xml',
    })
    const cap = italianCap({ identifier: 'cfr-zone', level: 'arancione' }).replace(
      '<areaDesc>Valdarno inferiore</areaDesc>',
      '<areaDesc>Valdarno Inf.</areaDesc>',
    )
    const result = ingestBulletins(repo, source, [parseCap(cap)], new Date(), OURS)
    expect(result.alerts.map((a) => a.ourAreas)).toEqual([['Valdarno Inf.']])
    // Without our comuni (and no filter on the source) it is not ours.
    const other = repo.createSource({ name: 'CFR 2', kind: 'cap', url: 'https://example.it/b.xml' })
    expect(ingestBulletins(repo, other, [parseCap(cap)], new Date(), []).alerts).toEqual([])
  })
})
