import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Reperibilità → «Account per le chiamate»: the voice account pages also ring through,
// optional, saved in the core; the core refuses an account that makes no calls.
let t: TestCore
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, ctx))
  setActivePinia(createPinia())
})
afterEach(() => {
  document.body.innerHTML = ''
  t.dispose()
})

describe('Reperibilità: the phone call account', () => {
  it('offers voice accounts only, saves the choice, and says a call wakes but does not take charge', async () => {
    const h = t.core.handlers
    const voice = await h['channels:create'](
      {
        kind: 'voice_twilio',
        name: 'Chiamate della sala',
        enabled: true,
        settings: {
          baseUrl: 'https://api.twilio.com',
          accountSid: `AC${'a'.repeat(32)}`,
          from: '+390571000000',
          language: 'it-IT',
        },
        secrets: { authToken: 'x' },
      } as never,
      ctx,
    )
    const sms = await h['channels:create'](
      {
        kind: 'sms_gateway',
        name: 'SMS della sala',
        enabled: true,
        settings: {
          baseUrl: 'https://sms.example.org/API/v1.0/REST/',
          username: 'u',
          sender: 'ProtCiv',
          messageType: 'GP',
        },
        secrets: { password: 'p' },
      } as never,
      ctx,
    )
    const roster = await h['oncall:roster']({}, ctx)
    expect(roster.settings.voiceAccountId).toBeNull()
    const { default: Form } =
      await import('../../src/renderer/src/components/oncall/OncallSettingsForm.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const w = mount(Form, {
      props: { settings: roster.settings, accounts: [voice, sms] },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    const select = w.find('#oc-voice')
    expect(w.find('label[for="oc-voice"]').text()).toBe('Account per le chiamate')
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      'Nessuno',
      'Chiamate della sala',
    ])
    expect(w.find('#oc-voice-hint').text()).toContain('Rispondere sveglia ma non prende in carico')
    const choose = async (index: number) => {
      ;(select.element as HTMLSelectElement).selectedIndex = index
      await select.trigger('change')
    }
    await choose(1)
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect((await h['oncall:roster']({}, ctx)).settings.voiceAccountId).toBe(voice.id)
    })

    // Back to none: no call, a choice like any other.
    await choose(0)
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect((await h['oncall:roster']({}, ctx)).settings.voiceAccountId).toBeNull()
    })
    // An account that makes no calls is refused by the core, on its field.
    await expect(
      (async () => h['oncall:updateSettings']({ voiceAccountId: sms.id } as never, ctx))(),
    ).rejects.toMatchObject({ issues: [{ path: 'voiceAccountId', code: 'choice' }] })
  })
})
