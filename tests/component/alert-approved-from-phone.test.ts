import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Alert } from '../../src/shared/alerts/types'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { smsAlerts } from '../support/sms-alert'
import { createTestCore, type TestCore } from '../support/test-core'

// The alert's page says who sent it and from where: two people on call who approved it from
// Telegram are named as the core recorded them. Nothing leaves (see support/sms-alert).
let t: TestCore
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'Giulia Neri' }))
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

describe('the alert page', () => {
  it('names who approved it from the phone', async () => {
    // The confirmation as phone-approvals.ts makes it, under both names.
    const s = await smsAlerts(t, 'Mario Rossi e Lucia Bianchi (da Telegram)')
    const draft = await s.draft({
      level: 'rosso',
      comuni: ['Empoli'],
      headline: 'Allerta rossa per rischio idraulico',
      sms: 'Allerta ROSSA idraulico su Empoli: salite ai piani alti.',
    })
    const sent: Alert = await s.confirm(draft)
    expect(sent.confirmedBy).toBe('Mario Rossi e Lucia Bianchi (da Telegram)')
    const { default: Page } = await import('../../src/renderer/src/components/alerts/AlertPage.vue')
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
    })
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const w = mount(Page, { props: { id: draft.id }, global: { plugins: [i18n, router] } })
    await flushPromises()
    expect(w.find('[data-testid="alert-confirmed-by"]').text()).toMatch(
      /^Confermata da Mario Rossi e Lucia Bianchi \(da Telegram\) · /,
    )
    w.unmount()
  })
})
