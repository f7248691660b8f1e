import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CommandHandlers } from '../../../src/main/core/handlers'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { CommandInput, CommandName, Envelope } from '../../../src/shared/contract'
import { createTestCore, type TestCore } from '../../support/test-core'

/**
 * A YouTube account takes no alert post (its Data API publishes none): an alert that
 * names one is told so in its preview and cannot be confirmed, instead of failing the
 * row at send time.
 */

let t: TestCore
beforeEach(() => {
  t = createTestCore()
})
afterEach(() => t.dispose())

const call = <K extends CommandName>(h: CommandHandlers, name: K, input: CommandInput<K>) =>
  createDispatch(h)(name, input, { operator: 'Giulia' }) as Promise<Envelope>
const value = async <T>(p: Promise<Envelope>): Promise<T> => {
  const e = await p
  if (!e.ok) throw new Error(JSON.stringify(e.error))
  return e.value as T
}

describe('an alert that names a YouTube account', () => {
  it('is refused in the preview with words that say what to do, and cannot be confirmed', async () => {
    const h = t.core.handlers
    const youtube = await value<{ id: number }>(
      call(h, 'channels:create', {
        kind: 'youtube',
        name: 'YouTube Circondario',
        enabled: true,
        settings: {
          baseUrl: 'http://127.0.0.1:9',
          tokenUrl: 'http://127.0.0.1:9/token',
          channelId: `UC${'a'.repeat(22)}`,
        },
        secrets: { apiKey: 'chiave-di-prova' },
      }),
    )
    const alert = await value<{ id: number }>(
      call(h, 'alerts:createDraft', {
        draft: {
          kind: 'idraulico',
          level: 'arancione',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-12-04T14:00:00+01:00',
          validTo: '2026-12-05T08:00:00+01:00',
          headline: 'Allerta arancione per rischio idraulico',
          texts: { sms: 'Evita i sottopassi: allerta arancione.' },
          targets: { accountIds: [youtube.id], listIds: [], partnerIds: [] },
        },
      }),
    )
    const preview = await value<{
      ok: boolean
      accounts: { accountId: number; warnings: { code: string; severity: string }[] }[]
    }>(call(h, 'alerts:preview', { id: alert.id }))
    expect(preview.ok).toBe(false)
    expect(preview.accounts.find((a) => a.accountId === youtube.id)?.warnings).toEqual([
      expect.objectContaining({ code: 'not_a_post_channel', severity: 'error' }),
    ])
    const confirmed = await call(h, 'alerts:confirm', {
      id: alert.id,
      confirmation: 'INVIA',
      operator: 'Giulia Neri',
    })
    // Refused for what the preview says, not for the shape of the request.
    expect(confirmed).toMatchObject({ ok: false, error: { code: 'conflict' } })
    expect(await value<{ status: string }>(call(h, 'alerts:get', { id: alert.id }))).toMatchObject({
      status: 'draft',
    })
  })
})
