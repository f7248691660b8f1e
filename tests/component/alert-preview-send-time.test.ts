import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { planSend } from '../../src/main/core/alerts/preview'
import type { Alert } from '../../src/main/core/alerts/types'
import type { ChannelAccountRow } from '../../src/main/core/channels/accounts-repository'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The panel reads the ente's limit from the real core, as the host serves it.
let t: TestCore
const ctx = { operator: 'test' }
/** How many times the renderer read the workspace settings through the bridge. */
let settingsReads = 0
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, ctx)
  const read = bridge['settings:get'] as (input: unknown) => Promise<unknown>
  settingsReads = 0
  bridge['settings:get'] = async (input: unknown) => {
    const answer = await read(input)
    settingsReads += 1
    return answer
  }
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

const i18n = (locale: 'it' | 'en' = 'it') => createI18n({ legacy: false, locale, messages })

/** The preview of an e-mail alert to `families` addresses on an account paced at `rate`/s. */
async function previewTo(families: number, rate: number) {
  const h = t.core.handlers
  const mail = await h['channels:create'](
    {
      kind: 'email_smtp',
      name: 'Email Protezione Civile',
      enabled: true,
      settings: {
        host: 'smtp.example.org',
        port: 587,
        security: 'starttls',
        fromAddress: 'allerte@example.org',
        ratePerSecond: rate,
      },
      secrets: { password: 'p' },
    } as never,
    ctx,
  )
  const alert = (await h['alerts:createDraft'](
    {
      draft: {
        kind: 'neve',
        level: 'arancione',
        comuni: [{ name: 'Empoli' }],
        validFrom: '2026-02-07T14:00:00+01:00',
        validTo: '2026-02-07T23:59:00+01:00',
        headline: 'Neve',
        targets: { accountIds: [mail.id], listIds: [], partnerIds: [] },
      },
    } as never,
    ctx,
  )) as unknown as Alert
  const account = { ...mail, secretNames: ['password'] } as unknown as ChannelAccountRow
  // The real plan, with a list of that many families instead of an imported file.
  return planSend(
    { ...alert, targets: { ...alert.targets, listIds: [1] } },
    {
      account: (id) => (id === account.id ? account : undefined),
      resolveRecipients: () => ({
        recipients: Array.from({ length: families }, (_, i) => ({
          contactId: i + 1,
          address: `famiglia${i + 1}@example.it`,
        })),
        skipped: [],
      }),
    },
  ).preview
}

async function mountPanel(
  preview: Awaited<ReturnType<typeof previewTo>>,
  locale: 'it' | 'en' = 'it',
) {
  const { default: Panel } =
    await import('../../src/renderer/src/components/alerts/AlertPreviewPanel.vue')
  const w = mount(Panel, { props: { preview }, global: { plugins: [i18n(locale)] } })
  // The panel asks the core for the ente's limit once it has a channel to time.
  await vi.waitFor(() => expect(settingsReads).toBe(1))
  await flushPromises()
  return w
}

describe('how long the preview says each channel will take', () => {
  it('estimates 5.003 e-mails at 5/s in about 17 minutes and warns past the 10-minute limit', async () => {
    const w = await mountPanel(await previewTo(5003, 5))
    expect(w.find('[data-testid="send-time"]').text()).toBe('e-mail: 5.003 a 5/s ≈ 17 min')
    const warning = w.find('[data-testid="send-time-warning"]').text()
    expect(warning).toContain('oltre il limite di 10 minuti')
    expect(warning).toContain('Configurazione → Ente → Durata massima di un invio')
  })

  it('follows the ente’s limit: at 30 minutes the same send is not flagged', async () => {
    const w = await mountPanel(await previewTo(5003, 5))
    expect(w.find('[data-testid="send-time-warning"]').exists()).toBe(true)
    await t.core.handlers['settings:update']({ sendTimeLimitMinutes: 30 }, ctx)
    await flushPromises()
    expect(w.find('[data-testid="send-time-warning"]').exists()).toBe(false)
    expect(w.find('[data-testid="send-time"]').text()).toContain('≈ 17 min')
  })

  it('does not flag a send within the limit, and speaks English too', async () => {
    const w = await mountPanel(await previewTo(5003, 50), 'en')
    expect(w.find('[data-testid="send-time"]').text()).toBe('e-mail: 5,003 at 50/s ≈ 2 min')
    expect(w.find('[data-testid="send-time-warning"]').exists()).toBe(false)
  })
})
