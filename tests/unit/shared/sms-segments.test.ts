import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { countSmsSegments, smsCost, splitSmsSegments } from '../../../src/shared/text/sms-segments'

interface Vector {
  body: string
  encoding: 'GSM-7' | 'UCS-2'
  segments: number
  characters?: number
  nonGsm?: string[]
}
const VECTORS_FILE = path.resolve(__dirname, '../../../../shared/specs/sms-segments/vectors.json')
const vectors = JSON.parse(readFileSync(VECTORS_FILE, 'utf8')) as {
  twilio: Vector[]
  italian: Vector[]
}

const label = (v: Vector): string => `${v.body.slice(0, 24)}… (${v.body.length} units)`

describe('SMS segments agree with Twilio’s calculator', () => {
  it('has vectors to check', () => {
    expect(vectors.twilio.length).toBeGreaterThanOrEqual(10)
    expect(vectors.italian.length).toBeGreaterThanOrEqual(10)
  })

  for (const v of [...vectors.twilio, ...vectors.italian]) {
    it(`counts ${label(v)}`, () => {
      const info = countSmsSegments(v.body)
      expect(info.encoding).toBe(v.encoding)
      expect(info.segments).toBe(v.segments)
      if (v.characters !== undefined) expect(info.characters).toBe(v.characters)
      if (v.nonGsm !== undefined) {
        // Twilio lists each occurrence; we group by character, with every index.
        expect(info.offenders.map((o) => o.char)).toEqual([...new Set(v.nonGsm)])
        expect(info.offenders.reduce((n, o) => n + o.indexes.length, 0)).toBe(v.nonGsm.length)
      }
      expect(splitSmsSegments(v.body)).toHaveLength(v.segments)
      expect(splitSmsSegments(v.body).join('')).toBe(v.body)
    })
  }
})

describe('GSM-7 boundaries', () => {
  it('fits 160 septets in one SMS and needs two at 161', () => {
    expect(countSmsSegments('a'.repeat(160))).toMatchObject({
      encoding: 'GSM-7',
      segments: 1,
      unitsUsed: 160,
      unitsPerSegment: 160,
      charactersLeftInSegment: 0,
    })
    expect(countSmsSegments('a'.repeat(161))).toMatchObject({
      segments: 2,
      unitsUsed: 161,
      unitsPerSegment: 153,
      charactersLeftInSegment: 153 * 2 - 161,
    })
  })

  it('switches to a third part after 153 × 2 septets', () => {
    expect(countSmsSegments('a'.repeat(306)).segments).toBe(2)
    expect(countSmsSegments('a'.repeat(307)).segments).toBe(3)
    expect(countSmsSegments('a'.repeat(459)).segments).toBe(3)
    expect(countSmsSegments('a'.repeat(460)).segments).toBe(4)
  })

  it('counts € and the other extension characters as two septets', () => {
    expect(countSmsSegments('€').unitsUsed).toBe(2)
    expect(countSmsSegments('^{}\\[~]|€\f').unitsUsed).toBe(20)
    expect(countSmsSegments('a'.repeat(158) + '€')).toMatchObject({ segments: 1, unitsUsed: 160 })
    expect(countSmsSegments('a'.repeat(159) + '€')).toMatchObject({ segments: 2, unitsUsed: 161 })
  })

  it('never splits an escape pair across parts', () => {
    // 152 septets then €: the pair would straddle 153, so it moves whole to part two.
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10)
    const parts = splitSmsSegments(text)
    expect(parts).toEqual(['a'.repeat(152), '€' + 'b'.repeat(10)])
    expect(countSmsSegments(text).charactersLeftInSegment).toBe(153 - 12)
  })

  it('keeps Italian lower-case accents and É, Ç in GSM-7', () => {
    const info = countSmsSegments('àèéìòù É Ç perché città')
    expect(info.encoding).toBe('GSM-7')
    expect(info.offenders).toEqual([])
  })

  it('counts CR LF as two septets', () => {
    expect(countSmsSegments('a\r\nb')).toMatchObject({
      encoding: 'GSM-7',
      unitsUsed: 4,
      characters: 3,
    })
  })
})

