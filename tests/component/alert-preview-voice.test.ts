import { mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { AccountPreview, AlertPreview } from '../../src/shared/alerts/views'
import AlertPreviewPanel from '../../src/renderer/src/components/alerts/AlertPreviewPanel.vue'
import { messages } from '../../src/renderer/src/i18n'

// The panel asks the core for the alert's map card: this one has no alert to draw.
vi.hoisted(() => {
  ;(globalThis as { vedetta?: unknown }).vedetta = {
    on: () => () => {},
    'maps:alert': async () => ({ ok: false, error: { code: 'not_found', message: 'no alert' } }),
  }
})

const i18n = (locale: 'it' | 'en') => createI18n({ legacy: false, locale, messages })

const voice: AccountPreview = {
  accountId: 1,
  accountName: 'Chiamate Twilio',
  kind: 'voice_twilio',
  family: 'voice',
  audience: 'people',
  enabled: true,
  text: 'Messaggio della Protezione civile del Circondario Empolese Valdelsa.',
  count: { family: 'voice', length: 70, limit: null, over: false, unit: 'characters' },
  messages: 120,
  skipped: [],
  skippedSample: [],
  spokenSeconds: 38,
  callAttempts: 3,
  estimatedCost: 12,
  estimatedCostMax: 36,
  warnings: [],
}
const preview: AlertPreview = {
  alertId: 1,
  accounts: [voice],
  relays: [],
  warnings: [],
  totals: { messages: 120, smsSegments: 0, estimatedCost: 12 },
  ok: true,
}

describe('the preview of a voice alert', () => {
  it('says how long the message speaks, how many calls per person and the cost range', () => {
    const it_ = mount(AlertPreviewPanel, { props: { preview }, global: { plugins: [i18n('it')] } })
    const figures = it_.find('.alert-preview__figures').text()
    expect(figures).toContain('circa 38 s di messaggio, fino a 3 chiamate a persona')
    expect(figures).toMatch(/12,00\s€–36,00\s€/)
    const en = mount(AlertPreviewPanel, { props: { preview }, global: { plugins: [i18n('en')] } })
    expect(en.find('.alert-preview__figures').text()).toContain(
      'about 38 s of message, up to 3 calls per person',
    )
  })
})
