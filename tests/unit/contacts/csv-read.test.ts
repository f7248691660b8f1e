import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  decodeCsv,
  detectDelimiter,
  readCsv,
  scanCsv,
  type CsvTable,
} from '../../../src/main/core/contacts/csv/read-csv'
import { mapColumns } from '../../../src/main/core/contacts/csv/map-columns'

const fixture = (name: string) => readFileSync(resolve(__dirname, '../../fixtures/contacts', name))
const bytes = (text: string) => new TextEncoder().encode(text)

/** The table a readable file gives (fails the test on a refusal). */
function table(input: Uint8Array): CsvTable {
  const read = readCsv(input)
  if (!read || 'refused' in read) throw new Error(`not read: ${JSON.stringify(read)}`)
  return read
}

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
    const read = table(fixture('quoted-newlines.csv'))
    expect(read.header).toEqual(['Nominativo', 'Telefono', 'E-mail', 'Note'])
    expect(read.recovered).toEqual([])
    const records = read.records
    expect(records[0]?.[3]).toBe('Mamma di Luca (3ªB);\r\nchiamare dopo le 17')
    expect(records[1]?.[0]).toBe('Paolo\r\nInnocenti')
    expect(records[1]?.[3]).toBe('Riga "speciale"')
    // Record i is spreadsheet row i + 2: Sara Gori is on row 4 although the file has more lines.
    expect(records[2]?.[0]).toBe('Sara Gori')
  })

  it('returns nothing for an empty file and no records for a header-only one', () => {
    expect(readCsv(fixture('empty.csv'))).toBeNull()
    expect(readCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0x0d, 0x0a]))).toBeNull()
    const headerOnly = table(fixture('header-only.csv'))
    expect(headerOnly.header).toEqual(['Nominativo', 'Telefono', 'E-mail'])
    expect(headerOnly.records.filter((r) => r.some((c) => c !== ''))).toEqual([])
  })
})

describe('readCsv with quotes that do not pair up', () => {
  it('keeps a quote in the middle of an unquoted value as a literal character', () => {
    const read = table(
      bytes('Nominativo;Telefono;Note\nMario "Billo" Rossi;347 1;misura 3"\nRo"ssi;347 2;ok\n'),
    )
    expect(read.records).toEqual([
      ['Mario "Billo" Rossi', '347 1', 'misura 3"'],
      ['Ro"ssi', '347 2', 'ok'],
    ])
    expect(read.recovered).toEqual([])
  })

  it('re-reads a quoted value that never closes as text up to its line end, and goes on', () => {
    const read = table(fixture('unclosed-quote.csv'))
    expect(read.records.filter((r) => r.some((c) => c !== ''))).toEqual([
      ['Primo', '347 300 0001'],
      ['"Secondo', '347 300 0002'],
      ['Terzo', '347 300 0003'],
    ])
    expect(read.recovered).toEqual([{ row: 3, cell: 0 }])
  })

  it('recovers a quote that closes with text after it, and unquotes the rest of that line', () => {
    const read = table(
      bytes('Nominativo;Telefono;Note\r\n"Rossi" Mario;"347 1";"a; b"\r\nBianchi;347 2;\r\n'),
    )
    expect(read.records).toEqual([
      ['"Rossi" Mario', '347 1', 'a; b'],
      ['Bianchi', '347 2', ''],
    ])
    expect(read.recovered).toEqual([{ row: 2, cell: 0 }])
  })

  it('does not let a stray quote pair with one rows later and swallow whole records', () => {
    // The quote on row 2 would "close" at the end of row 3: row 3 is a record, not a note's line.
    const read = table(
      bytes('Nominativo;Telefono;Note\n"Anna;347 1;x\nBruno;347 2;detto Bru"\nCarla;347 3;y\n'),
    )
    expect(read.records).toEqual([
      ['"Anna', '347 1', 'x'],
      ['Bruno', '347 2', 'detto Bru"'],
      ['Carla', '347 3', 'y'],
    ])
    expect(read.recovered).toEqual([{ row: 2, cell: 0 }])
  })

  it('reads the rows after a quoted value that runs into a later quoted one', () => {
    const read = table(
      bytes('Name,Phone,Notes\nAnna,"347 1,x\nBruno,347 2,"Via Roma, 3"\nCarla,347 3,\n'),
    )
    expect(read.records).toEqual([
      ['Anna', '"347 1', 'x'],
      ['Bruno', '347 2', 'Via Roma, 3'],
      ['Carla', '347 3', ''],
    ])
    expect(read.recovered).toEqual([{ row: 2, cell: 1 }])
  })

  it('refuses a file whose header has an unclosed quote: its columns cannot be trusted', () => {
    expect(readCsv(bytes('"Nominativo;Telefono\nRossi;347 1\n'))).toEqual({
      refused: 'header_quote_unclosed',
    })
  })

  it('stays linear when every row opens a quote it never closes', () => {
    const text = (rows: number) =>
      'Nominativo;Telefono;Note\n' +
      Array.from({ length: rows }, (_, i) => `"Persona ${i};347 ${i};nota\n`).join('')
    const best = (input: string) => {
      let fastest = Infinity
      for (let k = 0; k < 3; k++) {
        const start = performance.now()
        const { recovered } = scanCsv(input, ';')
        fastest = Math.min(fastest, performance.now() - start)
        expect(recovered.length).toBe(input.split('\n').length - 2)
      }
      return fastest
    }
    const small = best(text(20_000))
    const large = best(text(80_000))
    // Four times the rows: about four times the work, far from the sixteen of a quadratic scan.
    expect(large / small).toBeLessThan(9)
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
