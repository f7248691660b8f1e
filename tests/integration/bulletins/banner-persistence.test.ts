import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core/app'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { BulletinAlertView, Envelope } from '../../../src/shared/contract'
import type { FeedSource } from '../../../src/shared/feeds/types'
import { startFeedServer, type FeedServer } from '../../fakes/feed-server'
import { italianCap } from '../../support/bulletins'

// The bulletin is valid from 2026-02-07 14:00 to 2026-02-08 23:59 (Rome).
let clock = new Date('2026-02-07T15:00:00Z')
let dataDir: string
let server: FeedServer
let core: Core | undefined

function open(): Core {
  core?.close()
  core = createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../../resources'),
    now: () => clock,
  })
  return core
}
async function call<T>(name: string, payload: unknown, operator = 'Giulia'): Promise<T> {
  const r: Envelope = await createDispatch(core!.handlers)(name, payload, { operator })
  if (!r.ok) throw Object.assign(new Error(r.error.message), { body: r.error })
  return r.value as T
}
const pending = () => call<BulletinAlertView[]>('feeds:pendingAlerts', {})

beforeEach(async () => {
  clock = new Date('2026-02-07T15:00:00Z')
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-banner-'))
  server = await startFeedServer()
  server.setDocument(
    'neve.xml',
    italianCap({ identifier: 'cfr-neve-1', level: 'arancione' }),
    'application/xml',
  )
  open()
})
afterEach(async () => {
  core?.close()
  core = undefined
  rmSync(dataDir, { recursive: true, force: true })
  await server.close()
})

describe('the banner of a bulletin for our zones', () => {
  it('is shown again after a reload or a restart until acknowledged', async () => {
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'CFR Toscana',
      kind: 'cap',
      url: server.url('/doc/neve.xml'),
      zones: ['EMMA_ID:IT009'],
    })
    await call('feeds:pollNow', { id: source.id })
    const [first] = await pending()
    expect(first).toMatchObject({ sourceName: 'CFR Toscana', level: 'arancione', change: 'new' })
    expect(first!.draft).toMatchObject({ kind: 'neve', level: 'arancione' })

    open() // the workspace is opened again, as after a restart of the app
    expect((await pending()).map((a) => a.item.id)).toEqual([first!.item.id])

    const acknowledged: number[] = []
    core!.events.on('feeds:alertAcknowledged', (e) => acknowledged.push(e.itemId))
    await call('feeds:acknowledgeAlert', { itemId: first!.item.id })
    expect(acknowledged).toEqual([first!.item.id])
    expect(await pending()).toEqual([])
    open()
    expect(await pending()).toEqual([])
  })

  it('is no longer shown once the bulletin has expired', async () => {
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'CFR',
      kind: 'cap',
      url: server.url('/doc/neve.xml'),
      zones: ['EMMA_ID:IT009'],
    })
    await call('feeds:pollNow', { id: source.id })
    expect(await pending()).toHaveLength(1)
    clock = new Date('2026-02-09T00:00:00Z')
    expect(await pending()).toEqual([])
  })

  it('comes back for the update that upgrades an acknowledged bulletin', async () => {
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'CFR',
      kind: 'cap',
      url: server.url('/doc/neve.xml'),
      zones: ['EMMA_ID:IT009'],
    })
    await call('feeds:pollNow', { id: source.id })
    const [orange] = await pending()
    await call('feeds:acknowledgeAlert', { itemId: orange!.item.id })
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
    expect(await pending()).toMatchObject([
      { level: 'rosso', previousLevel: 'arancione', escalated: true },
    ])
  })
})
