import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Alert } from '../../src/shared/alerts/types'
import { UNNAMED_OPERATOR } from '../../src/shared/room/operator'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { smsAlerts, type SmsAlerts } from '../support/sms-alert'
import { createTestCore, type TestCore } from '../support/test-core'

// A page where nobody said who they are: the connection carries the host's unnamed default,
// as a browser opened on the loopback host does. Nothing leaves (see support/sms-alert).
let t: TestCore
let s: SmsAlerts
const mounted: VueWrapper[] = []
beforeEach(async () => {
  localStorage.clear()
  t = createTestCore()
  s = await smsAlerts(t, 'Giulia Neri')
  installBridge(coreBridge(t.core, { operator: UNNAMED_OPERATOR }))
  setActivePinia(createPinia())
})
afterEach(() => {
  mounted.splice(0).forEach((w) => w.unmount())
  t.dispose()
  vi.resetModules()
})

const i18n = () => createI18n({ legacy: false, locale: 'it', messages })
async function openDraft(): Promise<{ w: VueWrapper; alert: Alert }> {
  const alert = await s.draft({
    level: 'arancione',
    comuni: ['Empoli'],
    headline: 'Allerta arancione per rischio idraulico',
    sms: 'Allerta ARANCIONE idraulico su Empoli: evitate i sottopassi.',
  })
  const { default: Page } = await import('../../src/renderer/src/components/alerts/AlertPage.vue')
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
  })
  const w = mount(Page, { props: { id: alert.id }, global: { plugins: [i18n(), router] } })
  mounted.push(w)
  await flushPromises()
  return { w, alert }
}
const sendButton = (w: VueWrapper) =>
  w.find('form[aria-label="Conferma l’invio"] button[type=submit]')
async function submit(w: VueWrapper) {
  await w.find('form[aria-label="Conferma l’invio"]').trigger('submit')
  await flushPromises()
}
const get = (alert: Alert) => s.call<Alert>('alerts:get', { id: alert.id })

describe('the confirm box asks who sends', () => {
  it('with nobody on duty, asks for the name, sends under it and keeps it for the desk', async () => {
    const { w, alert } = await openDraft()
    expect(w.text()).toContain('Chi invia? Nome e cognome')
    await w.find('#confirm-word').setValue('INVIA')
    // The word alone is not enough.
    expect(sendButton(w).attributes('disabled')).toBeDefined()
    await w.find('#confirm-operator').setValue('Mario Rossi')
    expect(sendButton(w).attributes('disabled')).toBeUndefined()
    await submit(w)

    const sent = await get(alert)
    expect(sent.status).toBe('scheduled')
    expect(sent.confirmedBy).toBe('Mario Rossi')
    expect(localStorage.getItem('vedetta.operator')).toBe('Mario Rossi')

    // The Diario says who sent it.
    const { default: Journal } = await import('../../src/renderer/src/room/panels/JournalPanel.vue')
    const journal = mount(Journal, { props: { readOnly: true }, global: { plugins: [i18n()] } })
    mounted.push(journal)
    await flushPromises()
    const entry = journal
      .findAll('.journal__entry')
      .map((e) => e.text())
      .find((x) => x.includes(`Invio dell’allerta n. ${alert.id} confermato`))
    expect(entry).toContain('Mario Rossi')
    expect(entry).not.toContain('senza nome')
  })

  it('does not send without a name, and says why', async () => {
    const { w, alert } = await openDraft()
    await w.find('#confirm-word').setValue('INVIA')
    await w.find('#confirm-operator').setValue(' ')
    await submit(w)
    expect((await get(alert)).status).toBe('draft')
    expect(w.find('[role="alert"]').text()).not.toBe('')
  })

  it('with a name on duty at this desk (kept from an earlier session), sends under it at once', async () => {
    localStorage.setItem('vedetta.operator', 'Giulia Neri')
    const { w, alert } = await openDraft()
    expect(w.find('#confirm-operator').exists()).toBe(false)
    expect(w.find('[data-testid="confirm-sender"]').text()).toBe('Invia: Giulia Neri, di turno')
    await w.find('#confirm-word').setValue('INVIA')
    await submit(w)
    expect((await get(alert)).confirmedBy).toBe('Giulia Neri')
  })
})
