import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The component talks to the real core through the real dispatcher: the same
// path as the host, minus the socket.
let t: TestCore
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, { operator: 'test' })
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

async function mountForm(props = {}) {
  const { default: Form } =
    await import('../../src/renderer/src/components/channels/ChannelAccountForm.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', messages })
  return mount(Form, { props, global: { plugins: [i18n] }, attachTo: document.body })
}

describe('ChannelAccountForm', () => {
  it('shows the settings of the chosen kind, pre-filled with the provider defaults', async () => {
    const w = await mountForm()
    await w.find('#f-kind').setValue('telegram')
    expect((w.find('#f-settings-baseUrl').element as HTMLInputElement).value).toBe(
      'https://api.telegram.org',
    )
    expect(w.find('label[for="f-settings-chatId"]').text()).toBe(
      'Canale (chat id o nome con chiocciola)',
    )
    expect(w.find('#f-secret-botToken').attributes('type')).toBe('password')
    await w.find('#f-kind').setValue('sms_smpp')
    expect((w.find('#f-settings-port').element as HTMLInputElement).value).toBe('2775')
    expect(w.find('#f-settings-baseUrl').exists()).toBe(false)
  })

  it('marks each wrong field with an accessible message from the core', async () => {
    const w = await mountForm()
    await w.find('#f-kind').setValue('sms_smpp')
    await w.find('#f-name').setValue('SMPP operatore')
    await w.find('#f-settings-host').setValue('http://smpp.example.it')
    await w.find('#f-settings-port').setValue('99999')
    await w.find('form').trigger('submit')
    await flushPromises()
    const port = w.find('#f-settings-port')
    expect(port.attributes('aria-invalid')).toBe('true')
    expect(w.find(`#${port.attributes('aria-describedby')}`).text()).toContain('Porta non valida')
    expect(w.find('#err-settings-host').text()).toContain('Nome host non valido')
    expect(w.find('#err-secret-password').text()).toBe('Campo obbligatorio.')
    expect(w.emitted('saved')).toBeUndefined()
  })

  it('saves a valid account and never shows a stored secret back', async () => {
    const w = await mountForm()
    await w.find('#f-kind').setValue('mastodon')
    await w.find('#f-name').setValue('Mastodon Circondario')
    await w.find('#f-settings-baseUrl').setValue('https://mastodon.example.it')
    await w.find('#f-secret-accessToken').setValue('tok-123')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.emitted('saved')).toEqual([['Mastodon Circondario']])
    const [account] = await t.core.handlers['channels:list']({}, { operator: 'test' })
    const edit = await mountForm({ account })
    const secret = edit.find('#f-secret-accessToken')
    expect((secret.element as HTMLInputElement).value).toBe('')
    expect(secret.attributes('placeholder')).toMatch(/Già impostata/)
    expect(edit.html()).not.toContain('tok-123')
  })
})
