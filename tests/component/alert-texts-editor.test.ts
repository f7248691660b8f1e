import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { Alert } from '../../src/shared/alerts/types'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The real core behind the real dispatcher; only the draft's save is held back
// until the test lets it answer, as on a slow link.
let t: TestCore
let held: (() => void)[]
let failNext: string | undefined
const ctx = { operator: 'test' }

beforeEach(() => {
  t = createTestCore()
  held = []
  failNext = undefined
  const bridge = coreBridge(t.core, { operator: 'test' })
  const update = bridge['alerts:updateDraft'] as (input: unknown) => Promise<unknown>
  bridge['alerts:updateDraft'] = async (input: unknown) => {
    const answer = failNext
      ? { ok: false, error: { code: 'unavailable', message: failNext } }
      : await update(input)
    failNext = undefined
    await new Promise<void>((resolve) => held.push(resolve))
    return answer
  }
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

async function draft(): Promise<Alert> {
  const h = t.core.handlers
  return h['alerts:createDraft'](
    {
      draft: {
        kind: 'neve',
        level: 'giallo',
        comuni: [{ name: 'Empoli' }],
        validFrom: '2026-02-07T14:00:00+01:00',
        validTo: '2026-02-07T23:59:00+01:00',
        headline: 'Neve',
        texts: { sms: 'SMS iniziale', facebook: 'Post iniziale', telegram: 'Telegram iniziale' },
        targets: { accountIds: [], listIds: [], partnerIds: [] },
      },
    } as never,
    ctx,
  ) as Promise<Alert>
}

/** The editor as the alert page holds it: after each save, the page reloads the draft. */
async function mountEditor(alert: Alert) {
  const { default: Editor } =
    await import('../../src/renderer/src/components/alerts/AlertTextsEditor.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', messages })
  const w = mount(Editor, {
    props: { alert, families: [] },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
  const reload = async () =>
    w.setProps({ alert: await t.core.handlers['alerts:get']({ id: alert.id }, ctx) })
  return { w, reload }
}
const field = (w: Awaited<ReturnType<typeof mountEditor>>['w'], v: string) =>
  w.find(`#at-${v}`).element as HTMLTextAreaElement
/** Lets every held save answer. */
async function answer() {
  await flushPromises()
  for (const release of held.splice(0)) release()
  await flushPromises()
}

describe('per-channel texts of a draft', () => {
  it('a save that answers late never overwrites the field being typed in, nor retyping in its own', async () => {
    const alert = await draft()
    const { w, reload } = await mountEditor(alert)

    await w.find('#at-sms').setValue('SMS corretto')
    await w.find('#at-sms').trigger('blur')
    // While that save is on its way the operator writes the Facebook post…
    await w.find('#at-facebook').setValue('Post che sto scrivendo')
    await answer()
    // …and the page reloads the draft it answered with.
    await reload()
    expect(field(w, 'facebook').value).toBe('Post che sto scrivendo')
    expect(field(w, 'sms').value).toBe('SMS corretto')

    // The Facebook post is saved on leaving it; meanwhile the operator goes back to the SMS.
    await w.find('#at-facebook').trigger('blur')
    await w.find('#at-sms').setValue('SMS corretto di nuovo')
    await answer()
    await reload()
    expect(field(w, 'sms').value).toBe('SMS corretto di nuovo')
    expect(field(w, 'facebook').value).toBe('Post che sto scrivendo')
    const stored = await t.core.handlers['alerts:get']({ id: alert.id }, ctx)
    expect(stored.texts).toMatchObject({
      sms: 'SMS corretto',
      facebook: 'Post che sto scrivendo',
    })
    expect(w.emitted('saved')).toHaveLength(2)
  })

  it('a field nobody touched follows the draft when it changes elsewhere', async () => {
    const alert = await draft()
    const { w, reload } = await mountEditor(alert)
    await t.core.handlers['alerts:updateDraft'](
      { id: alert.id, patch: { texts: { telegram: 'Telegram da un’altra postazione' } } } as never,
      ctx,
    )
    await reload()
    expect(field(w, 'telegram').value).toBe('Telegram da un’altra postazione')
  })

  it('a save that fails says so beside the field and keeps the text to retry', async () => {
    const alert = await draft()
    const { w } = await mountEditor(alert)
    failNext = 'connessione persa'
    await w.find('#at-sms').setValue('SMS da non perdere')
    await w.find('#at-sms').trigger('blur')
    await answer()
    expect(w.find('#at-sms-err').text()).toContain('Testo non salvato: connessione persa')
    expect(field(w, 'sms').value).toBe('SMS da non perdere')
    await w.find('#at-sms').trigger('blur')
    await answer()
    expect(w.find('#at-sms-err').exists()).toBe(false)
    expect((await t.core.handlers['alerts:get']({ id: alert.id }, ctx)).texts.sms).toBe(
      'SMS da non perdere',
    )
  })
})
