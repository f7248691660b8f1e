import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Alert } from '../../src/shared/alerts/types'
import { commandNames, type VedettaBridge } from '../../src/shared/contract'
import { createDispatch } from '../../src/main/transport/dispatch'
import { messages } from '../../src/renderer/src/i18n'
import { createTestCore, type TestCore } from '../support/test-core'
import { expectMachineZone } from '../support/zone-check'

// Run once per zone (vitest.config.ts): the composer must send the same
// instant for the same typed time on a computer set to UTC, New York or Rome.
const zone = expectMachineZone()

let t: TestCore
let dispatch: ReturnType<typeof createDispatch>
beforeEach(() => {
  t = createTestCore()
  dispatch = createDispatch(t.core.handlers)
  const bridge: Record<string, unknown> = { on: (e: never, l: never) => t.core.events.on(e, l) }
  for (const name of commandNames)
    bridge[name] = (input: unknown) => dispatch(name, input, { operator: 'test' })
  ;(window as { vedetta?: VedettaBridge }).vedetta = bridge as VedettaBridge
  setActivePinia(createPinia())
})
let wrapper: VueWrapper | undefined
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  t.dispose()
  vi.resetModules()
})

async function mountComposer(locale: 'it' | 'en' = 'it') {
  const { default: Form } = await import('../../src/renderer/src/components/alerts/AlertForm.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
  })
  wrapper = mount(Form, { global: { plugins: [i18n, router] }, attachTo: document.body })
  await flushPromises()
  await wrapper.find('input[type="checkbox"]').setValue(true) // the first comune
  await wrapper.find('#a-headline').setValue('Neve in collina')
  return wrapper
}

async function saved(): Promise<Alert[]> {
  const answer = (await dispatch('alerts:list', {}, { operator: 'test' })) as {
    ok: true
    value: Alert[]
  }
  return answer.value
}

async function submit(w: VueWrapper) {
  await w.find('form').trigger('submit')
  await flushPromises()
}

describe(`The alert composer's times, on a computer set to ${zone}`, () => {
  it('sends the instant of the typed time on Rome’s clock', async () => {
    const w = await mountComposer()
    await w.find('#a-validFrom').setValue('2026-02-07T14:00')
    await w.find('#a-validTo').setValue('2026-07-15T09:30')
    await submit(w)
    const [alert] = await saved()
    expect(alert).toMatchObject({
      validFrom: '2026-02-07T13:00:00.000Z',
      validTo: '2026-07-15T07:30:00.000Z',
    })
  })

  it('refuses the spring hour that does not exist, in Italian, and saves nothing', async () => {
    const w = await mountComposer()
    await w.find('#a-validFrom').setValue('2026-03-29T02:30')
    await w.find('#a-validTo').setValue('2026-03-29T12:00')
    expect(w.find('#a-validFrom').attributes('aria-invalid')).toBe('true')
    expect(w.find('#a-validFrom-err').text()).toBe(
      'Le 02:30 del 29/03/2026 non esistono in Italia: quella notte gli orologi passano dalle 02:00 alle 03:00 (inizio dell’ora legale). Scegli un’ora prima delle 02:00 o dalle 03:00 in poi.',
    )
    await submit(w)
    expect(await saved()).toEqual([])
  })

  it('says the same in English', async () => {
    const w = await mountComposer('en')
    await w.find('#a-validTo').setValue('2026-03-29T02:15')
    expect(w.find('#a-validTo-err').text()).toContain('02:15 on 29/03/2026 does not exist in Italy')
  })

  it('asks which autumn 02:30 is meant, the first unless told otherwise', async () => {
    const w = await mountComposer()
    await w.find('#a-validFrom').setValue('2026-10-25T02:30')
    await w.find('#a-validTo').setValue('2026-10-25T02:45')
    expect(w.find('#a-validFrom-repeated').exists()).toBe(true)
    expect(w.text()).toContain('Le 02:30 del 25/10/2026 ci sono due volte')
    expect(w.find('#a-validFrom-repeated').text()).toContain('UTC+02:00')
    await w.find('#a-validTo-repeated').setValue('later')
    await submit(w)
    const [alert] = await saved()
    expect(alert).toMatchObject({
      validFrom: '2026-10-25T00:30:00.000Z',
      validTo: '2026-10-25T01:45:00.000Z',
    })
  })

  it('asks nothing for the minute before the repeated hour, still summer time', async () => {
    const w = await mountComposer()
    await w.find('#a-validFrom').setValue('2026-10-25T01:59')
    expect(w.find('#a-validFrom-repeated').exists()).toBe(false)
    await submit(w)
    const [alert] = await saved()
    expect(alert!.validFrom).toBe('2026-10-24T23:59:00.000Z')
  })
})
