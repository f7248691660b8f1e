import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/main/core/alerts/types'
import type {
  AdapterConfig,
  AlertDocument,
  ChannelAdapter,
  MapImage,
} from '../../../src/main/core/channels/adapter'
import { createMastodonAdapter } from '../../../src/main/core/channels/adapters/mastodon'
import { createMapImageSource } from '../../../src/main/core/maps/alert-card'
import { createDispatcher, type Dispatcher } from '../../../src/main/core/outbox/dispatcher'
import type { MultipartBody } from '../../fakes/http-fake'
import { startFakeMastodon, type FakeMastodon } from '../../fakes/mastodon-fake'
import { mapImage } from '../../support/map-image'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  outboxRows,
  stateCounts,
  type Workspace,
} from './support'

/**
 * An alert's posts carry its map card: drawn once per version (in the core's
 * worker thread), uploaded with its alt text, and when the upload fails the
 * post goes as text with a warning the delivery board reads.
 */

const RESOURCES = path.resolve(__dirname, '../../../resources')

let ws: Workspace | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
})

async function drain(w: Workspace, dispatcher: Dispatcher, alertId: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = stateCounts(w.db, alertId)
    if ((open.queued ?? 0) + (open.sending ?? 0) === 0) return
    await dispatcher.tick()
    w.clock.advance(1_000)
  }
  throw new Error(`alert ${alertId} did not finish sending`)
}

async function room(options: {
  accounts?: number
  mapImage?: (alert: Alert, document: AlertDocument) => Promise<MapImage>
  settings?: Record<string, unknown>
  timeoutMs?: number
}) {
  ws = openWorkspace()
  const w = ws
  const fakes: FakeMastodon[] = []
  const adapters = new Map<number, ChannelAdapter>()
  for (let i = 0; i < (options.accounts ?? 1); i++) {
    const fake = await startFakeMastodon({ now: w.clock.now })
    cleanups.push(() => fake.close())
    fakes.push(fake)
    const settings = { baseUrl: fake.url, visibility: 'public', ...options.settings }
    const id = addAccount(w, 'mastodon', `Mastodon ${i + 1}`, settings)
    const config: AdapterConfig = {
      accountId: id,
      name: `Mastodon ${i + 1}`,
      settings,
      secrets: { accessToken: fake.token },
      now: w.clock.now,
    }
    adapters.set(
      id,
      createMastodonAdapter(config, { mediaPollMs: 10, timeoutMs: options.timeoutMs ?? 5_000 }),
    )
  }
  const dispatcher = createDispatcher({
    db: w.db,
    adapterFor: (accountId) => adapters.get(accountId)!,
    now: w.clock.now,
    ...(options.mapImage ? { mapImage: options.mapImage } : {}),
  })
  cleanups.push(() => dispatcher.stop())
  const alerts = alertsService(w, listsResolver({}))
  const alert = alerts.createDraft(
    draftInput({ targets: { accountIds: [...adapters.keys()], listIds: [] } }),
    'Maria',
  )
  alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
  return { w, fakes, dispatcher, alerts, alert, accountIds: [...adapters.keys()] }
}

