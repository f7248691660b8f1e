import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h } from 'vue'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { useRomeTime } from '../../src/renderer/src/composables/rome-time'
import { dateTime } from '../../src/renderer/src/components/drills/drill-format'
import { expectMachineZone } from '../support/zone-check'

// Run once per zone (vitest.config.ts): the screens show Italian time on any computer.
const zone = expectMachineZone()

function shown(iso: string | null, locale: 'it' | 'en' = 'it'): string {
  const Probe = defineComponent(() => {
    const { when } = useRomeTime()
    return () => h('span', when(iso))
  })
  const i18n = createI18n({ legacy: false, locale, messages })
  return mount(Probe, { global: { plugins: [i18n] } }).text()
}

describe(`Dates on screen, on a computer set to ${zone}`, () => {
  it('are Italian time, winter and summer, across midnight', () => {
    expect(shown('2026-02-07T13:00:00.000Z')).toBe('07/02, 14:00')
    expect(shown('2026-07-15T22:30:00.000Z')).toBe('16/07, 00:30')
    expect(shown('2026-07-15T22:30:00.000Z', 'en')).toBe('07/16, 12:30 AM')
    expect(shown(null)).toBe('—')
  })

  it('in the drills table too', () => {
    expect(dateTime('2026-01-13T23:30:00.000Z', 'it')).toBe('14/01/26, 00:30')
    expect(dateTime('2026-01-13T23:30:00.000Z', 'en')).toBe('14/01/2026, 00:30')
  })
})
