import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { openDatabase, type Db } from '../db/open'
import { workspaceFile } from '../workspace'
import type { ImportReport } from '../../../shared/contacts/import-report'
import { importContacts } from './csv/import-contacts'
import type { ColumnMapping } from './csv/map-columns'
import { exportContactsCsv } from './csv/export-csv'

/** Where the workspace is: a data directory (its workspace file) or a database file. */
export interface WorkspaceArgs {
  dataDir?: string
  /** A database file; wins over dataDir (drills, tests). */
  dbFile?: string
}

/**
 * `vedetta contacts import FILE [--data-dir DIR] [--list NAME] [--dry-run] [--strict] [--json]
 * [--sync KEY [--max-removal-share 0.2] [--confirm-removal N]]`
 */
export interface ContactsImportArgs extends WorkspaceArgs {
  file: string
  list?: string
  dryRun?: boolean
  strict?: boolean
  json?: boolean
  /** Sync mode: a key naming where the file comes from (`--sync KEY`). */
  sourceKey?: string
  /** Header → field, for headers the importer does not know (`--map "Cell.=phone"`). */
  mapping?: ColumnMapping
  /** Largest share (0–1) of the source's people a sync may lose without confirmation. */
  maxRemovalShare?: number
  /** The number of people the last report said would disappear, confirmed. */
  confirmRemoval?: number
}

/** `vedetta contacts export FILE [--data-dir DIR]` */
export interface ContactsExportArgs extends WorkspaceArgs {
  file: string
}

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

/**
 * Exit codes: 0 done, 1 invalid rows under --strict, 2 the file or workspace
 * could not be used, 3 a sync would remove more people than allowed and waits
 * for `--confirm-removal N` (nothing saved).
 */
export const EXIT = { ok: 0, invalidRows: 1, unusable: 2, removalUnconfirmed: 3 } as const

const REMOVAL_CODES: readonly string[] = ['sync_removal_unconfirmed', 'sync_removal_mismatch']

/** How many items of each section the human report prints before "… and N more". */
const SHOWN = 50

function openWorkspace(args: WorkspaceArgs): Db {
  const file = args.dbFile ?? (args.dataDir ? workspaceFile(args.dataDir) : null)
  if (!file) throw new Error('no workspace: give --data-dir')
  return openDatabase(file)
}

const fail = (message: string): CliResult => ({
  exitCode: EXIT.unusable,
  stdout: '',
  stderr: `vedetta: ${message}\n`,
})

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err))

/**
 * Runs a contacts import for the command line and returns what to print. With
 * `json` the report is one JSON object on stdout (`rows`, `valid`, `invalid`
 * as `{row, column, reason}`, `merged`, `landlines`, `committed`, and more).
 */
export function runContactsImport(args: ContactsImportArgs): CliResult {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(args.file)
  } catch (err) {
    return fail(`cannot read ${args.file}: ${errorText(err)}`)
  }
  let db: Db
  try {
    db = openWorkspace(args)
  } catch (err) {
    return fail(`cannot open the workspace: ${errorText(err)}`)
  }
  let report: ImportReport
  try {
    report = importContacts(db, bytes, {
      fileName: basename(args.file),
      dryRun: args.dryRun ?? false,
      strict: args.strict ?? false,
      ...(args.list ? { list: args.list } : {}),
      ...(args.sourceKey ? { sourceKey: args.sourceKey } : {}),
      ...(args.mapping ? { mapping: args.mapping } : {}),
      ...(args.maxRemovalShare !== undefined ? { maxRemovalShare: args.maxRemovalShare } : {}),
      ...(args.confirmRemoval !== undefined ? { confirmRemoval: args.confirmRemoval } : {}),
    })
  } catch (err) {
    return fail(`the import failed and nothing was saved: ${errorText(err)}`)
  } finally {
    db.close()
  }
  const invalidRows = new Set(report.invalid.map((i) => i.row)).size
  const removal = report.fatal !== null && REMOVAL_CODES.includes(report.fatal.code)
  const exitCode = removal
    ? EXIT.removalUnconfirmed
    : report.fatal && report.fatal.code !== 'strict_invalid_rows'
      ? EXIT.unusable
      : args.strict && invalidRows > 0
        ? EXIT.invalidRows
        : EXIT.ok
  const hint = removal ? `${confirmHint(report)}\n` : ''
  return {
    exitCode,
    stdout: args.json ? `${JSON.stringify(report)}\n` : formatImportReport(report),
    stderr: report.fatal && !args.json ? `vedetta: ${report.fatal.reason}\n${hint}` : '',
  }
}

