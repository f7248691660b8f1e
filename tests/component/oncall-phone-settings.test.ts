import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Reperibilità → «Approvare una bozza dal telefono»: the channels and lists of the draft the
// phone approves, and how many recipients one person's approval may reach, saved in the core.
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

describe('Reperibilità: approving from the phone', () => {
  it('saves the channels, the lists and the size one person may approve', async () => {
    const h = t.core.handlers
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
    const list = await h['lists:create']({ list: { kind: 'static', name: 'Cittadini' } }, ctx)
    const roster = await h['oncall:roster']({}, ctx)
    expect(roster.settings.phone).toEqual({ accountIds: [], listIds: [], maxRecipients: 500 })
    const { default: Form } =
      await import('../../src/renderer/src/components/oncall/OncallSettingsForm.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const w = mount(Form, {
      props: { settings: roster.settings, accounts: [sms] },
      global: { plugins: [i18n] },
      attachTo: document.body,
    })
    await flushPromises()
    expect(w.text()).toContain('Approvare una bozza dal telefono')
    expect(w.text()).toContain(
      'per ogni allerta rossa, serve anche l’approvazione di una seconda persona',
    )
    await w.find(`#oc-ph-acc-${sms.id}`).setValue(true)
    await w.find(`#oc-ph-list-${list.id}`).setValue(true)
    await w.find('#oc-ph-max').setValue(200)
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      const saved = (await h['oncall:roster']({}, ctx)).settings.phone
      expect(saved).toEqual({ accountIds: [sms.id], listIds: [list.id], maxRecipients: 200 })
    })

    await w.find('#oc-ph-max').setValue(0)
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('#oc-ph-max-err').text()).not.toBe('')
    })
    expect((await h['oncall:roster']({}, ctx)).settings.phone.maxRecipients).toBe(200)
  })
})
