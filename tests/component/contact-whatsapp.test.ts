import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The contact form over the real core: the person's yes to WhatsApp is recorded
// with its day, shown, and taken back; the lists page then counts who WhatsApp reaches.
let t: TestCore
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'test' }))
  setActivePinia(createPinia())
})
afterEach(() => {
  document.body.innerHTML = ''
  t.dispose()
  vi.resetModules()
})

const i18n = () => createI18n({ legacy: false, locale: 'it', fallbackLocale: 'it', messages })

async function mountForm(contact?: unknown) {
  const { default: Form } =
    await import('../../src/renderer/src/components/contacts/ContactForm.vue')
  const saved: unknown[] = []
  const w = mount(Form, {
    props: { contact: contact as never },
    attrs: { onSaved: (r: unknown) => saved.push(r) },
    global: { plugins: [i18n()] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w, saved }
}

describe('ContactForm: WhatsApp consent', () => {
  it('records a yes with its day, and an untick takes it back', async () => {
    const { w, saved } = await mountForm()
    await w.find('#c-name').setValue('Anna Rossi')
    await w.find('#c-phone-0').setValue('347 000 0001')
    expect(w.find('#c-whatsapp-on').exists()).toBe(false)
    await w.find('[data-testid="whatsapp-yes"]').setValue(true)
    // Ticked: the day defaults to today in Rome, and may be changed to when they said yes.
    expect((w.find('#c-whatsapp-on').element as HTMLInputElement).value).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    )
    await w.find('#c-whatsapp-on').setValue('2026-11-20')
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(saved).toHaveLength(1)
    })
    const id = (saved[0] as { contact: { id: number } }).contact.id
    const stored = await t.core.handlers['contacts:get']({ id }, { operator: 'test' })
    expect(stored.whatsappOptInOn).toBe('2026-11-20')

    const edit = await mountForm(stored)
    expect((edit.w.find('[data-testid="whatsapp-yes"]').element as HTMLInputElement).checked).toBe(
      true,
    )
    await edit.w.find('[data-testid="whatsapp-yes"]').setValue(false)
    await edit.w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(edit.saved).toHaveLength(1)
    })
    const after = await t.core.handlers['contacts:get']({ id }, { operator: 'test' })
    expect(after.whatsappOptInOn).toBeNull()
  })
})
