import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Through the real core and dispatcher: the formats are the core's, the words the renderer's.
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

async function mountForm(locale: 'it' | 'en' = 'it') {
  const { default: Form } =
    await import('../../src/renderer/src/components/channels/ChannelAccountForm.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const w = mount(Form, { global: { plugins: [i18n] }, attachTo: document.body })
  await flushPromises()
  return w
}

async function fillTwilio(w: Awaited<ReturnType<typeof mountForm>>, accountSid: string) {
  await w.find('#f-kind').setValue('sms_twilio')
  await w.find('#f-name').setValue('SMS Twilio')
  await w.find('#f-settings-accountSid').setValue(accountSid)
  await w.find('#f-settings-from').setValue('+390571123456')
  await w.find('#f-secret-authToken').setValue('token-di-prova')
  await w.find('form').trigger('submit')
  await flushPromises()
}

describe('a channel account checked against its provider’s format', () => {
  it('marks the Account SID "AC123" on its field with what a SID looks like, and saves nothing', async () => {
    const w = await mountForm()
    await fillTwilio(w, 'AC123')
    const sid = w.find('#f-settings-accountSid')
    expect(sid.attributes('aria-invalid')).toBe('true')
    expect(sid.attributes('aria-describedby')).toContain('err-settings-accountSid')
    expect(w.find('#err-settings-accountSid').text()).toContain(
      'Account SID non valido: comincia con AC e ha altre 32 cifre esadecimali',
    )
    expect(w.find('#err-settings-from').exists()).toBe(false)
    expect(w.emitted('saved')).toBeUndefined()
    expect(await t.core.handlers['channels:list']({}, { operator: 'test' })).toEqual([])
  })

  it('saves the same account with a well-formed SID', async () => {
    const w = await mountForm()
    await fillTwilio(w, `AC${'0123456789abcdef'.repeat(2)}`)
    expect(w.emitted('saved')).toEqual([['SMS Twilio']])
  })

  it('says next to the rate what it means for a list: 1/s is 5.000 SMS in about 83 minutes', async () => {
    const w = await mountForm()
    await w.find('#f-kind').setValue('sms_twilio')
    await flushPromises()
    const rate = w.find('#f-settings-ratePerSecond')
    expect((rate.element as HTMLInputElement).value).toBe('1')
    expect(rate.attributes('aria-describedby')).toContain('hint-settings-ratePerSecond')
    expect(w.find('#hint-settings-ratePerSecond').text()).toBe(
      '1/s: 5.000 SMS in ≈ 1 h 23 min (per esempio).',
    )
    await rate.setValue('50')
    expect(w.find('#hint-settings-ratePerSecond').text()).toBe(
      '50/s: 5.000 SMS in ≈ 2 min (per esempio).',
    )
  })
})
