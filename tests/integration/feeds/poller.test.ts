import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import type { OurBulletinAlert } from '../../../src/main/core/feeds/ingest'
import {
  createFeedPoller,
  type FeedPoller,
  type PollReport,
} from '../../../src/main/core/feeds/poller'
import {
  createFeedsRepository,
  type FeedsRepository,
} from '../../../src/main/core/feeds/repository'
import type { FeedSourceInput } from '../../../src/main/core/feeds/source-schema'
import { SPECS_DIR, startFeedServer, type FeedServer } from '../../fakes/feed-server'

const FIXTURES = path.resolve(__dirname, '../../unit/feeds/fixtures')
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8')

let dir: string
let db: Db
let repo: FeedsRepository
let server: FeedServer
let poller: FeedPoller | undefined

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-feeds-poller-'))
  db = openDatabase(path.join(dir, 'workspace.sqlite'))
  repo = createFeedsRepository(db)
  server = await startFeedServer()
  poller = undefined
})

afterEach(async () => {
  await poller?.stop()
  await server.close()
  db.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function addSource(
  name: string,
  kind: FeedSourceInput['kind'],
  urlPath: string,
  zones: string[] = [],
) {
  return repo.createSource({ name, kind, url: server.url(urlPath), zones })
}

function makePoller(options: Partial<Parameters<typeof createFeedPoller>[0]> = {}): FeedPoller {
  poller = createFeedPoller({ repo, timeoutMs: 2_000, random: () => 0.5, ...options })
  return poller
}

/** An Atom index of CAP messages in the MeteoAlarm style, pointing at details on the fake server. */
function capIndex(entries: { id: string; detail: string; area: string; emma: string }[]): string {
  const body = entries
    .map(
      (e) => `<entry>
        <id>${e.id}#${e.emma}</id><title>Warning ${e.id}</title><updated>2024-11-02T12:00:00Z</updated>
        <cap:identifier>${e.id}</cap:identifier><cap:areaDesc>${e.area}</cap:areaDesc>
        <cap:msgType>Alert</cap:msgType><cap:severity>Severe</cap:severity>
        <link href="https://meteoalarm.example.org?geocode=EMMA_ID:${e.emma}" hreflang="it" title="${e.area}"/>
        <link href="${server.url(e.detail)}" type="application/cap+xml"/>
      </entry>`,
    )
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>
    <feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">
      <id>urn:test:index</id><title>Index</title><updated>2024-11-02T12:00:00Z</updated>${body}</feed>`
}

const ALERT_ID = '2.49.0.0.380.0.IT.20241102120000.001'
const UPDATE_ID = '2.49.0.0.380.0.IT.20241102180000.002'

describe('polling one source', () => {
  it('stores a CAP message, then gets 304 and writes nothing new', async () => {
    const source = addSource('Temporale', 'cap', '/specs/cap/thunderstorm.cap')
    const p = makePoller()
    const first = await p.pollOnce(source.id)
    expect(first).toMatchObject({ outcome: 'ok', inserted: 1 })
    const stored = repo.getSource(source.id)
    expect(stored?.etag).toMatch(/^"/)
    expect(stored?.lastOkAt).not.toBeNull()
    expect(Date.parse(stored?.nextPollAt ?? '')).toBeGreaterThan(Date.parse(stored?.lastOkAt ?? ''))

    const second = await p.pollOnce(source.id)
    expect(second.outcome).toBe('not_modified')
    expect(repo.count()).toBe(1)
    const log = server.requestsTo('/specs/cap/thunderstorm.cap')
    expect(log.map((r) => r.status)).toEqual([200, 304])
    expect(log[1]?.headers['if-none-match']).toBe(stored?.etag)
  })

  it('de-duplicates across polls when the feed changes', async () => {
    const rss = fixture('news.rss')
    server.setDocument('news.rss', rss, 'application/rss+xml')
    const source = addSource('Notizie', 'rss', '/doc/news.rss', ['Empoli'])
    const p = makePoller()
    const first = await p.pollOnce(source.id)
    expect(first.inserted).toBe(2)
    // The Empoli item is ours; the Cortona one is not.
    expect(first.alerts.map((a) => a.item.externalId)).toEqual(['pc-toscana-2024-1102-01'])

    const newItem = `<item><title>Nuovo avviso per Empoli</title><guid>pc-toscana-2024-1103-01</guid>
      <pubDate>Sun, 03 Nov 2024 08:00:00 +0100</pubDate><description>Aggiornamento.</description></item>`
    server.setDocument('news.rss', rss.replace('<item>', `${newItem}<item>`), 'application/rss+xml')
    const second = await p.pollOnce(source.id)
    expect(second).toMatchObject({ outcome: 'ok', inserted: 1, updated: 0 })
    expect(second.alerts.map((a) => a.change)).toEqual(['new'])
    expect(repo.count({ sourceId: source.id })).toBe(3)
    expect(repo.page({ limit: 1 }).items[0]?.headline).toBe('Nuovo avviso per Empoli')
  })
})

describe('Atom index of CAP messages', () => {
  it('fetches new details once, flags ours, and reports an upgrade with its previous level', async () => {
    server.setDocument('alert.cap', fixture('meteoalarm-it-alert.cap'), 'application/cap+xml')
    server.setDocument('update.cap', fixture('meteoalarm-it-update.cap'), 'application/cap+xml')
    server.setDocument(
      'index.atom',
      capIndex([{ id: ALERT_ID, detail: '/doc/alert.cap', area: 'Firenze', emma: 'IT009' }]),
      'application/atom+xml',
    )
    const source = addSource('MeteoAlarm', 'atom_cap_index', '/doc/index.atom', ['EMMA_ID:IT009'])
    const alerts: OurBulletinAlert[][] = []
    const p = makePoller({ onAlerts: (a) => alerts.push(a) })

    const first = await p.pollOnce(source.id)
    expect(first.inserted).toBe(1)
    expect(first.alerts).toHaveLength(1)
    expect(first.alerts[0]).toMatchObject({
      change: 'new',
      level: 'arancione',
      ourAreas: ['Firenze'],
      escalated: false,
    })
    expect(first.alerts[0]?.item.bulletin.headline).toBe('Avviso arancione per piogge in Toscana')
    expect(first.alerts[0]?.item.bulletin.levelKind).toBe('meteo_warning')

    server.setDocument(
      'index.atom',
      capIndex([
        { id: UPDATE_ID, detail: '/doc/update.cap', area: 'Firenze', emma: 'IT009' },
        { id: ALERT_ID, detail: '/doc/alert.cap', area: 'Firenze', emma: 'IT009' },
      ]),
      'application/atom+xml',
    )
    const second = await p.pollOnce(source.id)
    expect(second.inserted).toBe(1)
    expect(second.alerts[0]).toMatchObject({
      change: 'update',
      level: 'rosso',
      previousLevel: 'arancione',
      escalated: true,
    })
    expect(second.alerts[0]?.item.supersedesId).toBe(first.alerts[0]?.item.id)
    // The detail already held was not downloaded again.
    expect(server.requestsTo('/doc/alert.cap')).toHaveLength(1)
    expect(server.requestsTo('/doc/update.cap')).toHaveLength(1)
    expect(alerts.flat().map((a) => a.change)).toEqual(['new', 'update'])
  })

  it('reads the MeteoAlarm France sample, keeping index data when a detail is missing', async () => {
    const index = fs
      .readFileSync(path.join(SPECS_DIR, 'meteoalarm/france_sample.xml'), 'utf8')
      .replaceAll(
        'https://feeds.meteoalarm.org/api/v1/warnings/feeds-france/',
        server.url('/doc/fr-'),
      )
    server.setDocument('france.atom', index, 'application/atom+xml')
    server.setDocument(
      'fr-2f32f9f9-06df-48aa-b0a0-10493ea07c51',
      fs.readFileSync(path.join(SPECS_DIR, 'meteoalarm/france_sample_detail.xml')),
      'application/cap+xml',
    )
    // Haute Savoie: the detail CAP has only NUTS3 codes; the EMMA_ID comes from the index.
    const source = addSource('MeteoAlarm FR', 'atom_cap_index', '/doc/france.atom', [
      'EMMA_ID:FR035',
    ])
    const report = await makePoller().pollOnce(source.id)
    expect(report).toMatchObject({ outcome: 'ok', inserted: 2 })
    const items = repo.page({ sourceId: source.id }).items
    const fromDetail = items.find((i) => i.externalId === '2.49.0.0.250.0.FR.20221207060126.964028')
    expect(fromDetail?.level).toBe('giallo')
    expect(fromDetail?.bulletin.references).toHaveLength(1)
    expect(fromDetail?.isOurs).toBe(true)
    const fromIndex = items.find((i) => i.externalId === '2.49.0.0.250.0.FR.20221207160058.764028')
    expect(fromIndex?.bulletin.note).toContain('HTTP 404')
    expect(fromIndex?.bulletin.areas).toHaveLength(6)
    expect(fromIndex?.isOurs).toBe(true)
  })

  it('defers details beyond the per-poll budget and rereads the index next time', async () => {
    server.setDocument('alert.cap', fixture('meteoalarm-it-alert.cap'), 'application/cap+xml')
    server.setDocument('update.cap', fixture('meteoalarm-it-update.cap'), 'application/cap+xml')
    server.setDocument(
      'index.atom',
      capIndex([
        { id: ALERT_ID, detail: '/doc/alert.cap', area: 'Firenze', emma: 'IT009' },
        { id: UPDATE_ID, detail: '/doc/update.cap', area: 'Firenze', emma: 'IT009' },
      ]),
      'application/atom+xml',
    )
    const source = addSource('MeteoAlarm', 'atom_cap_index', '/doc/index.atom')
    const p = makePoller({ maxDetailFetches: 1 })
    expect(await p.pollOnce(source.id)).toMatchObject({ inserted: 1, deferred: 1 })
    expect(repo.getSource(source.id)?.etag).toBeNull()
    expect(await p.pollOnce(source.id)).toMatchObject({ outcome: 'ok', inserted: 1, deferred: 0 })
    expect((await p.pollOnce(source.id)).outcome).toBe('not_modified')
    expect(repo.count()).toBe(2)
  })
})

describe('broken sources', () => {
  const broken: [string, FeedSourceInput['kind'], string, string][] = [
    ['truncated', 'cap', '/broken/truncated', 'malformed'],
    ['wrong encoding', 'cap', '/broken/wrong-encoding', 'encoding'],
    ['huge', 'rss', '/broken/huge', 'too_large'],
    ['redirect loop', 'cap', '/broken/redirect-loop', 'redirect_loop'],
    ['hang', 'cap', '/broken/hang', 'timeout'],
    ['slow', 'cap', '/broken/slow', 'timeout'],
    ['server error', 'cap', '/broken/500', 'http'],
    ['rate limited', 'rss', '/broken/429', 'rate_limited'],
    ['html page', 'rss', '/broken/html', 'not_a_feed'],
    ['xxe', 'cap', '/specs/cap/xee.cap', 'doctype'],
    ['invalid cap', 'cap', '/specs/cap/invalid.cap', 'invalid_cap'],
    ['not a DPC folder', 'dpc_criticita', '/specs/cap/weather.cap', 'http'],
  ]

  it('each fails cleanly with a readable error on its own source, and the others still poll', async () => {
    const good = addSource('good', 'cap', '/specs/cap/weather.cap')
    const sources = broken.map(([name, kind, urlPath]) => addSource(name, kind, urlPath))
    const reports: PollReport[] = []
    const p = makePoller({ timeoutMs: 800, concurrency: 4, onPolled: (r) => reports.push(r) })
    const results = await Promise.all([...sources, good].map((s) => p.pollOnce(s.id)))

    expect(results.at(-1)).toMatchObject({ outcome: 'ok', inserted: 1 })
    expect(repo.getSource(good.id)).toMatchObject({ lastError: null, errorCount: 0 })
    expect(repo.count({ sourceId: good.id })).toBe(1)

    sources.forEach((source, i) => {
      const [, , , code] = broken[i] as [string, string, string, string]
      const stored = repo.getSource(source.id)
      expect({ name: source.name, code: stored?.lastErrorCode }).toEqual({
        name: source.name,
        code,
      })
      expect(stored?.lastError?.length).toBeGreaterThan(10)
      expect(stored?.errorCount).toBe(1)
      expect(stored?.lastOkAt).toBeNull()
      expect(Date.parse(stored?.nextPollAt ?? '')).toBeGreaterThan(
        Date.parse(stored?.lastErrorAt ?? ''),
      )
      expect(repo.count({ sourceId: source.id })).toBe(0)
    })
    expect(reports).toHaveLength(broken.length + 1)

    // Retry-After: 120 pushes the next poll at least two minutes away.
    const limited = repo.getSource(
      sources[broken.findIndex((b) => b[0] === 'rate limited')]?.id ?? -1,
    )
    expect(
      Date.parse(limited?.nextPollAt ?? '') - Date.parse(limited?.lastErrorAt ?? ''),
    ).toBeGreaterThanOrEqual(120_000)
  })

  it('backs off after repeated failures and recovers after a success', async () => {
    const source = addSource('flaky', 'cap', '/broken/500')
    const p = makePoller({ backoff: { jitter: 0 } })
    await p.pollOnce(source.id)
    await p.pollOnce(source.id)
    const failing = repo.getSource(source.id)
    expect(failing?.errorCount).toBe(2)
    // Second failure: twice the 300 s interval.
    expect(Date.parse(failing?.nextPollAt ?? '') - Date.parse(failing?.lastErrorAt ?? '')).toBe(
      600_000,
    )

    repo.updateSource(source.id, {
      name: 'flaky',
      kind: 'cap',
      url: server.url('/specs/cap/weather.cap'),
    })
    expect((await p.pollOnce(source.id)).outcome).toBe('ok')
    expect(repo.getSource(source.id)).toMatchObject({ errorCount: 0, lastErrorCode: 'http' })
  })
})

describe('the scheduler', () => {
  it('polls every due source after start(), with a failing one among them', async () => {
    const good = addSource('good', 'cap', '/specs/cap/weather.cap')
    const bad = addSource('bad', 'cap', '/broken/500')
    addSource('disabled', 'cap', '/specs/cap/canada.cap')
    repo.updateSource(repo.listSources().find((s) => s.name === 'disabled')?.id ?? -1, {
      name: 'disabled',
      kind: 'cap',
      url: server.url('/specs/cap/canada.cap'),
      enabled: false,
    })
    const seen = new Map<number, PollReport>()
    const bothPolled = new Promise<void>((resolve) => {
      makePoller({
        onPolled: (r) => {
          seen.set(r.sourceId, r)
          if (seen.has(good.id) && seen.has(bad.id)) resolve()
        },
      })
    })
    poller?.start()
    expect(poller?.isRunning()).toBe(true)
    await bothPolled
    await poller?.stop()
    expect(poller?.isRunning()).toBe(false)
    expect(seen.get(good.id)?.outcome).toBe('ok')
    expect(seen.get(bad.id)?.outcome).toBe('error')
    expect(server.requestsTo('/specs/cap/canada.cap')).toHaveLength(0)
    // Each source polled once: the next polls are minutes away.
    expect(server.requestsTo('/specs/cap/weather.cap')).toHaveLength(1)
  })

  it('stop() cancels a request in flight without recording an error', async () => {
    const source = addSource('hang', 'cap', '/broken/hang')
    const p = makePoller({ timeoutMs: 30_000 })
    const pending = p.pollOnce(source.id)
    while (server.requestsTo('/broken/hang').length === 0)
      await new Promise((r) => setTimeout(r, 10))
    await p.stop()
    expect((await pending).outcome).toBe('aborted')
    expect(repo.getSource(source.id)).toMatchObject({ lastError: null, errorCount: 0 })
  })

  it('never runs more polls at once than its concurrency', async () => {
    const sources = ['a', 'b', 'c', 'd', 'e'].map((n) => addSource(n, 'cap', '/broken/slow'))
    // Count requests in flight on the client side: each ends when its timeout aborts it.
    let open = 0
    let peak = 0
    const countingFetch: typeof fetch = (input, init) => {
      open++
      peak = Math.max(peak, open)
      init?.signal?.addEventListener('abort', () => open--, { once: true })
      return fetch(input, init)
    }
    const p = makePoller({ concurrency: 2, timeoutMs: 200, fetch: countingFetch })
    const reports = await Promise.all(sources.map((s) => p.pollOnce(s.id)))
    expect(reports.every((r) => r.error?.code === 'timeout')).toBe(true)
    expect(server.requestsTo('/broken/slow')).toHaveLength(5)
    expect(peak).toBe(2)
  })
})
