import { describe, expect, it } from 'vitest'
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import {
  normalizePhone,
  normalizePhoneCell,
  phoneSearchTokens,
} from '../../../src/shared/contacts/phone'
import { generateContacts } from '../../../src/main/core/contacts/generate'

describe('normalizePhone', () => {
  it('reads the three ways offices write one mobile as the same E.164 number', () => {
    const forms = ['347 123 4567', '+39 347-1234567', '0039 3471234567']
    const results = forms.map((f) => normalizePhone(f))
    for (const r of results)
      expect(r).toEqual({
        e164: '+393471234567',
        national: '3471234567',
        type: 'mobile',
        valid: true,
      })
  })

  it.each([
    ['055 1234567', '+390551234567', 'landline'],
    ['0571 757111', '+390571757111', 'landline'],
    ['0571/757111', '+390571757111', 'landline'],
    ['(0571) 75-71.11', '+390571757111', 'landline'],
    ['+39 (0)571 757111', '+390571757111', 'landline'],
    ['06 6982 1234', '+390669821234', 'landline'],
    ['347/1234567', '+393471234567', 'mobile'],
    ['347.123.45.67', '+393471234567', 'mobile'],
    ['tel: 347 1234567', '+393471234567', 'mobile'],
    ['(+39) 320 555 0001', '+393205550001', 'mobile'],
    ['+33 6 12 34 56 78', '+33612345678', 'mobile'],
    ['+44 20 7946 0958', '+442079460958', 'landline'],
    ['800 123 456', '+39800123456', 'other'],
  ])('classifies %s as %s (%s)', (text, e164, type) => {
    const r = normalizePhone(text)
    expect(r.valid).toBe(true)
    expect(r.e164).toBe(e164)
    expect(r.type).toBe(type)
  })

  it.each(['12345', '347 12', '347 200 abc', 'mario', '', '+39', '00000000000'])(
    'refuses %j as a phone number',
    (text) => {
      expect(normalizePhone(text).valid).toBe(false)
    },
  )

  it('reads numbers without a prefix in the given default region', () => {
    expect(normalizePhone('06 12 34 56 78', 'FR')).toMatchObject({
      e164: '+33612345678',
      type: 'mobile',
    })
  })

  it('agrees with the full libphonenumber parse on every generated and tricky number', () => {
    const texts = generateContacts(3000, 42).flatMap((c) => c.phones)
    texts.push(
      '39 347 1234567',
      '38 347 1234567',
      '33612345678',
      '3471234567',
      '347123456',
      '34712345678',
      '+39 06 698 12345',
      '0039 06 6982 1234',
      '+39 0571 757111',
      '0571 757111 2',
      '340 0000000',
      '3',
      '0039 347',
      '+39 800 123 456',
      '199 123 456',
      '+39 3471234567 ',
    )
    for (const text of texts) {
      const ours = normalizePhone(text)
      const oracle = parsePhoneNumberFromString(text.trim(), 'IT')
      const oracleType = oracle?.getType()
      const oracleValid = oracleType !== undefined || (oracle?.isValid() ?? false)
      expect({ text, valid: ours.valid }).toEqual({ text, valid: oracleValid })
      if (oracleValid) expect({ text, e164: ours.e164 }).toEqual({ text, e164: oracle?.number })
    }
  })
})

describe('normalizePhoneCell', () => {
  it('splits a cell with several numbers but keeps a slash-written prefix together', () => {
    const parts = normalizePhoneCell('347 000 1111, 0571 222333; 055/1234567 | 3331112222')
    expect(parts.map((p) => p.phone.e164)).toEqual([
      '+393470001111',
      '+390571222333',
      '+390551234567',
      '+393331112222',
    ])
  })

  it('splits on a slash when the whole is not one number', () => {
    const parts = normalizePhoneCell('347 1234567 / 0571 757111')
    expect(parts.map((p) => [p.text, p.phone.e164])).toEqual([
      ['347 1234567', '+393471234567'],
      ['0571 757111', '+390571757111'],
    ])
  })

  it('keeps unreadable parts so the importer can say which one is wrong', () => {
    const parts = normalizePhoneCell('347 1234567, 12')
    expect(parts.map((p) => p.phone.valid)).toEqual([true, false])
    expect(parts[1]?.text).toBe('12')
  })
})

describe('phoneSearchTokens', () => {
  it('gives the E.164 digits and the national form people type', () => {
    expect(phoneSearchTokens('+393471234567')).toEqual(['393471234567', '3471234567'])
    expect(phoneSearchTokens('+390571757111')).toEqual(['390571757111', '0571757111'])
  })
})
