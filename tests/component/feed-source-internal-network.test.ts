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
  installBridge(coreBridge(t.core, ctx))
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

async function mountScreen() {
  const { default: Screen } =
    await import('../../src/renderer/src/components/feeds/FeedSourcesScreen.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', messages })
  const w = mount(Screen, { global: { plugins: [i18n] } })
  await flushPromises()
  return w
}

describe('«Rete interna» in the feed source form', () => {
  it('is off for a new source, saved when ICT ticks it, and shown ticked when editing', async () => {
    const w = await mountScreen()
    await w.find('.toolbar button').trigger('click')
    const box = w.find<HTMLInputElement>('#fs-internal')
    expect(box.element.checked).toBe(false)
    expect(w.find('label[for="fs-internal"]').text()).toBe('Rete interna')
    expect(w.find('#fs-internal-help').text()).toContain('169.254')

    await w.find('#fs-name').setValue('Mirror interno DPC')
    await w.find('#fs-url').setValue('http://10.20.0.5/bollettini/cap.xml')
    await box.setValue(true)
    await w.find('form').trigger('submit')
    await flushPromises()

    const sources = async () =>
      (await t.core.handlers['feeds:sources']({}, ctx)).filter((s) => s.kind !== 'manual')
    const [stored] = await sources()
    expect(stored).toMatchObject({ name: 'Mirror interno DPC', internalNetwork: true })

    await w.find(`button[aria-label="Modifica ${stored?.name}"]`).trigger('click')
    expect(w.find<HTMLInputElement>('#fs-internal').element.checked).toBe(true)
    await w.find<HTMLInputElement>('#fs-internal').setValue(false)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect((await sources()).find((s) => s.id === stored?.id)?.internalNetwork).toBe(false)
    w.unmount()
  })
})
