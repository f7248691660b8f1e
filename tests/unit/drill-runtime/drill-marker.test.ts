import { describe, expect, it } from 'vitest'
import type { OutgoingMessage } from '../../../src/main/core/channels/adapter'
import {
  markDrillHtml,
  markDrillMessage,
  markDrillSpoken,
  markDrillText,
} from '../../../src/main/core/drill-runtime/drill-marker'

describe('the drill marker at the start of every text', () => {
  it('adds the configured wording when a text lacks it, and leaves a marked text alone', () => {
    expect(markDrillText('Allerta arancione per neve', 'ESERCITAZIONE - ')).toBe(
      'ESERCITAZIONE - Allerta arancione per neve',
    )
    expect(markDrillText('ESERCITAZIONE - Allerta', 'ESERCITAZIONE - ')).toBe(
      'ESERCITAZIONE - Allerta',
    )
    // Settings are saved trimmed; the text still gets its space.
    expect(markDrillText('Allerta', 'ESERCITAZIONE -')).toBe('ESERCITAZIONE - Allerta')
    expect(markDrillText('ESERCITAZIONE - Allerta', 'ESERCITAZIONE -')).toBe(
      'ESERCITAZIONE - Allerta',
    )
  })

  it('does not count a marker written elsewhere in the text, nor leading blanks', () => {
    expect(markDrillText('Allerta (ESERCITAZIONE - prova)', 'ESERCITAZIONE - ')).toBe(
      'ESERCITAZIONE - Allerta (ESERCITAZIONE - prova)',
    )
    expect(markDrillText('  \nAllerta', 'ESERCITAZIONE - ')).toBe('ESERCITAZIONE - Allerta')
    expect(markDrillText('', 'ESERCITAZIONE - ')).toBe('ESERCITAZIONE - ')
  })

  it('replaces the template’s default marker with the configured wording instead of doubling it', () => {
    expect(markDrillText('ESERCITAZIONE - Allerta', '[PROVA]')).toBe('[PROVA] Allerta')
  })

  it('falls back to the default wording when the setting is blank', () => {
    expect(markDrillText('Allerta', '   ')).toBe('ESERCITAZIONE - Allerta')
  })

  it('marks the subject, the HTML body and the CAP document too', () => {
    const message: OutgoingMessage = {
      idempotencyKey: 'k1',
      destination: { type: 'person', address: 'a@example.org' },
      text: 'Testo',
      subject: 'Oggetto',
      html: '<html><body class="x"><p>Testo</p></body></html>',
      alert: {
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
      },
    }
    const marked = markDrillMessage(message, 'ESERCITAZIONE <b>')
    expect(marked.text).toBe('ESERCITAZIONE <b> Testo')
    expect(marked.subject).toBe('ESERCITAZIONE <b> Oggetto')
    expect(marked.html).toBe(
      '<html><body class="x"><p><strong>ESERCITAZIONE &#60;b&#62;</strong></p><p>Testo</p></body></html>',
    )
    expect(marked.alert).toMatchObject({
      status: 'Exercise',
      headline: 'ESERCITAZIONE <b> Allerta neve',
    })
    expect(marked.idempotencyKey).toBe('k1')
    expect(message.text).toBe('Testo')
  })

  it('puts the marker first in an HTML fragment without a body', () => {
    expect(markDrillHtml('<p>Ciao</p>', 'ESERCITAZIONE - ')).toBe(
      '<p><strong>ESERCITAZIONE -</strong></p><p>Ciao</p>',
    )
  })
})

describe('the drill marker of a call', () => {
  it('is said first as a sentence of its own, replacing the written one, never doubled', () => {
    const text = 'Messaggio della Protezione civile del Circondario Empolese Valdelsa.'
    expect(markDrillSpoken(text, 'ESERCITAZIONE - ')).toBe(`Esercitazione. ${text}`)
    expect(markDrillSpoken(`ESERCITAZIONE - ${text}`, 'ESERCITAZIONE -')).toBe(
      `Esercitazione. ${text}`,
    )
    expect(markDrillSpoken(`Esercitazione. ${text}`, 'ESERCITAZIONE - ')).toBe(
      `Esercitazione. ${text}`,
    )
    expect(markDrillSpoken(text, 'PROVA:')).toBe(`Prova. ${text}`)
  })

  it('marks a voice message spoken and any other written', () => {
    const message: OutgoingMessage = {
      idempotencyKey: 'k',
      destination: { type: 'person', address: '+390571000001' },
      text: 'Allerta arancione.',
    }
    expect(markDrillMessage(message, 'ESERCITAZIONE - ', { spoken: true }).text).toBe(
      'Esercitazione. Allerta arancione.',
    )
    expect(markDrillMessage(message, 'ESERCITAZIONE - ').text).toBe(
      'ESERCITAZIONE - Allerta arancione.',
    )
  })
})
