import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import type { AlertProgress, StateCounts } from '../../src/shared/alerts/views'
import { installBridge } from '../support/core-bridge'

beforeEach(() => {
  // No core: the board reads only the channel accounts (for its time left), none here.
  installBridge({
    on: () => () => undefined,
    'channels:list': () => Promise.resolve({ ok: true, value: [] }),
  })
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.resetModules()
})

const sent = (n: number): StateCounts => ({
  queued: 0,
  sending: 0,
  sent: n,
  delivered: 0,
  failed: 0,
  uncertain: 0,
  cancelled: 0,
  total: n,
})

/** What `alerts:progress` answers after a Mastodon upload failed (outbox-read-models `warnings`). */
const progress: AlertProgress = {
  alertId: 1,
  status: 'done',
  sendAfter: null,
  accounts: [
    { accountId: 7, accountName: 'Mastodon PC', counts: sent(1) },
    { accountId: 8, accountName: 'Bluesky PC', counts: sent(1) },
  ],
  relays: [],
  totals: sent(2),
  failures: [],
  warnings: [
    {
      accountId: 7,
      warning: 'mappa non allegata: Mastodon non disponibile (HTTP 503)',
      count: 1,
    },
  ],
}

async function board(locale: 'it' | 'en', compact = false) {
  const { default: Board } =
    await import('../../src/renderer/src/components/alerts/AlertProgressBoard.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  return mount(Board, { props: { progress, compact }, global: { plugins: [i18n] } })
}

describe('the delivery board says which posts went without their map', () => {
  it('shows the warning under the account whose post went as text only', async () => {
    const w = await board('it')
    const mastodon = w.find('[data-testid="progress-Mastodon PC"]')
    expect(mastodon.find('[data-testid="delivery-warning"]').text()).toBe(
      'Mappa non allegata: post pubblicato col solo testo (Mastodon non disponibile (HTTP 503))',
    )
    expect(
      w.find('[data-testid="progress-Bluesky PC"] [data-testid="delivery-warning"]').exists(),
    ).toBe(false)
  })

  it('says it in English too, and in the room’s compact board', async () => {
    const w = await board('en', true)
    expect(w.find('[data-testid="delivery-warning"]').text()).toBe(
      'Map not attached: the post went as text only (Mastodon non disponibile (HTTP 503))',
    )
  })
})
