import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter, type Router } from 'vue-router'
import type { Alert } from '../../src/shared/alerts/types'
import type { CommandName } from '../../src/shared/contract'
import { createDispatch } from '../../src/main/transport/dispatch'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Through the real core: an orange alert on Empoli, confirmed and held in a long cancel
// window (no provider is reached), then followed up from its page.
let t: TestCore
let dispatch: ReturnType<typeof createDispatch>
const OPERATOR = 'Giulia Neri'
const call = async <T>(name: CommandName, input: unknown): Promise<T> => {
  const answer = (await dispatch(name, input, { operator: OPERATOR })) as
    { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.value
}
beforeEach(() => {
  t = createTestCore()
  dispatch = createDispatch(t.core.handlers)
  installBridge(coreBridge(t.core, { operator: OPERATOR }))
  localStorage.setItem('vedetta.operator', OPERATOR)
  setActivePinia(createPinia())
})
let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  t.dispose()
  vi.resetModules()
})

async function confirmedAlert(validTo = Date.now() + 86_400_000): Promise<Alert> {
  const account = await call<{ id: number }>('channels:create', {
    kind: 'sms_gateway',
    name: 'SMS famiglie',
    settings: {
      baseUrl: 'http://127.0.0.1:9/API/v1.0/REST/',
      username: 'protciv',
      sender: 'ProtCiv',
      messageType: 'GP',
    },
    secrets: { password: 'non-reale' },
  })
  const alert = await call<Alert>('alerts:createDraft', {
    draft: {
      kind: 'idraulico',
      level: 'arancione',
      comuni: [{ name: 'Empoli', istatCode: '048014' }],
      validFrom: new Date(validTo - 86_400_000).toISOString(),
      validTo: new Date(validTo).toISOString(),
      headline: 'Piena dell’Arno',
      texts: { sms: 'Allerta ARANCIONE per rischio idraulico su Empoli.' },
      targets: { accountIds: [account.id] },
    },
  })
  await call('alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 600 })
  return alert
}

async function open(id: number, locale = 'it'): Promise<{ w: VueWrapper; router: Router }> {
  const { default: Page } = await import('../../src/renderer/src/components/alerts/AlertPage.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
  })
  wrapper = mount(Page, {
    props: { id },
    global: { plugins: [i18n, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return { w: wrapper, router }
}

const settle = async () => {
  // A save answers, the page reloads the draft and its preview.
  for (let i = 0; i < 5; i++) await flushPromises()
}

describe('a follow-up draft is a new version of the alert', () => {
  it('takes a new level and comuni, and the preview says what changed', async () => {
    const original = await confirmedAlert()
    const update = await call<Alert>('alerts:followUp', { id: original.id, msgType: 'Update' })
    const { w } = await open(update.id)
    // Prefilled from the aggiornamento template of its kind.
    expect((w.find('#at-sms').element as HTMLTextAreaElement).value).toMatch(
      /^Stai lontano da argini e ponti: l'allerta per rischio idraulico su Empoli è ora in codice ARANCIONE/,
    )
    expect(w.find('[data-testid="version-changes"]').text()).toContain('cambiano solo i testi')

    await w.find('#df-level').setValue('rosso')
    await settle()
    const vinci = w
      .findAll('.draft-fields .check')
      .find((c) => c.text() === 'Vinci')!
      .find('input')
    await vinci.setValue(true)
    await settle()

    expect(w.find('[data-testid="version-changes"]').text()).toBe(
      'da arancione a rosso; aggiunto Vinci',
    )
    expect(w.find('#alert-title .level').text()).toBe('Rosso')
    const saved = await call<Alert>('alerts:get', { id: update.id })
    expect(saved.level).toBe('rosso')
    expect(saved.comuni.map((c) => c.name)).toEqual(['Empoli', 'Vinci'])
    expect(saved.comuni[1]?.istatCode).toMatch(/^\d{6}$/)

    // The texts are rewritten from the template with the new level and comuni.
    await w
      .findAll('button')
      .find((b) => b.text().startsWith('Riscrivi i testi'))!
      .trigger('click')
    await settle()
    expect((w.find('#at-sms').element as HTMLTextAreaElement).value).toMatch(
      /: l'allerta per rischio idraulico su Empoli e Vinci è ora in codice ROSSO/,
    )
  })

  it('says a new validity end in words, in English too', async () => {
    const original = await confirmedAlert(Date.parse('2030-12-05T17:00:00Z'))
    const update = await call<Alert>('alerts:followUp', { id: original.id, msgType: 'Update' })
    // A wall time, read on Rome's clock.
    await call('alerts:updateDraft', { id: update.id, patch: { validTo: '2030-12-06T08:00' } })
    const it = await open(update.id)
    expect(it.w.find('[data-testid="version-changes"]').text()).toBe(
      'fino alle 8 di venerdì 6 dicembre',
    )
    wrapper?.unmount()
    const en = await open(update.id, 'en')
    expect(en.w.find('[data-testid="version-changes"]').text()).toBe(
      'until 8:00 on Friday 6 December',
    )
  })

  it('keeps a cessata green, with its own words', async () => {
    const original = await confirmedAlert()
    const cessata = await call<Alert>('alerts:followUp', { id: original.id, msgType: 'Cancel' })
    const { w } = await open(cessata.id)
    expect(w.find('#alert-title .level').text()).toBe('Verde')
    const level = w.find('#df-level')
    expect((level.element as HTMLSelectElement).disabled).toBe(true)
    expect((level.element as HTMLSelectElement).value).toBe('verde')
    expect((w.find('#at-sms').element as HTMLTextAreaElement).value).toMatch(
      /è cessata l'allerta per rischio idraulico su Empoli/,
    )
    expect(w.find('[data-testid="version-changes"]').text()).toMatch(/^da arancione a verde/)
  })
})

describe('an alert that ran out', () => {
  it('offers its cessata, and the button prepares it', async () => {
    const original = await confirmedAlert(Date.now() - 3600_000)
    const { w, router } = await open(original.id)
    const prompt = w.find('[data-testid="alert-expired"]')
    expect(prompt.text()).toMatch(
      /^L’allerta è scaduta (alle |all’|a mezzanotte)(\d{1,2}(:\d\d)?)?( di [^:]+)?: inviare la cessata\?/,
    )
    await prompt.find('button').trigger('click')
    await settle()
    const cessata = (await call<Alert[]>('alerts:list', {})).find((a) => a.msgType === 'Cancel')
    expect(cessata).toMatchObject({ referencesAlertId: original.id, level: 'verde' })
    expect(router.currentRoute.value.path).toBe(`/allerta/${cessata!.id}`)
  })

  it('sits under the alert it follows on the room’s deliveries board, newest first', async () => {
    const original = await confirmedAlert()
    const update = await call<Alert>('alerts:followUp', { id: original.id, msgType: 'Update' })
    await call('alerts:updateDraft', {
      id: update.id,
      patch: { texts: { sms: 'Aggiornamento: allerta ARANCIONE su Empoli fino a domani.' } },
    })
    await call('alerts:confirm', { id: update.id, confirmation: 'INVIA', cancelWindowSeconds: 600 })
    const { default: Panel } =
      await import('../../src/renderer/src/room/panels/DeliveriesPanel.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
    })
    wrapper = mount(Panel, { global: { plugins: [i18n, router] }, attachTo: document.body })
    await settle()
    const chains = wrapper.findAll('.delivery-chain')
    expect(chains).toHaveLength(1)
    const items = chains[0]!.findAll('.delivery-item__title').map((i) => i.text())
    expect(items).toHaveLength(2)
    expect(items[0]).toContain('Aggiornamento 1')
    expect(items[1]).toContain('Allerta')
  })

  it('is offered in the room’s deliveries panel too', async () => {
    const original = await confirmedAlert(Date.now() - 3600_000)
    const { default: Panel } =
      await import('../../src/renderer/src/room/panels/DeliveriesPanel.vue')
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
    })
    wrapper = mount(Panel, { global: { plugins: [i18n, router] }, attachTo: document.body })
    await settle()
    const due = wrapper.find('[data-testid="cessata-due"]')
    expect(due.text()).toContain('inviare la cessata?')
    expect(due.text()).toContain('Piena dell’Arno')
    await due.find('button').trigger('click')
    await settle()
    const cessata = (await call<Alert[]>('alerts:list', {})).find((a) => a.msgType === 'Cancel')
    expect(cessata?.referencesAlertId).toBe(original.id)
    expect(router.currentRoute.value.path).toBe(`/allerta/${cessata!.id}`)
  })
})