describe('the alert map card on posts', () => {
  it('is drawn once per alert version in the worker and uploaded with its alt text on every account', async () => {
    const source = createMapImageSource({
      resourcesDir: RESOURCES,
      ente: () => ({ name: 'Protezione civile Empolese Valdelsa', hashtag: '#allertameteoTOS' }),
    })
    let drawn = 0
    const r = await room({
      accounts: 2,
      mapImage: (alert, document) => {
        drawn++
        return source(alert, document)
      },
    })
    await drain(r.w, r.dispatcher, r.alert.id)
    expect(drawn).toBe(1)
    for (const fake of r.fakes) {
      const upload = fake.requests.find((q) => q.path === '/api/v2/media')
      const form = upload?.body as MultipartBody
      // The alt text speaks of the alert's own comuni, level, kind and ente.
      expect(form.fields.description).toMatch(/Empoli e Vinci in arancione/)
      expect(form.fields.description).toContain('Allerta arancione per neve')
      expect(form.fields.description).toContain('#allertameteoTOS')
      expect(form.files.file?.bytes.subarray(1, 4).toString()).toBe('PNG')
      expect(fake.statuses).toHaveLength(1)
      expect(fake.statuses[0]?.mediaIds).toEqual([fake.media[0]?.id])
    }
    expect(r.alerts.progress(r.alert.id).warnings).toEqual([])
  }, 60_000)

  it('posts the text alone when the upload fails, and the board reads why', async () => {
    const r = await room({ mapImage: () => Promise.resolve(mapImage()) })
    r.fakes[0]!.failNext(1, 503)
    await drain(r.w, r.dispatcher, r.alert.id)
    expect(r.fakes[0]!.statuses).toHaveLength(1)
    expect(r.fakes[0]!.statuses[0]?.mediaIds).toBeUndefined()
    const [row] = outboxRows(r.w.db, r.alert.id)
    expect(row?.state).toBe('sent')
    const progress = r.alerts.progress(r.alert.id)
    expect(progress.totals.sent).toBe(1)
    expect(progress.warnings).toEqual([
      {
        accountId: r.accountIds[0],
        warning: expect.stringMatching(/^mappa non allegata: Mastodon/),
        count: 1,
      },
    ])
    expect(r.alerts.rows(r.alert.id)[0]?.warning).toBe(progress.warnings?.[0]?.warning)
  })

  it('posts the text alone when the card cannot be drawn, saying why', async () => {
    const r = await room({
      mapImage: () => Promise.reject(new Error('comune non del Circondario: Pisa')),
    })
    await drain(r.w, r.dispatcher, r.alert.id)
    expect(r.fakes[0]!.statuses).toHaveLength(1)
    expect(r.fakes[0]!.requests.some((q) => q.path === '/api/v2/media')).toBe(false)
    expect(r.alerts.progress(r.alert.id).warnings?.[0]?.warning).toBe(
      'mappa non allegata: comune non del Circondario: Pisa',
    )
  })

  it('is left off an account whose settings switch it off', async () => {
    let drawn = 0
    const r = await room({
      settings: { mapCard: false },
      mapImage: () => {
        drawn++
        return Promise.resolve(mapImage())
      },
    })
    await drain(r.w, r.dispatcher, r.alert.id)
    expect(drawn).toBe(0)
    expect(r.fakes[0]!.requests.some((q) => q.path === '/api/v2/media')).toBe(false)
    expect(r.fakes[0]!.statuses).toHaveLength(1)
  })

  it('does not post twice when the status timed out after the upload: the row is retried with its key', async () => {
    const r = await room({ mapImage: () => Promise.resolve(mapImage()), timeoutMs: 300 })
    const fake = r.fakes[0]!
    fake.passNext(1)
    fake.delayNext(1, 1_000)
    await drain(r.w, r.dispatcher, r.alert.id)
    expect(fake.statuses).toHaveLength(1)
    expect(fake.statuses[0]?.mediaIds).toHaveLength(1)
    expect(outboxRows(r.w.db, r.alert.id)[0]).toMatchObject({ state: 'sent', attempts: 2 })
  }, 60_000)

  it('sends nothing of an alert stopped while its card was being drawn', async () => {
    let draw: (image: MapImage) => void = () => undefined
    const r = await room({
      mapImage: () =>
        new Promise<MapImage>((resolve) => {
          draw = resolve
        }),
    })
    const tick = r.dispatcher.tick()
    await new Promise((resolve) => setTimeout(resolve, 50))
    r.alerts.stop(r.alert.id, 'Maria')
    draw(mapImage())
    await tick
    await r.dispatcher.tick()
    expect(r.fakes[0]!.requests.filter((q) => q.method === 'POST')).toHaveLength(0)
    expect(outboxRows(r.w.db, r.alert.id)[0]?.state).toBe('cancelled')
  })
})
