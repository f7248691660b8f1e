import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { EscalationView } from '../../src/shared/contract/oncall'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Reperibilità → the recent pages: a call is shown as a call, with what became of it.
let t: TestCore
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'test' }))
  setActivePinia(createPinia())
})
afterEach(() => t.dispose())

const page = (over: Partial<EscalationView['pages'][number]>): EscalationView['pages'][number] => ({
  at: '2026-02-08T02:00:00.000Z',
  round: 1,
  step: 0,
  personId: 1,
  name: 'Mario Rossi',
  channel: 'voice',
  outcome: 'sent',
  error: null,
  ...over,
})

const escalation: EscalationView = {
  id: 1,
  trigger: { kind: 'bulletin', params: {} },
  title: 'Allerta rossa: Rischio idraulico',
  state: 'open',
  startedAt: '2026-02-08T02:00:00.000Z',
  nextAt: '2026-02-08T02:10:00.000Z',
  closedAt: null,
  closedBy: null,
  closedVia: null,
  round: 1,
  step: 1,
  chain: [],
  pages: [
    page({ call: 'not_answered' }),
    page({ name: 'Lucia Bianchi', call: 'answered' }),
    page({ name: 'Paolo Verdi', outcome: 'uncertain' }),
  ],
}

describe('Reperibilità: calls among the pages', () => {
  for (const [locale, words] of [
    [
      'it',
      [
        'Mario Rossi (chiamata, inviato, non risposto)',
        'Lucia Bianchi (chiamata, inviato, risposto)',
        'Paolo Verdi (chiamata, incerto)',
      ],
    ],
    [
      'en',
      [
        'Mario Rossi (phone call, sent, not answered)',
        'Lucia Bianchi (phone call, sent, answered)',
        'Paolo Verdi (phone call, uncertain)',
      ],
    ],
  ] as const) {
    it(`says answered or not, and uncertain (${locale})`, async () => {
      const { default: List } =
        await import('../../src/renderer/src/components/oncall/OncallEscalations.vue')
      const i18n = createI18n({ legacy: false, locale, messages })
      const w = mount(List, { props: { escalations: [escalation] }, global: { plugins: [i18n] } })
      const text = w.find('.pages').text().replace(/\s+/g, ' ')
      for (const word of words) expect(text).toContain(word)
    })
  }
})
