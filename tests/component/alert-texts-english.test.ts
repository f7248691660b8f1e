import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { Alert } from '../../src/shared/alerts/types'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The composer's English website text (website_en): filled from the English twin
// of the template, shown beside the Italian one, edited and saved like any text,
// against the real core and a real SQLite file.
let t: TestCore
const ctx = { operator: 'test' }

beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'test' }))
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

async function draft(): Promise<Alert> {
  return t.core.handlers['alerts:createDraft'](
    {
      draft: {
        kind: 'neve',
        level: 'arancione',
        comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
        validFrom: '2025-12-03T14:00:00+01:00',
        validTo: '2025-12-04T08:00:00+01:00',
        headline: 'Neve',
        targets: { accountIds: [], listIds: [], partnerIds: [] },
      },
    } as never,
    ctx,
  ) as Promise<Alert>
}

async function mountEditor(alert: Alert, locale: 'it' | 'en') {
  const { default: Editor } =
    await import('../../src/renderer/src/components/alerts/AlertTextsEditor.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const w = mount(Editor, {
    props: { alert, families: ['website'] },
    global: { plugins: [i18n] },
    attachTo: document.body,
  })
  // The post checks read the settings on mount: let them answer before the core closes.
  await flushPromises()
  return w
}

describe('the English website text in the composer', () => {
  it('is filled from the template in English and shown beside the Italian one, in both languages', async () => {
    const alert = await draft()
    const { alert: filled } = await t.core.handlers['alerts:applyTemplate'](
      { id: alert.id, templateId: 'neve-arancione' },
      ctx,
    )
    expect(filled.texts.website_en.split('\n')[0]).toBe('ORANGE alert for snow in Empoli and Vinci')
    expect(filled.texts.website_en).toContain(
      'Valid from 2 pm on Wednesday 3 December to 8 am on Thursday 4 December.',
    )
    const it = await mountEditor(filled, 'it')
    expect(it.find('label[for="at-website_en"]').text()).toBe('Sito web (inglese)')
    expect((it.find('#at-website_en').element as HTMLTextAreaElement).value).toBe(
      filled.texts.website_en,
    )
    expect(it.find('#at-website').exists()).toBe(true)
    const en = await mountEditor(filled, 'en')
    expect(en.find('label[for="at-website_en"]').text()).toBe('Website (English)')
  })

  it('saves the operator’s English text on leaving the field', async () => {
    const alert = await draft()
    const w = await mountEditor(alert, 'it')
    await w.find('#at-website_en').setValue('Snow in Empoli\n\nWhat to do: stay at home.')
    await w.find('#at-website_en').trigger('blur')
    await flushPromises()
    const stored = await t.core.handlers['alerts:get']({ id: alert.id }, ctx)
    expect(stored.texts.website_en).toBe('Snow in Empoli\n\nWhat to do: stay at home.')
    expect(w.emitted('saved')).toHaveLength(1)
  })

  it('a draft saved before English texts existed reads its English text as empty', async () => {
    const alert = await draft()
    t.core.db
      .prepare('UPDATE alerts SET texts = ? WHERE id = ?')
      .run(JSON.stringify({ sms: 'Vecchio SMS', website: 'Vecchio sito' }), alert.id)
    const stored = await t.core.handlers['alerts:get']({ id: alert.id }, ctx)
    expect(stored.texts).toMatchObject({
      sms: 'Vecchio SMS',
      website: 'Vecchio sito',
      website_en: '',
    })
    const w = await mountEditor(stored, 'it')
    expect((w.find('#at-website_en').element as HTMLTextAreaElement).value).toBe('')
  })
})
