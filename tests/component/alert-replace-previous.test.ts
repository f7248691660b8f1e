import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Alert } from '../../src/shared/alerts/types'
import { commandNames, type CommandName, type VedettaBridge } from '../../src/shared/contract'
import { createDispatch } from '../../src/main/transport/dispatch'
import { messages } from '../../src/renderer/src/i18n'
import { createTestCore, type TestCore } from '../support/test-core'

// Through the real core: the earlier alert's messages wait in a long cancel window, so the
// update's "Sostituisci" decides whether they still leave. No provider is reached (the SMS
// account points at a closed loopback port and nothing leaves within the window).
let t: TestCore
let dispatch: ReturnType<typeof createDispatch>
const call = async <T>(name: CommandName, input: unknown): Promise<T> => {
  const answer = (await dispatch(name, input, { operator: 'Giulia Neri' })) as
    { ok: true; value: T } | { ok: false; error: { message: string } }
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.value
}
beforeEach(() => {
  t = createTestCore()
  dispatch = createDispatch(t.core.handlers)
  const bridge: Record<string, unknown> = { on: (e: never, l: never) => t.core.events.on(e, l) }
  for (const name of commandNames)
    bridge[name] = (input: unknown) => dispatch(name, input, { operator: 'Giulia Neri' })
  ;(window as { vedetta?: VedettaBridge }).vedetta = bridge as VedettaBridge
  // Giulia is on duty at this desk: a send needs a name.
  localStorage.setItem('vedetta.operator', 'Giulia Neri')
  setActivePinia(createPinia())
})
let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  t.dispose()
  vi.resetModules()
})

/** An orange alert to three families, confirmed and waiting in a ten-minute cancel window. */
async function waitingAlert(): Promise<Alert> {
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
  const csv = [
    'Nominativo;Cellulare;Comune',
    'Giulia Rossi;347 123 4567;Empoli',
    'Marco Bianchi;348 765 4321;Vinci',
    'Sara Neri;339 123 4567;Certaldo',
  ].join('\r\n')
  await call('contacts:import', {
    fileName: 'famiglie.csv',
    content: Buffer.from(csv, 'utf8').toString('base64'),
    dryRun: false,
    list: 'Famiglie',
  })
  const list = (await call<{ id: number; name: string }[]>('lists:list', {})).find(
    (l) => l.name === 'Famiglie',
  )!
  const alert = await call<Alert>('alerts:createDraft', {
    draft: {
      kind: 'neve',
      level: 'arancione',
      comuni: [{ name: 'Empoli' }, { name: 'Vinci' }, { name: 'Certaldo' }],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Allerta arancione per neve',
      texts: {
        sms: 'Allerta ARANCIONE neve su Empoli, Vinci e Certaldo: evitate gli spostamenti.',
      },
      targets: { accountIds: [account.id], listIds: [list.id] },
    },
  })
  await call('alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 600 })
  return alert
}

async function openUpdate(previous: Alert) {
  const update = await call<Alert>('alerts:followUp', { id: previous.id, msgType: 'Update' })
  await call('alerts:updateDraft', {
    id: update.id,
    patch: { texts: { sms: 'AGGIORNAMENTO neve su Empoli, Vinci e Certaldo: strade aperte.' } },
  })
  const { default: Page } = await import('../../src/renderer/src/components/alerts/AlertPage.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', messages })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
  })
  wrapper = mount(Page, {
    props: { id: update.id },
    global: { plugins: [i18n, router] },
    attachTo: document.body,
  })
  await flushPromises()
  return wrapper
}

/** Types INVIA and sends, as the operator does; the update is then confirmed for real. */
async function send(w: VueWrapper) {
  await w.find('#confirm-word').setValue('INVIA')
  await w.find('form[aria-label="Conferma l’invio"]').trigger('submit')
  await flushPromises()
  const alerts = await call<Alert[]>('alerts:list', {})
  expect(alerts.find((a) => a.referencesAlertId !== null)?.status).toBe('scheduled')
}
const queuedOf = async (alert: Alert) =>
  (await call<{ state: string }[]>('alerts:rows', { id: alert.id })).filter(
    (r) => r.state === 'queued',
  ).length

describe('the update’s “Sostituisci”', () => {
  it('is offered, ticked, for an update, and cancels the earlier messages still waiting', async () => {
    const previous = await waitingAlert()
    expect(await queuedOf(previous)).toBe(3)
    const w = await openUpdate(previous)
    const box = w.find('[data-testid="replace-previous"]')
    expect(w.text()).toContain('Sostituisci: annulla i messaggi del comunicato precedente')
    expect((box.element as HTMLInputElement).checked).toBe(true)
    await send(w)
    expect(await queuedOf(previous)).toBe(0)
  })

  it('untick it and the earlier messages still leave, beside the update', async () => {
    const previous = await waitingAlert()
    const w = await openUpdate(previous)
    await w.find('[data-testid="replace-previous"]').setValue(false)
    await send(w)
    expect(await queuedOf(previous)).toBe(3)
  })
})
