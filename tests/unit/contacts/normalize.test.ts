import { describe, expect, it } from 'vitest'
import { foldText } from '../../../src/shared/contacts/text'
import { matchHeader } from '../../../src/shared/contacts/csv-fields'
import { parseDay } from '../../../src/shared/contacts/dates'
import { isLanguageCode, normalizeLanguage } from '../../../src/shared/contacts/language'
import { normalizeTelegram } from '../../../src/shared/contacts/telegram'
import { normalizeEmail } from '../../../src/shared/contacts/email'
import { parseOptOutScopes } from '../../../src/main/core/contacts/csv/row-draft'
import {
  describeImportIssue,
  importIssueMessages,
} from '../../../src/shared/contacts/import-issues'

describe('foldText', () => {
  it('ignores case, accents and punctuation', () => {
    expect(foldText('  Niccolò  D’Angelo ')).toBe('niccolo d angelo')
    expect(foldText('MONTELUPO-FIORENTINO')).toBe('montelupo fiorentino')
  })
})

describe('matchHeader', () => {
  it.each([
    ['Nominativo', 'name'],
    ['Nome e cognome', 'name'],
    ['Full name', 'name'],
    ['Nome', 'firstName'],
    ['COGNOME', 'lastName'],
    ['Cellulare', 'phone'],
    ['Cellulare 2', 'phone'],
    ['Telefono fisso', 'phone'],
    ['Mobile phone', 'phone'],
    ['E-mail', 'email'],
    ['Indirizzo e-mail', 'email'],
    ['Posta elettronica', 'email'],
    ['Città', 'comune'],
    ['Comune di residenza', 'comune'],
    ['Ruolo', 'roles'],
    ['Scuola', 'institution'],
    ['Lingua preferita', 'language'],
    ['Data consenso', 'consentDate'],
    ['Opt-out', 'optOut'],
    ['Data opt-out', 'optOutDate'],
  ])('maps %j to %s', (header, field) => {
    expect(matchHeader(header)).toBe(field)
  })

  it.each(['Cell. mamma', 'Classe', '', 'Genitore'])('does not guess %j', (header) => {
    expect(matchHeader(header)).toBeNull()
  })
})

describe('parseDay', () => {
  it.each([
    ['31/01/2024', '2024-01-31'],
    ['1/9/24', '2024-09-01'],
    ['31.01.2024', '2024-01-31'],
    ['2024-01-31', '2024-01-31'],
    ['2024-01-31T10:00:00Z', '2024-01-31'],
  ])('reads %s', (text, day) => {
    expect(parseDay(text)).toBe(day)
  })

  it.each(['31/02/2024', '2024-13-01', 'ieri', '12/2024', ''])('refuses %j', (text) => {
    expect(parseDay(text)).toBeNull()
  })
})

describe('languages', () => {
  it.each([
    ['it', 'it'],
    ['IT', 'it'],
    ['en-GB', 'en'],
    ['italiano', 'it'],
    ['Inglese', 'en'],
    ['rumeno', 'ro'],
    ['Romanian', 'ro'],
    ['albanese', 'sq'],
    ['cinese', 'zh'],
  ])('reads %s as %s', (text, code) => {
    expect(normalizeLanguage(text)).toBe(code)
  })

  it.each(['klingon', 'xx', '', 'qq'])('refuses %j', (text) => {
    expect(normalizeLanguage(text)).toBeNull()
  })

  it('knows real codes only', () => {
    expect(isLanguageCode('uk')).toBe(true)
    expect(isLanguageCode('zz')).toBe(false)
  })
})

describe('telegram and e-mail', () => {
  it.each([
    ['@mario_rossi', 'mario_rossi'],
    ['mario_rossi', 'mario_rossi'],
    ['https://t.me/mario_rossi', 'mario_rossi'],
    ['@ab', null],
    ['@_mario', null],
    ['mario rossi', null],
    // A chat id, as the bot learns it when the person writes first: the only way to reach a person.
    ['123456789', '123456789'],
    [' -1001234567890 ', '-1001234567890'],
    ['1234', null],
  ])('telegram %j → %j', (text, handle) => {
    expect(normalizeTelegram(text)).toBe(handle)
  })

  it('lower-cases e-mail and refuses what is not an address', () => {
    expect(normalizeEmail(' Mario.Rossi@Example.ORG ')).toBe('mario.rossi@example.org')
    expect(normalizeEmail('mailto:a@example.org')).toBe('a@example.org')
    expect(normalizeEmail('non-una-mail')).toBeNull()
    expect(normalizeEmail('a@b')).toBeNull()
  })
})

describe('opt-out cells', () => {
  it.each([
    ['', []],
    ['no', []],
    ['sì', ['all']],
    ['tutti', ['all']],
    ['x', ['all']],
    ['sms', ['sms']],
    ['SMS, e-mail', ['sms', 'email']],
    ['email;telegram', ['email', 'telegram']],
    ['sms, all', ['all']],
  ])('%j → %j', (cell, scopes) => {
    expect(parseOptOutScopes(cell)).toEqual(scopes)
  })

  it('refuses words it cannot read', () => {
    expect(parseOptOutScopes('forse')).toBeNull()
  })
})

describe('import issue messages', () => {
  it('has every message in Italian and English, with parameters filled', () => {
    expect(Object.keys(importIssueMessages.it).sort()).toEqual(
      Object.keys(importIssueMessages.en).sort(),
    )
    expect(describeImportIssue('phone_invalid', { value: '12345' })).toBe(
      '"12345" is not a valid phone number.',
    )
    expect(describeImportIssue('phone_invalid', { value: '12345' }, 'it')).toBe(
      '"12345" non è un numero di telefono valido.',
    )
  })
})