describe('UCS-2 and the characters that force it', () => {
  it('reports È as the only offender, with its position', () => {
    const info = countSmsSegments('Allerta rossa. È vietato sostare sui ponti. È tutto.')
    expect(info.encoding).toBe('UCS-2')
    expect(info.offenders).toEqual([{ char: 'È', indexes: [15, 44] }])
  })

  it('catches ó typed for ò', () => {
    const info = countSmsSegments('Non si puó attraversare il ponte, peró la strada è aperta')
    expect(info.encoding).toBe('UCS-2')
    expect(info.offenders).toEqual([{ char: 'ó', indexes: [9, 37] }])
  })

  it('lists every upper-case accent and the backtick, in order of appearance', () => {
    const info = countSmsSegments('À È Ì Ò Ù á í ó ú ç `')
    expect(info.offenders.map((o) => o.char)).toEqual([
      'À',
      'È',
      'Ì',
      'Ò',
      'Ù',
      'á',
      'í',
      'ó',
      'ú',
      'ç',
      '`',
    ])
  })

  it('fits 70 units in one SMS and needs two at 71', () => {
    expect(countSmsSegments('È' + 'a'.repeat(69))).toMatchObject({
      segments: 1,
      unitsUsed: 70,
      charactersLeftInSegment: 0,
    })
    expect(countSmsSegments('È' + 'a'.repeat(70))).toMatchObject({
      segments: 2,
      unitsUsed: 71,
      unitsPerSegment: 67,
      charactersLeftInSegment: 67 * 2 - 71,
    })
  })

  it('puts 67 units in each part of a long UCS-2 message', () => {
    expect(countSmsSegments('È' + 'a'.repeat(133)).segments).toBe(2)
    expect(countSmsSegments('È' + 'a'.repeat(134)).segments).toBe(3)
  })

  it('counts an emoji as two units and never splits its surrogate pair', () => {
    const info = countSmsSegments('😀')
    expect(info).toMatchObject({ encoding: 'UCS-2', unitsUsed: 2, characters: 1 })
    // 66 units then an emoji: it would straddle 67, so it opens part two.
    const text = 'a'.repeat(65) + 'È' + '😀' + 'b'.repeat(10)
    const parts = splitSmsSegments(text)
    expect(parts[0]).toBe('a'.repeat(65) + 'È')
    expect(parts[1]?.startsWith('😀')).toBe(true)
    const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
    for (const part of parts) expect(part).not.toMatch(loneSurrogate)
  })

  it('keeps a flag or a ZWJ emoji sequence whole in one part', () => {
    const flag = '🇮🇹'
    // 65 units, then a 4-unit flag that would straddle 67.
    const text = 'È' + 'a'.repeat(64) + flag + 'b'.repeat(10)
    expect(splitSmsSegments(text)).toEqual(['È' + 'a'.repeat(64), flag + 'b'.repeat(10)])
  })

  it('still splits a pathological cluster longer than a part, by code point', () => {
    const zalgo = 'a' + '\u0301'.repeat(100)
    const parts = splitSmsSegments(zalgo)
    expect(parts.join('')).toBe(zalgo)
    expect(parts.every((p) => p.length <= 67)).toBe(true)
  })
})

describe('empty and odd input', () => {
  it('counts an empty text as zero parts', () => {
    expect(countSmsSegments('')).toMatchObject({
      encoding: 'GSM-7',
      segments: 0,
      unitsUsed: 0,
      charactersLeftInSegment: 160,
      offenders: [],
    })
    expect(splitSmsSegments('')).toEqual([])
  })

  it('reports a lone surrogate as an offender instead of crashing', () => {
    const info = countSmsSegments('ab\uD83D')
    expect(info.encoding).toBe('UCS-2')
    expect(info.offenders).toEqual([{ char: '\uD83D', indexes: [2] }])
  })
})

describe('smsCost', () => {
  it('multiplies parts, recipients and price without float noise', () => {
    expect(smsCost(2, 1000, 0.0075)).toBe(15)
    expect(smsCost(3, 7, 0.1)).toBe(2.1)
    expect(smsCost(0, 1000, 0.05)).toBe(0)
  })

  it('refuses negative, fractional or non-finite arguments', () => {
    expect(() => smsCost(-1, 10, 0.05)).toThrow(RangeError)
    expect(() => smsCost(1.5, 10, 0.05)).toThrow(RangeError)
    expect(() => smsCost(1, -3, 0.05)).toThrow(RangeError)
    expect(() => smsCost(1, 10, Number.NaN)).toThrow(RangeError)
    expect(() => smsCost(1, 10, -0.01)).toThrow(RangeError)
    expect(() => smsCost(1, 10, Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})
