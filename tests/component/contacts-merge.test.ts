import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The Contatti screen over the real core and dispatcher: saving a contact that
// duplicates another must show what was merged into what.
let t: TestCore
// happy-dom lays nothing out: give the table's scroller a height so the
// virtualiser renders rows, as a window would.
const clientHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientHeight')!
beforeEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('ctable__body') ? 600 : clientHeight.get!.call(this)
    },
  })
  t = createTestCore()
  const bridge = coreBridge(t.core, { operator: 'test' })
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', clientHeight)
  document.body.innerHTML = ''
  t.dispose()
  vi.resetModules()
})

const ctx = { operator: 'test' }
const create = (contact: Record<string, unknown>) =>
  t.core.handlers['contacts:create']({ contact }, ctx)

async function mountScreen() {
  const { default: Screen } =
    await import('../../src/renderer/src/components/contacts/ContactsScreen.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', fallbackLocale: 'it', messages })
  const w = mount(Screen, { global: { plugins: [i18n] }, attachTo: document.body })
  await vi.waitFor(async () => {
    await flushPromises()
    expect(w.find('#contacts-comune option:nth-child(2)').exists()).toBe(true)
  })
  return w
}

const button = (w: VueWrapper, label: string) => {
  const found = w.findAll('button').find((b) => (b.attributes('aria-label') ?? b.text()) === label)
  if (!found) throw new Error(`no button "${label}"`)
  return found
}

async function submit(w: VueWrapper) {
  await w.find('form').trigger('submit')
  await vi.waitFor(async () => {
    await flushPromises()
    expect(w.find('form[aria-label="Nuovo contatto"]').exists()).toBe(false)
  })
}

describe('ContactsScreen: saving a duplicate', () => {
  it('shows that a new contact went into the existing one with the same number', async () => {
    const existing = await create({ name: 'Mario Rossi', phones: ['347 123 4567'] })
    const w = await mountScreen()
    await button(w, 'Nuovo contatto').trigger('click')
    await w.find('#c-name').setValue('M. Rossi')
    await w.find('#c-phone-0').setValue('+39 347-1234567')
    expect(w.find('#c-phone-0-hint').text()).toBe('+393471234567 · cellulare: riceve SMS')
    await w.find('#c-email').setValue('mario.rossi@example.org')
    await submit(w)

    const notice = w.find('.merge')
    expect(notice.attributes('role')).toBe('status')
    expect(notice.find('h3').text()).toBe('Duplicati uniti')
    expect(notice.text()).toContain(
      `uniti al contatto esistente «M. Rossi» (n. ${existing.contact.id}), riconosciuto da lo stesso telefono +393471234567`,
    )
    // The values it changed are listed, from → to.
    expect(notice.findAll('li').map((li) => li.text())).toEqual([
      'Nome: «Mario Rossi» → «M. Rossi»',
      'E-mail: «vuoto» → «mario.rossi@example.org»',
    ])
    const page = await t.core.handlers['contacts:search']({}, ctx)
    expect(page.items).toHaveLength(1)
  })

  it('names the contact an edit absorbed, found by its e-mail', async () => {
    const anna = await create({ name: 'Anna Pucci', phones: ['347 100 2000'] })
    const other = await create({ name: 'A. Pucci (lavoro)', email: 'anna.pucci@example.org' })
    const w = await mountScreen()
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.text()).toContain('Contatti trovati: 2.')
    })
    await button(w, 'Modifica Anna Pucci').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('#c-email').exists()).toBe(true)
    })
    expect((w.find('#c-phone-0').element as HTMLInputElement).value).toBe('+393471002000')
    await w.find('#c-email').setValue('anna.pucci@example.org')
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('.merge').exists()).toBe(true)
    })
    expect(w.find('.merge p').text()).toBe(
      `«Anna Pucci» (n. ${anna.contact.id}) ha assorbito «A. Pucci (lavoro)» (n. ${other.contact.id}), riconosciuti da la stessa e-mail anna.pucci@example.org: quei contatti non esistono più come schede separate.`,
    )
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.text()).toContain('Contatti trovati: 1.')
    })
  })

  it('marks a wrong field and saves nothing; a landline is told it gets no SMS', async () => {
    const w = await mountScreen()
    await button(w, 'Nuovo contatto').trigger('click')
    await w.find('#c-name').setValue('Ufficio scuola')
    await w.find('#c-phone-0').setValue('0571 757111')
    expect(w.find('#c-phone-0-hint').text()).toBe('+390571757111 · fisso: non riceve SMS')
    await w.find('#c-email').setValue('non una mail')
    await w.find('form').trigger('submit')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('#c-email').attributes('aria-invalid')).toBe('true')
    })
    expect(w.find('#c-email-err').text()).toBe('Indirizzo e-mail non valido.')
    expect(w.find('.merge').exists()).toBe(false)
    expect((await t.core.handlers['contacts:search']({}, ctx)).items).toHaveLength(0)
  })
})
