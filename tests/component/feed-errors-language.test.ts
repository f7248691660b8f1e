import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
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

describe('a failing source in Fonti', () => {
  it.each([
    ['it', /connessione non riuscita/, /server could not be reached/],
    ['en', /the server could not be reached/, /connessione|non riuscita/],
  ] as const)(
    'says what failed in the operator’s language (%s)',
    async (locale, shown, notShown) => {
      // Nothing listens on port 9 of loopback: the read fails at once with a network error.
      const source = await t.core.handlers['feeds:createSource'](
        {
          name: 'CFR Toscana',
          kind: 'cap',
          url: 'http://127.0.0.1:9/cap.xml',
          intervalS: 300,
          enabled: true,
          zones: [],
        },
        ctx,
      )
      await t.core.handlers['feeds:pollNow']({ id: source.id }, ctx)
      const { default: Screen } =
        await import('../../src/renderer/src/components/feeds/FeedSourcesScreen.vue')
      const i18n = createI18n({ legacy: false, locale, messages })
      const w = mount(Screen, { global: { plugins: [i18n] } })
      await flushPromises()
      const row = w.find('tbody tr').text()
      expect(row).toMatch(shown)
      expect(row).not.toMatch(notShown)
      w.unmount()
    },
  )
})
