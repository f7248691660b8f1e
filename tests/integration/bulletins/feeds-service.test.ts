import { join } from 'node:path'
import { createCore } from '../../../src/main/core/app'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { BulletinAlertView, Envelope } from '../../../src/shared/contract'
import type { FeedItem, FeedSource } from '../../../src/shared/feeds/types'
import { startFeedServer, type FeedServer } from '../../fakes/feed-server'
import { italianCap } from '../../support/bulletins'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let server: FeedServer
let call: <T>(name: string, payload: unknown) => Promise<T>
beforeEach(async () => {
  t = createTestCore()
  server = await startFeedServer()
  const dispatch = createDispatch(t.core.handlers)
  call = async <T>(name: string, payload: unknown) => {
    const r: Envelope = await dispatch(name, payload, { operator: 'cs' })
    if (!r.ok) throw Object.assign(new Error(r.error.message), { body: r.error })
    return r.value as T
  }
})
afterEach(async () => {
  await t.core.shutdown()
  t.dispose()
  await server.close()
})

describe('bulletins in the room', () => {
  it('polls a source, stores the bulletin and raises an alert with a prefilled draft', async () => {
    server.setDocument(
      'neve.xml',
      italianCap({ identifier: 'cfr-2026-neve-1', level: 'arancione' }),
      'application/xml',
    )
    const alerts: BulletinAlertView[] = []
    t.core.events.on('feeds:alert', (a) => alerts.push(a))
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'CFR Toscana',
      kind: 'cap',
      url: server.url('/doc/neve.xml'),
      zones: ['EMMA_ID:IT009'],
    })
    expect(await call('feeds:pollNow', { id: source.id })).toMatchObject({
      outcome: 'ok',
      inserted: 1,
    })
    const page = await call<{ items: FeedItem[]; total: number }>('feeds:items', {})
    expect(page.total).toBe(1)
    expect(page.items[0]).toMatchObject({
      isOurs: true,
      level: 'arancione',
      headline: 'Allerta arancione per neve: Empoli, Vinci, Certaldo',
    })
    // The regional centre's colour, not a MeteoAlarm weather warning: the source is not MeteoAlarm.
    expect(page.items[0]!.bulletin.levelKind).toBe('cap_level')

    expect(alerts).toHaveLength(1)
    expect(alerts[0]!.draft).toMatchObject({
      kind: 'neve',
      level: 'arancione',
      comuni: ['Certaldo', 'Empoli', 'Vinci'],
      validFrom: '2026-02-07T14:00:00+01:00',
      validTo: '2026-02-08T23:59:00+01:00',
      templateId: 'neve-arancione',
      description: 'Nevicate anche a quote di pianura su Empoli, Vinci e Certaldo.',
      instruction: 'Limitare gli spostamenti.',
      warnings: [],
    })
    // A second poll of the unchanged feed stores nothing and raises nothing.
    expect(await call('feeds:pollNow', { id: source.id })).toMatchObject({ inserted: 0 })
    expect(alerts).toHaveLength(1)
  })

  it('raises the upgrade when a red update references the orange bulletin', async () => {
    server.setDocument(
      'neve.xml',
      italianCap({ identifier: 'cfr-neve-1', level: 'arancione' }),
      'application/xml',
    )
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'CFR',
      kind: 'cap',
      url: server.url('/doc/neve.xml'),
      zones: ['*'],
    })
    await call('feeds:pollNow', { id: source.id })
    const alerts: BulletinAlertView[] = []
    t.core.events.on('feeds:alert', (a) => alerts.push(a))
    server.setDocument(
      'neve.xml',
      italianCap({
        identifier: 'cfr-neve-2',
        level: 'rosso',
        msgType: 'Update',
        references: 'cfr@regione.toscana.it,cfr-neve-1,2026-02-06T12:00:00+01:00',
        sent: '2026-02-06T18:00:00+01:00',
      }),
      'application/xml',
    )
    await call('feeds:pollNow', { id: source.id })
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      change: 'update',
      level: 'rosso',
      previousLevel: 'arancione',
      escalated: true,
    })
    expect(alerts[0]!.draft).toMatchObject({
      kind: 'neve',
      level: 'rosso',
      templateId: 'neve-rosso',
    })
  })

  it('refuses a source with a bad address, and reports a broken feed on the source', async () => {
    await expect(
      call('feeds:createSource', { name: 'X', kind: 'cap', url: 'ftp://nowhere' }),
    ).rejects.toMatchObject({
      body: { code: 'invalid_input', issues: [{ path: 'url', code: 'url' }] },
    })
    server.setDocument(
      'rotto.xml',
      '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x',
      'application/xml',
    )
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'Rotto',
      kind: 'cap',
      url: server.url('/doc/rotto.xml'),
    })
    const r = await call<{ outcome: string; error?: string }>('feeds:pollNow', { id: source.id })
    expect(r.outcome).toBe('error')
    expect(r.error).toBeTruthy()
    const [stored] = await call<FeedSource[]>('feeds:sources', {})
    expect(stored!.lastError).toBe(r.error)
  })
})

describe('feed sources', () => {
  it('refuse a duplicate name on the field', async () => {
    await call('feeds:createSource', {
      name: 'CFR Toscana',
      kind: 'cap',
      url: 'https://example.it/a.xml',
    })
    await expect(
      call('feeds:createSource', {
        name: 'cfr toscana',
        kind: 'rss',
        url: 'https://example.it/b.xml',
      }),
    ).rejects.toMatchObject({
      body: { code: 'invalid_input', issues: [{ path: 'name', code: 'duplicate' }] },
    })
  })
})

describe('feeds in a drill', () => {
  it('are never fetched, even on demand: bulletins come from the scenario', async () => {
    const drill = createCore({
      dataDir: t.dataDir,
      databaseFile: join(t.dataDir, 'drill.sqlite'),
      cipher: createKeyFileCipher(t.dataDir),
      shell: 'host',
      version: 'test',
      mode: 'drill',
      resourcesDir: join(__dirname, '../../../resources'),
    })
    try {
      const dispatch = createDispatch(drill.handlers)
      const created = await dispatch(
        'feeds:createSource',
        { name: 'CFR', kind: 'cap', url: server.url('/doc/x.xml') },
        { operator: 'x' },
      )
      expect(created.ok).toBe(true)
      drill.start()
      const r = await dispatch(
        'feeds:pollNow',
        { id: (created as { ok: true; value: FeedSource }).value.id },
        { operator: 'x' },
      )
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } })
      expect(server.requests).toEqual([])
    } finally {
      await drill.shutdown()
    }
  })
})
