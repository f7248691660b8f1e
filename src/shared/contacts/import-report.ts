import type { ImportField } from './csv-fields'
import type {
  FatalCode,
  ImportIssueCode,
  IssueParams,
  RowErrorCode,
  RowWarningCode,
} from './import-issues'
import type { FieldChange, OptOutScope } from './types'

/** One problem, located as the person sees it in their spreadsheet. */
export interface ImportIssue<C extends ImportIssueCode = ImportIssueCode> {
  /** Spreadsheet row number (the header is row 1); 0 for problems with the whole file. */
  row: number
  /** The column's header as written in the file; null when the whole row is concerned. */
  column: string | null
  code: C
  params: IssueParams
  /** In English (the CLI's language). */
  reason: string
  /** In Italian. */
  reasonIt: string
}

export interface ImportColumn {
  /** Header as written in the file. */
  header: string
  /** The field it fills, or null when it is ignored. */
  field: ImportField | null
}

/** A row that turned out to be a person already seen: in the file or in the workspace. */
export interface ImportMerge {
  row: number
  into: { kind: 'row'; row: number } | { kind: 'contact'; contactId: number; name: string }
  /** The shared key that made them one person. */
  by: 'phone' | 'email'
  value: string
  /** Values of the existing contact this row changes. */
  changes: FieldChange[]
}

/** Existing contacts the file proved to be one person (a number of one, the e-mail of another). */
export interface ImportContactJoin {
  row: number
  intoContactId: number
  mergedContactIds: number[]
}

export interface ImportLandline {
  row: number
  column: string
  number: string
}

export interface ImportOptOutKept {
  row: number
  contactId: number
  name: string
  scopes: OptOutScope[]
}

export interface ImportDisappeared {
  contactId: number
  name: string
}

/**
 * What an import did or, in a dry run, would do. The same object is the CLI's
 * `--json` output: `rows`, `valid`, `invalid`, `merged`, `landlines` and
 * `committed` are the fields scripts rely on.
 */
export interface ImportReport {
  file: string | null
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'windows-1252'
  delimiter: ',' | ';' | '\t'
  columns: ImportColumn[]
  /** Headers no field matched (the mapping step offers to assign them). */
  unknownHeaders: string[]
  /** Set when nothing could be imported; the rest of the report is then empty. */
  fatal: ImportIssue<FatalCode> | null
  /** Data rows read (blank rows are not counted). */
  rows: number
  valid: number
  invalid: ImportIssue<RowErrorCode>[]
  warnings: ImportIssue<RowWarningCode>[]
  /** Rows merged into an earlier row or into an existing contact. */
  merged: number
  merges: ImportMerge[]
  contactJoins: ImportContactJoin[]
  /** Contacts the import creates, and existing ones it updates. */
  created: number
  updated: number
  landlines: number
  landlineNumbers: ImportLandline[]
  /** Existing contacts in the file that stay opted out (an import never clears an opt-out). */
  optedOutPreserved: ImportOptOutKept[]
  list: { name: string; created: boolean; added: number } | null
  /** Sync mode: contacts the source brought before and no longer lists (nothing is deleted). */
  sync: { sourceKey: string; disappeared: ImportDisappeared[] } | null
  dryRun: boolean
  committed: boolean
}
