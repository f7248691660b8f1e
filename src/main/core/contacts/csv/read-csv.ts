import type { ImportReport } from '../../../../shared/contacts/import-report'

export type CsvEncoding = ImportReport['encoding']
export type CsvDelimiter = ImportReport['delimiter']

export interface CsvTable {
  encoding: CsvEncoding
  delimiter: CsvDelimiter
  header: string[]
  /** Data records; record `i` is spreadsheet row `i + 2` (the header is row 1). */
  records: string[][]
  /** Rows whose quotes did not pair up and were re-read as literal text to their line end. */
  recovered: QuoteRecovery[]
}

/** A row re-read after a quote that never closed properly (or a stray one at a field's start). */
export interface QuoteRecovery {
  /** Spreadsheet row (the header is row 1). */
  row: number
  /** Index of the cell where the broken quote opened: from there to the line end was read as text. */
  cell: number
}

/** A file whose structure cannot be trusted: nothing of it may be imported. */
export interface CsvRefused {
  refused: 'header_quote_unclosed'
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

/**
 * Reads a CSV file to its end, or refuses it: never half of it. Null when it
 * holds no header at all. A quote that does not pair up is recovered the way
 * a person would read the line (see `scanCsv`) and reported with its row; a
 * broken header cannot be recovered, because every column's meaning hangs on it.
 */
export function readCsv(bytes: Uint8Array): CsvTable | CsvRefused | null {
  const { text, encoding } = decodeCsv(bytes)
  if (text.trim() === '') return null
  const delimiter = detectDelimiter(text)
  const scanned = scanCsv(text, delimiter)
  const [header, ...records] = scanned.records
  if (!header) return null
  if (scanned.recovered[0]?.row === 1) return { refused: 'header_quote_unclosed' }
  return {
    encoding,
    delimiter,
    header: header.map((h) => h.trim()),
    records,
    recovered: scanned.recovered,
  }
}

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

/**
 * Splits CSV text into records, RFC 4180 style, in one linear pass.
 *
 * Written here rather than on papaparse because papaparse, on a quote that
 * never closes, has already folded every following row into one cell when it
 * reports the error, and offers no way to restart at the line's end; recovering
 * needs the scanner to go back to where the quote opened, so we own the scan.
 *
 * The rules, as spreadsheets read a hand-edited file:
 * - a quote inside an unquoted value is a literal character (`Ro"ssi`);
 * - a quoted value may span lines (a note written on two lines), but it must
 *   close with a quote followed by the separator, a line end or the file's end;
 * - a quoted value that does not close so (never closed, or followed by other
 *   text, or swallowing a line that has as many separators as a whole record
 *   and so is one) is re-read from where it opened to the end of its line as
 *   literal text, its quotes kept; the following line is read normally.
 * Each value scan stops at the next lone quote, or a line that is a record, so
 * recovery never makes the whole pass worse than linear in practice.
 */
export function scanCsv(
  text: string,
  delimiter: CsvDelimiter,
): { records: string[][]; recovered: QuoteRecovery[] } {
  const delim = delimiter.charCodeAt(0)
  const n = text.length
  const records: string[][] = []
  const recovered: QuoteRecovery[] = []
  /** Separators a whole record has; 0 (no check) until the header is read. */
  let recordDelims = 0

  /** The value of a quoted field opening at `start`, and where it ends; null when it does not close properly. */
  const quoted = (start: number, sameLine: boolean): { value: string; end: number } | null => {
    let parts = ''
    let chunk = start + 1
    let lines = 0
    let lineDelims = 0
    const swallowsRecord = () => recordDelims > 0 && lines > 0 && lineDelims >= recordDelims
    for (let j = start + 1; j < n; j++) {
      const c = text.charCodeAt(j)
      if (c === QUOTE) {
        const next = j + 1 < n ? text.charCodeAt(j + 1) : -1
        if (next === QUOTE) {
          parts += text.slice(chunk, j + 1)
          chunk = j + 2
          j++
        } else if (next === -1 || next === delim || next === LF || next === CR) {
          if (swallowsRecord()) return null
          return { value: parts + text.slice(chunk, j), end: j + 1 }
        } else {
          return null
        }
      } else if (c === LF || c === CR) {
        if (sameLine || swallowsRecord()) return null
        if (c === CR && j + 1 < n && text.charCodeAt(j + 1) === LF) j++
        lines++
        lineDelims = 0
      } else if (c === delim) {
        lineDelims++
      }
    }
    return null
  }

  let i = 0
  while (i < n) {
    const record: string[] = []
    let recovering = false
    for (;;) {
      // Once a line is being recovered, only a value quoted and closed on that same line is unquoted.
      const q = i < n && text.charCodeAt(i) === QUOTE ? quoted(i, recovering) : undefined
      if (q) {
        record.push(q.value)
        i = q.end
      } else {
        if (q === null && !recovering) {
          recovering = true
          recovered.push({ row: records.length + 1, cell: record.length })
        }
        let j = i
        while (j < n) {
          const c = text.charCodeAt(j)
          if (c === delim || c === LF || c === CR) break
          j++
        }
        record.push(text.slice(i, j))
        i = j
      }
      const c = i < n ? text.charCodeAt(i) : -1
      if (c === delim) {
        i++
        continue
      }
      if (c === CR) i += i + 1 < n && text.charCodeAt(i + 1) === LF ? 2 : 1
      else if (c === LF) i++
      break
    }
    if (records.length === 0) recordDelims = record.length - 1
    records.push(record)
  }
  return { records, recovered }
}
