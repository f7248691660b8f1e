import { describe, expect, it } from 'vitest'
import { pageCallText } from '../../../src/main/core/oncall/page-texts'

const INSTRUCTION =
  'Per prendere in carico usa Telegram o la sala: rispondere a questa chiamata non basta.'

describe('pageCallText: the page as a call says it', () => {
  it('says who calls, the bulletin’s level, risk and comuni in words, the instruction, and all of it again', () => {
    const text = pageCallText({
      kind: 'bulletin',
      params: {
        level: 'arancione',
        previousLevel: null,
        change: 'new',
        alertKind: 'idraulico',
        comuni: 'Empoli, Vinci',
      },
      title: 'Allerta arancione: Rischio idraulico',
    })
    const once =
      'Messaggio di Vedetta per la reperibilità della Protezione civile. Allerta arancione per rischio idraulico a Empoli e Vinci. ' +
      INSTRUCTION
    expect(text).toBe(`${once} Ripeto. ${once}`)
  })

  it('says a bulletin going up, and many comuni by how many more', () => {
    const text = pageCallText({
      kind: 'bulletin',
      params: {
        level: 'rosso',
        previousLevel: 'giallo',
        change: 'updated',
        alertKind: 'pioggia',
        comuni:
          'Empoli, Vinci, Capraia e Limite, Cerreto Guidi, Fucecchio, Montelupo Fiorentino, Montaione',
      },
      title: 'x',
    })
    expect(text).toContain(
      'Allerta rossa in aumento per rischio idrogeologico a Empoli, Vinci, Capraia e Limite, Cerreto Guidi, Fucecchio e altri due comuni.',
    )
    expect(text).not.toMatch(/\d/)
  })

  it('reads no digit or symbol of a problem’s message, and opens a drill’s call with «Esercitazione»', () => {
    const text = pageCallText(
      {
        kind: 'health',
        params: { message: 'Invio fermo da 12 minuti: 3 messaggi in coda dalle 03:05 (#outbox)' },
        title: 'x',
      },
      { drill: true },
    )
    expect(text).toMatch(/^Esercitazione\. Messaggio di Vedetta/)
    expect(text).toContain('dodici minuti')
    expect(text).toContain('tre messaggi')
    expect(text).not.toMatch(/[\d#]/u)
  })

  it('words a citizen’s call for help and a partner late, never the citizen’s own words', () => {
    const help = pageCallText({
      kind: 'distress',
      params: { messageId: 9, family: 'sms', words: 'aiuto', why: 'off_hours' },
      title: 'Possibile richiesta di aiuto da un cittadino (SMS)',
    })
    expect(help).toContain('Possibile messaggio di aiuto di un cittadino, arrivato per SMS.')
    expect(help).toContain(INSTRUCTION)
    const relay = pageCallText({
      kind: 'relay',
      params: { alertId: 4, partners: 'Radio Empoli, Comune di Vinci' },
      title: 'x',
    })
    expect(relay).toContain(
      'Radio Empoli e Comune di Vinci non hanno ancora ripreso l’allerta rossa.',
    )
  })
})
