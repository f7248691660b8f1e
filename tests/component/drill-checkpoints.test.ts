import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import DrillCheckpoints from '../../src/renderer/src/components/drills/DrillCheckpoints.vue'
import { messages } from '../../src/renderer/src/i18n'
import type { CheckpointResult } from '../../src/shared/drills/checkpoints'

const i18n = (locale: 'it' | 'en') => createI18n({ legacy: false, locale, messages })

/** Before the start, as the drill room sends them: every checkpoint waiting for its event. */
const beforeStart: CheckpointResult[] = [
  { id: 'sms', description: 'Primo SMS alle famiglie entro 15 minuti', status: 'pending' },
  { id: 'diario', description: 'Nota nel diario entro 10 minuti', status: 'pending' },
]

describe('the trainer’s checkpoints', () => {
  it.each([
    ['it', 'In attesa', /Non raggiunto|In corso/],
    ['en', 'Waiting', /Not reached|Pending/],
  ] as const)('read as waiting before the drill starts (%s)', (locale, word, not) => {
    const w = mount(DrillCheckpoints, {
      props: { checkpoints: beforeStart },
      global: { plugins: [i18n(locale)] },
    })
    const pills = w.findAll('[data-checkpoint] .pill').map((p) => p.text())
    expect(pills).toEqual([word, word])
    expect(w.text()).not.toMatch(not)
  })
})
