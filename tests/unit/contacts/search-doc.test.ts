import { describe, expect, it } from 'vitest'
import { buildSearchDoc, toMatchQuery } from '../../../src/main/core/contacts/search-doc'

describe('toMatchQuery', () => {
  it('makes every word a prefix that must match', () => {
    expect(toMatchQuery('Mario Ros')).toBe('"Mario"* "Ros"*')
    expect(toMatchQuery('mario.rossi@exa')).toBe('"mario"* "rossi"* "exa"*')
  })

  it('turns any written form of a number into its digits', () => {
    expect(toMatchQuery('347 123')).toBe('"347123"*')
    expect(toMatchQuery('+39 347-12')).toBe('"3934712"*')
    expect(toMatchQuery('0039 347')).toBe('"39347"*')
    expect(toMatchQuery('(0571) 75')).toBe('"057175"*')
  })

  it('keeps FTS syntax typed by a person as plain words', () => {
    expect(toMatchQuery('rossi OR NEAR(a b) "x')).toBe('"rossi"* "OR"* "NEAR"* "a"* "b"* "x"*')
    expect(toMatchQuery('  ')).toBeNull()
    expect(toMatchQuery('*** ---')).toBeNull()
  })
})

describe('buildSearchDoc', () => {
  it('holds names, numbers in both forms, e-mail, comune, roles, school and tags', () => {
    const doc = buildSearchDoc({
      name: 'Niccolò Bagnoli',
      email: 'n.bagnoli@example.org',
      telegram: 'nbagnoli',
      phones: [{ e164: '+393471234567' }],
      comuneName: 'Empoli',
      roles: ['genitore'],
      institution: 'Istituto Checchi',
      tags: ['3b'],
    })
    for (const part of [
      'Niccolò Bagnoli',
      '393471234567',
      '3471234567',
      'Empoli',
      'genitore',
      'Checchi',
      '3b',
    ]) {
      expect(doc).toContain(part)
    }
  })
})
