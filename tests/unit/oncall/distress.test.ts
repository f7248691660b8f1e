import { describe, expect, it } from 'vitest'
import { distressWordsIn } from '../../../src/main/core/oncall/distress'
import { DEFAULT_DISTRESS_WORDS } from '../../../src/shared/contract/oncall'

const words = DEFAULT_DISTRESS_WORDS

describe('words of distress in a citizen message', () => {
  it('finds them as people write them in a flood: any ending, capitals, accents, shouting', () => {
    expect(distressWordsIn('Via Roma è ALLAGATA, siamo bloccati al primo piano', words)).toEqual([
      'allagat',
      'bloccat',
    ])
    expect(distressWordsIn('AIUTOOOO mia madre anziana sola a Sovigliana', words)).toEqual([
      'aiuto',
      'anziana sola',
    ])
    expect(distressWordsIn('c’è un ferìto sulla provinciale', words)).toEqual(['ferit'])
    expect(distressWordsIn('SOS!!! acqua in casa', words)).toEqual(['sos', 'acqua in casa'])
  })

  it('does not take an ordinary question for distress', () => {
    expect(distressWordsIn('Domani le scuole sono aperte?', words)).toEqual([])
    // "sos" only as a word of its own, not the start of "sospese"; "isolat" not inside a word.
    expect(distressWordsIn('Le lezioni sono sospese? Il ponte è consolatorio', words)).toEqual([])
    // A phrase needs its words together.
    expect(distressWordsIn('Un anziano del paese vive solo', words)).toEqual([])
  })

  it('uses the office’s own list', () => {
    expect(distressWordsIn('La frana ha chiuso la strada', ['fran'])).toEqual(['fran'])
    expect(distressWordsIn('La frana ha chiuso la strada', words)).toEqual([])
  })
})
