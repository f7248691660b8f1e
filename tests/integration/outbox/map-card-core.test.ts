import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AlertProgress } from '../../../src/shared/alerts/views'
import type { Alert } from '../../../src/shared/alerts/types'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { MultipartBody } from '../../fakes/http-fake'
import { startFakeMastodon, type FakeMastodon } from '../../fakes/mastodon-fake'
import { createTestCore, type TestCore } from '../../support/test-core'

/**
 * The whole core, as the app composes it: a confirmed alert's Mastodon post
 * carries the card the core draws in its worker thread, with the ente's name and
 * hashtag as the settings say; an upload that fails shows on the alert's progress.
 */

let t: TestCore | undefined
let fake: FakeMastodon | undefined
afterEach(async () => {
  await t?.core.shutdown()
  t?.dispose()
  await fake?.close()
  t = undefined
  fake = undefined
})

async function sendAlert(fault?: (f: FakeMastodon) => void) {
  fake = await startFakeMastodon()
  fault?.(fake)
  t = createTestCore()
  const dispatch = createDispatch(t.core.handlers)
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const answer = (await dispatch(name as never, input, { operator: 'Giulia Neri' })) as
      { ok: true; value: T } | { ok: false; error: { message: string } }
    if (!answer.ok) throw new Error(answer.error.message)
    return answer.value
  }
  await call('settings:update', {
    ente: 'Unione dei Comuni Empolese Valdelsa',
    hashtag: '#allertaCEV',
  })
  const account = await call<{ id: number }>('channels:create', {
    kind: 'mastodon',
    name: 'Mastodon PC',
    enabled: true,
    settings: { baseUrl: fake.url, visibility: 'public' },
    secrets: { accessToken: fake.token },
  })
  const alert = await call<Alert>('alerts:createDraft', {
    draft: {
      kind: 'idraulico',
      level: 'rosso',
      comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Allerta rossa per rischio idraulico',
      texts: { mastodon: 'Allerta ROSSA idraulica su Empoli e Vinci. #allertaCEV' },
      targets: { accountIds: [account.id], listIds: [] },
    },
  })
  await call('alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 })
  t.core.start()
  let progress: AlertProgress | undefined
  await vi.waitFor(
    async () => {
      progress = await call<AlertProgress>('alerts:progress', { id: alert.id })
      expect(progress.totals.sent).toBe(1)
    },
    { timeout: 30_000, interval: 100 },
  )
  return { fake, progress: progress! }
}

describe('the map card through the whole core', () => {
  it('goes with the post, its alt text naming the ente and hashtag of the settings', async () => {
    const { fake, progress } = await sendAlert()
    const upload = fake.requests.find((r) => r.path === '/api/v2/media')
    const alt = (upload?.body as MultipartBody).fields.description
    expect(alt).toContain('Empoli e Vinci in rosso')
    expect(alt).toContain('Unione dei Comuni Empolese Valdelsa #allertaCEV')
    expect(fake.statuses[0]?.mediaIds).toEqual([fake.media[0]?.id])
    expect(progress.warnings).toEqual([])
  }, 60_000)

  it('shows on the alert’s progress when the upload failed and the text went alone', async () => {
    const { fake, progress } = await sendAlert((f) => f.failNext(1, 503))
    expect(fake.statuses[0]?.mediaIds).toBeUndefined()
    expect(progress.warnings).toEqual([
      expect.objectContaining({
        warning: expect.stringMatching(/^mappa non allegata: /),
        count: 1,
      }),
    ])
  }, 60_000)
})
