import { describe, expect, it } from 'vitest'
import type { AlertDocument, OutgoingMessage } from '../../../src/main/core/channels/adapter'
import { markDrillMessage } from '../../../src/main/core/drill-runtime/drill-marker'

const doc = (english?: AlertDocument['english']): AlertDocument => ({
  identifier: 'id',
  sent: '2026-01-13T12:00:00+01:00',
  status: 'Actual',
  msgType: 'Alert',
  references: [],
  event: 'Neve',
  level: 'arancione',
  headline: 'Allerta neve',
  description: '',
  instruction: '',
  onset: '',
  expires: '',
  areas: [],
  ...(english ? { english } : {}),
})
const message = (alert: AlertDocument): OutgoingMessage => ({
  idempotencyKey: 'k',
  destination: { type: 'page' },
  text: 'Testo',
  alert,
})
const english = (headline: string): AlertDocument['english'] => ({
  event: 'Snow',
  headline,
  description: 'Heavy snow.',
  instruction: '',
})

describe('the drill marker of the English CAP info', () => {
  it('opens the English headline with the English marker, whatever the operator typed', () => {
    const marked = markDrillMessage(
      message(doc(english('ORANGE alert for snow'))),
      'ESERCITAZIONE - ',
    )
    expect(marked.alert?.headline).toBe('ESERCITAZIONE - Allerta neve')
    expect(marked.alert?.english).toEqual(english('EXERCISE - ORANGE alert for snow'))
    expect(marked.alert?.status).toBe('Exercise')
  })

  it('never doubles the marker a template put there, and adds no English words where there are none', () => {
    const marked = markDrillMessage(
      message(doc(english('EXERCISE - ORANGE alert for snow'))),
      'ESERCITAZIONE - ',
    )
    expect(marked.alert?.english?.headline).toBe('EXERCISE - ORANGE alert for snow')
    expect(markDrillMessage(message(doc()), 'ESERCITAZIONE - ').alert?.english).toBeUndefined()
  })
})
