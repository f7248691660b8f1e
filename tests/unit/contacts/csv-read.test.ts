import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { decodeCsv, detectDelimiter, readCsv } from '../../../src/main/core/contacts/csv/read-csv'
import { mapColumns } from '../../../src/main/core/contacts/csv/map-columns'

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/contacts', name))

describe('decodeCsv', () => {
  it('reads UTF-8 with and without BOM, Windows-1252 and UTF-16 alike', () => {
    const bom = decodeCsv(fixture('checchi-utf8-bom.csv'))
    const plain = decodeCsv(fixture('checchi-utf8.csv'))
    const excel = decodeCsv(fixture('checchi-excel-cp1252.csv'))
    expect([bom.encoding, plain.encoding, excel.encoding]).toEqual([
      'utf-8-bom',
      'utf-8',
      'windows-1252',
    ])
    for (const d of [bom, plain, excel]) {
      expect(d.text.startsWith('Cognome;')).toBe(true)
      expect(d.text).toContain('Niccolò')
      expect(d.text).toContain('Lucía')
    }
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('Nome\tTelefono\r\nÀ\t1', 'utf16le')])
    expect(decodeCsv(utf16)).toEqual({ text: 'Nome\tTelefono\r\nÀ\t1', encoding: 'utf-16le' })
  })
})

describe('detectDelimiter', () => {
  it('trusts the header line, not separators inside data or quotes', () => {
    expect(detectDelimiter('Nome;Telefono;Note\r\nRossi, Mario;347;"a, b, c"')).toBe(';')
    expect(detectDelimiter('Name,Phone\n"Rossi; Mario",347')).toBe(',')
    expect(detectDelimiter('"Nome;Cognome",Telefono,Mail\n')).toBe(',')
    expect(detectDelimiter('Nome\tTelefono\n')).toBe('\t')
    expect(detectDelimiter('Nominativo\n')).toBe(';')
  })
})

describe('readCsv', () => {
  it('keeps quoted newlines inside one cell and numbers rows as the spreadsheet does', () => {
    const table = readCsv(fixture('quoted-newlines.csv'))
    expect(table?.header).toEqual(['Nominativo', 'Telefono', 'E-mail', 'Note'])
    const records = table?.records ?? []
    expect(records[0]?.[3]).toBe('Mamma di Luca (3ªB);\r\nchiamare dopo le 17')
    expect(records[1]?.[0]).toBe('Paolo\r\nInnocenti')
    expect(records[1]?.[3]).toBe('Riga "speciale"')
    // Record i is spreadsheet row i + 2: Sara Gori is on row 4 although the file has more lines.
    expect(records[2]?.[0]).toBe('Sara Gori')
  })

  it('returns nothing for an empty file and no records for a header-only one', () => {
    expect(readCsv(fixture('empty.csv'))).toBeNull()
    expect(readCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0x0d, 0x0a]))).toBeNull()
    const headerOnly = readCsv(fixture('header-only.csv'))
    expect(headerOnly?.header).toEqual(['Nominativo', 'Telefono', 'E-mail'])
    expect(headerOnly?.records.filter((r) => r.some((c) => c !== ''))).toEqual([])
  })

  it('points at the row of a quote that is never closed', () => {
    expect(readCsv(fixture('unclosed-quote.csv'))?.unclosedQuoteRow).toBe(3)
  })
})

describe('mapColumns', () => {
  it('joins Cognome and Nome, and lists headers it does not know', () => {
    const plan = mapColumns(['Cognome', 'Nome', 'Cellulare', 'Cellulare 2', 'Classe'])
    expect(plan.columns.map((c) => c.field)).toEqual([
      'lastName',
      'firstName',
      'phone',
      'phone',
      null,
    ])
    expect(plan.unknownHeaders).toEqual(['Classe'])
    expect(plan.fatal).toBeNull()
  })

  it('reads a lone "Nome" column as the whole name', () => {
    expect(mapColumns(['Nome', 'Telefono']).columns.map((c) => c.field)).toEqual(['name', 'phone'])
  })

  it('ignores a second column for a single-valued field', () => {
    const plan = mapColumns(['Nominativo', 'E-mail', 'Mail'])
    expect(plan.columns.map((c) => c.field)).toEqual(['name', 'email', null])
    expect(plan.duplicateHeaders).toEqual(['Mail'])
  })

  it('refuses a file without a name or without any way to reach people', () => {
    expect(mapColumns(['Telefono', 'Classe']).fatal?.code).toBe('no_name_column')
    expect(mapColumns(['Nominativo', 'Classe']).fatal?.code).toBe('no_address_column')
  })

  it('follows an explicit mapping, and refuses one naming a missing column', () => {
    const plan = mapColumns(['Genitore', 'Cell. mamma', 'Classe'], {
      Genitore: 'name',
      'Cell. mamma': 'phone',
      Classe: null,
    })
    expect(plan.columns.map((c) => c.field)).toEqual(['name', 'phone', null])
    expect(plan.unknownHeaders).toEqual([])
    expect(mapColumns(['Nominativo'], { Telefono: 'phone' }).fatal).toEqual({
      code: 'mapping_unknown_header',
      params: { header: 'Telefono' },
    })
  })
})
