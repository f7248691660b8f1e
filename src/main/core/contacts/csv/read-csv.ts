import Papa from 'papaparse'
import type { ImportReport } from '../../../../shared/contacts/import-report'

export type CsvEncoding = ImportReport['encoding']
export type CsvDelimiter = ImportReport['delimiter']

export interface CsvTable {
  encoding: CsvEncoding
  delimiter: CsvDelimiter
  header: string[]
  /** Data records; record `i` is spreadsheet row `i + 2` (the header is row 1). */
  records: string[][]
  /** Spreadsheet row of a quote opened and never closed (the rest of the file fell into one cell). */
  unclosedQuoteRow: number | null
}

/**
 * Decodes a file as offices save it: UTF-8 with or without BOM, UTF-16 with BOM
 * (Excel's "Unicode text"), otherwise Windows-1252 (Excel's "CSV" on Italian
 * Windows). A file that is valid UTF-8 is read as UTF-8.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' }
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' }
  }
}

/**
 * Picks the separator from the header line: the one that occurs most outside
 * quotes. Header names rarely contain separators, while data does (addresses,
 * "Rossi, Mario"), so the header is the reliable witness. Ties go to `;`,
 * what Italian Excel writes.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ';': 0, ',': 0, '\t': 0 }
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++
  }
  if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) return '\t'
  return counts[','] > counts[';'] ? ',' : ';'
}

/** Reads a CSV file into header and records; null when it holds no header at all. */
export function readCsv(bytes: Uint8Array): CsvTable | null {
  const { text, encoding } = decodeCsv(bytes)
  if (text.trim() === '') return null
  const delimiter = detectDelimiter(text)
  const parsed = Papa.parse<string[]>(text, { delimiter, header: false, skipEmptyLines: false })
  const [header, ...records] = parsed.data
  if (!header) return null
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes')
  return {
    encoding,
    delimiter,
    header: header.map((h) => h.trim()),
    records,
    unclosedQuoteRow: quoteError?.row === undefined ? null : quoteError.row + 1,
  }
}
