import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Alert } from '../../src/shared/alerts/types'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { smsAlerts, type SmsAlerts } from '../support/sms-alert'
import { createTestCore, type TestCore } from '../support/test-core'

// The real core behind the host's dispatcher. Nothing is sent: the rows' outcomes are
// written as the dispatcher would record them, so each version has its own counts.
let t: TestCore
let s: SmsAlerts
let wrapper: VueWrapper | undefined
beforeEach(async () => {
  t = createTestCore()
  s = await smsAlerts(t, 'Giulia Neri')
  installBridge(coreBridge(t.core, { operator: 'Giulia Neri' }))
  setActivePinia(createPinia())
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  t.dispose()
  vi.resetModules()
})

/** Sets the state of an alert's rows in order, as the dispatcher's outcomes. */
function outcome(alert: Alert, states: string[]) {
  const ids = t.core.db
    .prepare('SELECT id FROM outbox WHERE alert_id = ? ORDER BY id')
    .pluck()
    .all(alert.id) as number[]
  const set = t.core.db.prepare('UPDATE outbox SET state = ? WHERE id = ?')
  states.forEach((state, i) => set.run(state, ids[i]))
}

async function mountView(locale: 'it' | 'en' = 'it') {
  const { default: View } = await import('../../src/renderer/src/views/DeliveriesView.vue')
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
  })
  wrapper = mount(View, {
    global: { plugins: [createI18n({ legacy: false, locale, messages }), router] },
  })
  await flushPromises()
  return wrapper
}
const cells = (w: VueWrapper, id: number) =>
  w
    .findAll(`[data-testid="version-${id}"] th, [data-testid="version-${id}"] td`)
    .map((c) => c.text().replace(/\s+/g, ' '))

/** Orange on Empoli; updated to red on Empoli and Vinci; then over. */
async function chain() {
  const first = await s.confirm(
    await s.draft({
      level: 'arancione',
      comuni: ['Empoli'],
      headline: 'Allerta arancione per rischio idraulico',
      sms: 'Allerta ARANCIONE idraulico su Empoli.',
    }),
  )
  const update = await s.confirm(
    await s.followUp(first, 'Update', {
      level: 'rosso',
      comuni: ['Empoli', 'Vinci'],
      sms: 'AGGIORNAMENTO: allerta ROSSA idraulico su Empoli e Vinci.',
    }),
  )
  const cessata = await s.confirm(
    await s.followUp(update, 'Cancel', {
      level: 'verde',
      comuni: ['Empoli', 'Vinci'],
      sms: 'CESSATA allerta idraulico su Empoli e Vinci.',
    }),
  )
  return { first, update, cessata }
}

describe('Consegne', () => {
  it('shows an alert once, with each version’s own label, level, comuni and counts', async () => {
    const { first, update, cessata } = await chain()
    outcome(first, ['sent', 'sent', 'sent'])
    outcome(update, ['delivered', 'failed'])
    outcome(cessata, ['sent', 'uncertain'])
    const other = await s.draft({
      level: 'giallo',
      comuni: ['Certaldo'],
      headline: 'Neve in collina',
      sms: 'Allerta GIALLA neve su Certaldo.',
    })
    const w = await mountView()

    // Two alerts on the board, the newest first: not four look-alike rows.
    const tables = w.findAll('table')
    expect(tables.map((x) => x.attributes('data-testid'))).toEqual([
      `chain-${other.id}`,
      `chain-${first.id}`,
    ])
    const rows = tables[1]!.findAll('tbody tr')
    expect(rows.map((r) => r.attributes('data-testid'))).toEqual([
      `version-${first.id}`,
      `version-${update.id}`,
      `version-${cessata.id}`,
    ])
    expect(cells(w, first.id).slice(0, 3)).toEqual(['Allerta', 'Arancione', 'Empoli'])
    expect(cells(w, update.id).slice(0, 3)).toEqual(['Aggiornamento 1', 'Rosso', 'Empoli, Vinci'])
    expect(cells(w, cessata.id).slice(0, 3)).toEqual([
      'Cessata in vigore',
      'Verde',
      'Empoli, Vinci',
    ])
    // Each version counts its own messages.
    expect(cells(w, first.id)[4]).toBe('3 inviati · 0 falliti · 0 incerti, su 3')
    expect(cells(w, update.id)[4]).toBe('1 inviati · 1 falliti · 0 incerti, su 3')
    expect(cells(w, cessata.id)[4]).toBe('1 inviati · 0 falliti · 1 incerti, su 3')
    expect(cells(w, cessata.id)[5]).toContain('Giulia Neri')
    expect(cells(w, other.id)).toContain('nessun messaggio')
    expect(cells(w, other.id)).toContain('non ancora confermata')
  })

  it('names a follow-up still in draft as the next update, and in English too', async () => {
    const first = await s.confirm(
      await s.draft({
        level: 'arancione',
        comuni: ['Empoli'],
        headline: 'Piena dell’Arno',
        sms: 'Allerta ARANCIONE idraulico su Empoli.',
      }),
    )
    const second = await s.confirm(
      await s.followUp(first, 'Update', { level: 'rosso', comuni: ['Empoli'], sms: 'Rosso.' }),
    )
    const draft = await s.followUp(second, 'Update', {
      level: 'rosso',
      comuni: ['Empoli', 'Vinci'],
      sms: 'Rosso anche su Vinci.',
    })
    const w = await mountView('en')
    expect(w.findAll('table')).toHaveLength(1)
    expect(cells(w, first.id)[0]).toBe('Alert')
    // The version in force is the last one confirmed, not the draft.
    expect(cells(w, second.id)[0]).toBe('Update 1 in force')
    expect(cells(w, draft.id).slice(0, 4)).toEqual(['Update 2', 'Red', 'Empoli, Vinci', 'Draft'])
  })

  it('counts move as the rows of a version move', async () => {
    const { update } = await chain()
    const w = await mountView()
    expect(cells(w, update.id)[4]).toBe('0 inviati · 0 falliti · 0 incerti, su 3')
    outcome(update, ['sent', 'sent'])
    t.core.events.emit('outbox:rows', [
      { id: 1, kind: 'alert', alertId: update.id, accountId: 1, state: 'sent', attempts: 1 },
    ] as never)
    await new Promise((r) => setTimeout(r, 450))
    await flushPromises()
    expect(cells(w, update.id)[4]).toBe('2 inviati · 0 falliti · 0 incerti, su 3')
  })
})
