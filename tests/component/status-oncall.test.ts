import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, ctx)
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

describe('the Stato panel', () => {
  it('shows who is on call now', async () => {
    const h = t.core.handlers
    const contact = await h['contacts:create'](
      { contact: { name: 'Mario Bini', phones: ['347 111 2222'] } },
      ctx,
    )
    const person = await h['oncall:savePerson'](
      { contactId: contact.contact.id, phone: '+393471112222', telegramChatId: null, email: null },
      ctx,
    )
    // Every day, all day: whoever runs this test, now is inside a shift.
    for (let weekday = 1; weekday <= 7; weekday++)
      await h['oncall:saveShift'](
        { label: '', weekday, starts: '00:00', ends: '23:59', chain: [person.id] },
        ctx,
      )
    const { default: Panel } = await import('../../src/renderer/src/room/panels/StatusPanel.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
    })
    const w = mount(Panel, { props: { readOnly: true }, global: { plugins: [i18n, router] } })
    await flushPromises()
    expect(w.find('[data-testid="oncall-badge"]').text()).toContain('Mario Bini')
    w.unmount()
  })
})
