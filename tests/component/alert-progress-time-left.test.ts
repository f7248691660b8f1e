import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import type { AlertProgress, StateCounts } from '../../src/shared/alerts/views'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, ctx))
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.useRealTimers()
  t.dispose()
  vi.resetModules()
})

const counts = (queued: number, sent: number): StateCounts => ({
  queued,
  sending: 0,
  sent,
  delivered: 0,
  failed: 0,
  uncertain: 0,
  cancelled: 0,
  total: queued + sent,
})
const progress = (accountId: number, queued: number, sent: number): AlertProgress => ({
  alertId: 1,
  status: 'sending',
  sendAfter: null,
  accounts: [{ accountId, accountName: 'Email Protezione Civile', counts: counts(queued, sent) }],
  relays: [],
  totals: counts(queued, sent),
  failures: [],
})

describe('the delivery board while an alert goes out', () => {
  it('shows the time left per channel: first at the account’s rate, then at the pace seen', async () => {
    const mail = await t.core.handlers['channels:create'](
      {
        kind: 'email_smtp',
        name: 'Email Protezione Civile',
        enabled: true,
        settings: {
          host: 'smtp.example.org',
          port: 587,
          security: 'starttls',
          fromAddress: 'allerte@example.org',
          ratePerSecond: 5,
        },
        secrets: {},
      } as never,
      ctx,
    )
    const { default: Board } =
      await import('../../src/renderer/src/components/alerts/AlertProgressBoard.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    // The board's own clock reads the counts every 5 s: it runs on the test's clock.
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date', 'setInterval', 'clearInterval'] })
    const w = mount(Board, {
      props: { progress: progress(mail.id, 3000, 0) },
      global: { plugins: [i18n] },
    })
    await flushPromises()
    // 3,000 e-mails at the configured 5/s.
    expect(w.find('[data-testid="time-left"]').text()).toBe(
      'mancano ≈ 10 min (al ritmo dell’account)',
    )

    // The server takes only 2 a second: after 20 s the board believes what it saw.
    for (let s = 5; s <= 20; s += 5) {
      vi.setSystemTime(Date.now() + 5000)
      await w.setProps({ progress: progress(mail.id, 3000 - 2 * s, 2 * s) })
    }
    expect(w.find('[data-testid="time-left"]').text()).toBe('mancano ≈ 25 min (al ritmo osservato)')

    // Nothing moves for a minute: the board says so instead of a time.
    vi.advanceTimersByTime(65_000)
    await flushPromises()
    expect(w.find('[data-testid="time-left"]').text()).toBe('fermo da un minuto')

    await w.setProps({ progress: { ...progress(mail.id, 0, 3000), status: 'done' } })
    expect(w.find('[data-testid="time-left"]').exists()).toBe(false)
  })
})
