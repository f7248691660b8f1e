import { describe, expect, it } from 'vitest'
import { generateContacts, generatedContactsCsv } from '../../../src/main/core/contacts/generate'
import { normalizePhone } from '../../../src/shared/contacts/phone'

const COMUNI = [
  'Capraia e Limite',
  'Castelfiorentino',
  'Cerreto Guidi',
  'Certaldo',
  'Empoli',
  'Fucecchio',
  'Gambassi Terme',
  'Montaione',
  'Montelupo Fiorentino',
  'Montespertoli',
  'Vinci',
]

describe('generateContacts', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateContacts(200, 3)).toEqual(generateContacts(200, 3))
    expect(generateContacts(200, 3)).not.toEqual(generateContacts(200, 4))
  })

  it('produces valid, unique numbers and e-mails in the eleven comuni', () => {
    const people = generateContacts(20_000, 11)
    const numbers = people.flatMap((p) => p.phones.map((t) => normalizePhone(t)))
    expect(numbers.every((n) => n.valid)).toBe(true)
    expect(new Set(numbers.map((n) => n.e164)).size).toBe(numbers.length)
    const landlines = numbers.filter((n) => n.type === 'landline').length
    expect(landlines / people.length).toBeGreaterThan(0.05)
    expect(landlines / people.length).toBeLessThan(0.15)
    const emails = people.flatMap((p) => (p.email ? [p.email] : []))
    expect(new Set(emails).size).toBe(emails.length)
    expect(new Set(people.map((p) => p.comune))).toEqual(new Set(COMUNI))
  })

  it('refuses sizes it cannot keep unique', () => {
    expect(() => generateContacts(-1)).toThrow(RangeError)
    expect(() => generateContacts(5_000_000)).toThrow(RangeError)
  })

  it('writes the office CSV with Italian headers', () => {
    const text = generatedContactsCsv(generateContacts(2, 1))
    expect(text.split('\r\n')[0]).toBe(
      'Nominativo;Telefono;E-mail;Telegram;Comune;Ruolo;Scuola;Lingua',
    )
    expect(text.split('\r\n')).toHaveLength(3)
  })
})
