import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'test' }))
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

async function mountForm(locale: 'it' | 'en') {
  const { default: Form } =
    await import('../../src/renderer/src/components/channels/ChannelAccountForm.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  return mount(Form, { global: { plugins: [i18n] }, attachTo: document.body })
}

describe('the map card on an account’s posts', () => {
  it.each(['mastodon', 'bluesky', 'x', 'facebook_page', 'telegram', 'website'])(
    'is offered and on by default for %s',
    async (kind) => {
      const w = await mountForm('it')
      await w.find('#f-kind').setValue(kind)
      const box = w.find('#f-settings-mapCard')
      expect((box.element as HTMLInputElement).checked).toBe(true)
      expect(w.find('label[for="f-settings-mapCard"]').text()).toBe(
        'Allega ai post la mappa dell’allerta (con testo alternativo)',
      )
      w.unmount()
    },
  )

  it('reads in English too, and is not offered where messages go to people', async () => {
    const w = await mountForm('en')
    await w.find('#f-kind').setValue('mastodon')
    expect(w.find('label[for="f-settings-mapCard"]').text()).toBe(
      'Attach the alert map to posts (with alt text)',
    )
    await w.find('#f-kind').setValue('sms_gateway')
    await flushPromises()
    expect(w.find('#f-settings-mapCard').exists()).toBe(false)
    w.unmount()
  })
})
