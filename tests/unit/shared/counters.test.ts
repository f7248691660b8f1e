import { describe, it, expect } from 'vitest'
import { countFor, SMS_MAX_SEGMENTS } from '../../../src/shared/text/counters'

const LINK = 'https://www.empolese-valdelsa.it/allerta/neve/2026-02-07/aggiornamento-delle-ore-14'

describe('countFor: SMS', () => {
  it('counts parts and carries the segment details', () => {
    const c = countFor('sms', 'a'.repeat(161))
    expect(c).toMatchObject({
      family: 'sms',
      length: 2,
      limit: SMS_MAX_SEGMENTS,
      over: false,
      unit: 'segments',
    })
    expect(c.sms).toMatchObject({ encoding: 'GSM-7', unitsUsed: 161 })
  })

  it('is over when the parts exceed the account’s limit', () => {
    expect(countFor('sms', 'a'.repeat(307), { smsMaxSegments: 2 }).over).toBe(true)
    expect(countFor('sms', 'a'.repeat(306), { smsMaxSegments: 2 }).over).toBe(false)
    expect(countFor('sms', 'a'.repeat(153 * 10 + 1)).over).toBe(true)
  })
})

describe('countFor: X', () => {
  it('counts any link as 23 and an emoji as 2', () => {
    expect(countFor('x', `Allerta ${LINK}`).length).toBe(8 + 23)
    expect(countFor('x', 'Allerta ⚠️').length).toBe(8 + 2)
  })

  it('counts Italian accents as 1 and CJK as 2', () => {
    expect(countFor('x', 'più città').length).toBe(9)
    expect(countFor('x', '雪').length).toBe(2)
  })

  it('takes 280 and refuses 281', () => {
    expect(countFor('x', 'a'.repeat(280))).toMatchObject({
      length: 280,
      limit: 280,
      over: false,
      unit: 'weighted',
    })
    expect(countFor('x', 'a'.repeat(281)).over).toBe(true)
    expect(countFor('x', '雪'.repeat(141)).over).toBe(true)
  })
})

describe('countFor: Telegram', () => {
  it('counts UTF-16 units up to 4096', () => {
    expect(countFor('telegram', '😀').length).toBe(2)
    expect(countFor('telegram', 'a'.repeat(4096)).over).toBe(false)
    expect(countFor('telegram', 'a'.repeat(4095) + '😀')).toMatchObject({
      length: 4097,
      over: true,
      unit: 'utf16',
    })
  })
})

describe('countFor: Mastodon', () => {
  it('counts a link with a scheme as 23, whatever its length', () => {
    expect(countFor('mastodon', `Vedi ${LINK}`).length).toBe(5 + 23)
  })

  it('counts a link without a scheme as written', () => {
    expect(countFor('mastodon', 'Vedi www.empolese-valdelsa.it').length).toBe(29)
  })

  it('counts a remote mention by its local part and emoji as one character', () => {
    // "@protciv" (8) + space + ⚠️ (one grapheme)
    expect(countFor('mastodon', '@protciv@mastodon.example ⚠️').length).toBe(10)
  })

  it('places links correctly after astral characters', () => {
    expect(countFor('mastodon', `😀 ${LINK} fine`).length).toBe(1 + 1 + 23 + 5)
  })

  it('takes 500 and refuses 501', () => {
    expect(countFor('mastodon', 'a'.repeat(500)).over).toBe(false)
    expect(countFor('mastodon', 'a'.repeat(501))).toMatchObject({
      over: true,
      limit: 500,
      unit: 'graphemes',
    })
  })
})

describe('countFor: Bluesky', () => {
  it('counts graphemes: a flag or a family emoji is one', () => {
    expect(countFor('bluesky', '🇮🇹👨‍👩‍👧').length).toBe(2)
    expect(countFor('bluesky', 'e\u0301').length).toBe(1)
  })

  it('counts links in full and allows 300', () => {
    expect(countFor('bluesky', LINK).length).toBe(LINK.length)
    expect(countFor('bluesky', '⚠️'.repeat(300)).over).toBe(false)
    expect(countFor('bluesky', 'a'.repeat(301))).toMatchObject({ over: true, limit: 300 })
  })
})

describe('countFor: Facebook, e-mail, website', () => {
  it('gives Facebook its 63206 characters', () => {
    expect(countFor('facebook', 'a'.repeat(63206)).over).toBe(false)
    expect(countFor('facebook', 'a'.repeat(63207)).over).toBe(true)
  })

  it('sets no limit for e-mail and website', () => {
    for (const family of ['email', 'website'] as const) {
      expect(countFor(family, 'a'.repeat(200000))).toMatchObject({
        limit: null,
        over: false,
        length: 200000,
      })
    }
  })

  it('counts an empty text as zero everywhere', () => {
    for (const family of [
      'sms',
      'email',
      'telegram',
      'facebook',
      'x',
      'mastodon',
      'bluesky',
      'website',
    ] as const) {
      expect(countFor(family, '')).toMatchObject({ length: 0, over: false })
    }
  })
})
