import { describe, it, expect } from 'vitest'
import {
  GSM7_BASIC_CHARACTERS,
  GSM7_EXTENSION_CHARACTERS,
  gsm7Septets,
  isGsm7,
} from '../../../src/shared/text/gsm7'
import { suggestGsm7 } from '../../../src/shared/text/gsm7-fix'
import { countSmsSegments } from '../../../src/shared/text/sms-segments'

describe('GSM 03.38 alphabet', () => {
  it('has the 127 basic characters and the 10 extension characters, each once', () => {
    expect(GSM7_BASIC_CHARACTERS).toHaveLength(127)
    expect(new Set(GSM7_BASIC_CHARACTERS).size).toBe(127)
    expect(GSM7_EXTENSION_CHARACTERS).toEqual(['\f', '^', '{', '}', '\\', '[', '~', ']', '|', '€'])
  })

  it('costs one septet for basic characters, two for extension ones, none for others', () => {
    expect(gsm7Septets('@')).toBe(1)
    expect(gsm7Septets('è')).toBe(1)
    expect(gsm7Septets('Δ')).toBe(1)
    expect(gsm7Septets('€')).toBe(2)
    expect(gsm7Septets('È')).toBe(0)
    expect(gsm7Septets('`')).toBe(0)
    expect(gsm7Septets('\u001b')).toBe(0)
  })

  it('judges whole texts', () => {
    expect(isGsm7('Piove a Empoli: è allerta.')).toBe(true)
    expect(isGsm7('Piove. È allerta.')).toBe(false)
    expect(isGsm7('')).toBe(true)
  })
})

describe('suggestGsm7', () => {
  it('rewrites capital accents with an apostrophe and fixes acute for grave', () => {
    const s = suggestGsm7('È allerta: non si puó uscire. À presto.')
    expect(s.text).toBe("E' allerta: non si può uscire. A' presto.")
    expect(s.replaced).toEqual(['È', 'ó', 'À'])
    expect(s.gsm7).toBe(true)
    expect(countSmsSegments(s.text).encoding).toBe('GSM-7')
  })

  it('straightens typographic quotes, dashes and ellipses', () => {
    const s = suggestGsm7('L’allerta – dicono – è «rossa»… `ok`')
    expect(s.text).toBe("L'allerta - dicono - è \"rossa\"... 'ok'")
    expect(s.gsm7).toBe(true)
  })

  it('composes a decomposed accent before judging', () => {
    expect(suggestGsm7('citta\u0300')).toEqual({ text: 'città', replaced: [], gsm7: true })
  })

  it('says when characters remain that it cannot fix', () => {
    const s = suggestGsm7('Allerta 😀 È')
    expect(s.text).toBe("Allerta 😀 E'")
    expect(s.gsm7).toBe(false)
  })
})
