import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
const ctx = { operator: 'Giulia Neri' }
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

describe('Reperibilità → PIN', () => {
  it('sets a person’s PIN write-only: the room sees that it is set, never the PIN', async () => {
    const h = t.core.handlers
    const contact = await h['contacts:create'](
      { contact: { name: 'Mario Bini', phones: ['347 111 2222'] } },
      ctx,
    )
    const person = await h['oncall:savePerson'](
      { contactId: contact.contact.id, phone: '+393471112222', telegramChatId: null, email: null },
      ctx,
    )
    const { default: Pins } =
      await import('../../src/renderer/src/components/oncall/OncallPins.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const w = mount(Pins, { props: { people: [person] }, global: { plugins: [i18n] } })
    await flushPromises()
    expect(w.text()).toContain('Mario Bini: nessun PIN')

    await w.get('button[aria-label="Imposta il PIN di Mario Bini"]').trigger('click')
    const input = w.get('#oc-pin')
    expect(input.attributes('type')).toBe('password')
    await input.setValue('12a')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('#oc-pin-err').text()).not.toBe('')
    expect((w.get('#oc-pin').element as HTMLInputElement).value).toBe('')

    await w.get('#oc-pin').setValue('73915')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.find('form').exists()).toBe(false)
    expect(w.text()).toContain('PIN di Mario Bini impostato.')
    expect(w.text()).toContain('Mario Bini: PIN impostato')
    expect(w.html()).not.toContain('73915')
    expect(await h['oncall:pins']({}, ctx)).toEqual([
      { personId: person.id, set: true, locked: false },
    ])
    w.unmount()
  })
})