/** How to go ahead once the operator has checked who would disappear. */
function confirmHint(report: ImportReport): string {
  return `To confirm, run again with --confirm-removal ${report.fatal?.params.count}`
}

/** Writes every contact to a CSV file (UTF-8 with BOM, `;`, formulas neutralised). */
export function runContactsExport(args: ContactsExportArgs): CliResult {
  let db: Db
  try {
    db = openWorkspace(args)
  } catch (err) {
    return fail(`cannot open the workspace: ${errorText(err)}`)
  }
  try {
    const { text, contacts } = exportContactsCsv(db)
    writeFileSync(args.file, text, 'utf8')
    return {
      exitCode: EXIT.ok,
      stdout: `Exported ${contacts} contacts to ${args.file}\n`,
      stderr: '',
    }
  } catch (err) {
    return fail(`cannot export to ${args.file}: ${errorText(err)}`)
  } finally {
    db.close()
  }
}

function section<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return []
  const lines = [`${title}:`, ...items.slice(0, SHOWN).map((i) => `  ${line(i)}`)]
  if (items.length > SHOWN) lines.push(`  … and ${items.length - SHOWN} more (use --json for all)`)
  return lines
}

const where = (row: number, column: string | null): string =>
  column === null ? `row ${row}` : `row ${row}, column "${column}"`

/** The report for a person reading a terminal, in English. */
export function formatImportReport(r: ImportReport): string {
  const invalidRows = new Set(r.invalid.map((i) => i.row)).size
  const lines: string[] = [
    `Import of ${r.file ?? 'file'} (${r.encoding}, separator "${r.delimiter === '\t' ? 'tab' : r.delimiter}")`,
  ]
  if (r.fatal) {
    lines.push(`Cannot import: ${r.fatal.reason}`)
    if (r.unknownHeaders.length > 0)
      lines.push(`Unknown columns: ${r.unknownHeaders.map((h) => `"${h}"`).join(', ')}`)
    if (r.fatal.code !== 'strict_invalid_rows' && !REMOVAL_CODES.includes(r.fatal.code))
      return `${lines.join('\n')}\n`
  }
  lines.push(
    `Columns: ${r.columns.map((c) => `${c.header} → ${c.field ?? '(ignored)'}`).join(', ')}`,
    `Rows read: ${r.rows}, valid: ${r.valid}, invalid: ${invalidRows}`,
    `Contacts created: ${r.created}, updated: ${r.updated}, duplicates merged: ${r.merged}, landlines: ${r.landlines}`,
  )
  if (r.optedOutPreserved.length > 0) {
    lines.push(`Opted-out contacts kept opted out: ${r.optedOutPreserved.length}`)
  }
  if (r.list) {
    lines.push(`List "${r.list.name}": ${r.list.added} added${r.list.created ? ' (new list)' : ''}`)
  }
  lines.push(
    ...section('Invalid rows', r.invalid, (i) => `${where(i.row, i.column)}: ${i.reason}`),
    ...section('Merged', r.merges, (m) => {
      const into =
        m.into.kind === 'row' ? `row ${m.into.row}` : `contact #${m.into.contactId} ${m.into.name}`
      return `row ${m.row} → ${into} (same ${m.by === 'phone' ? 'number' : 'e-mail'} ${m.value})`
    }),
    ...section(
      'Existing contacts joined',
      r.contactJoins,
      (j) =>
        `row ${j.row}: ${j.mergedContactIds.map((id) => `#${id}`).join(', ')} merged into #${j.intoContactId}`,
    ),
    ...section(
      'Warnings',
      r.warnings,
      (w) => `${w.row === 0 ? 'file' : where(w.row, w.column)}: ${w.reason}`,
    ),
  )
  if (r.sync) {
    lines.push(
      `Disappeared since the last import of "${r.sync.sourceKey}": ${r.sync.disappeared.length}`,
    )
    lines.push(
      ...section(
        'Disappeared (not deleted)',
        r.sync.disappeared,
        (d) => `#${d.contactId} ${d.name}`,
      ),
    )
  }
  lines.push(
    r.committed ? 'Committed.' : r.dryRun ? 'Dry run: nothing was saved.' : 'Nothing was saved.',
  )
  return `${lines.join('\n')}\n`
}
