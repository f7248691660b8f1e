import {
  IMPORT_FIELDS,
  MULTI_COLUMN_FIELDS,
  matchHeader,
  type ImportField,
} from '../../../../shared/contacts/csv-fields'
import type { FatalCode, IssueParams } from '../../../../shared/contacts/import-issues'

export interface MappedColumn {
  index: number
  header: string
  field: ImportField | null
}

/** The caller's answer to the mapping step: file header → field, or null to ignore it. */
export type ColumnMapping = Record<string, ImportField | null>

export interface ColumnPlan {
  columns: MappedColumn[]
  unknownHeaders: string[]
  /** Columns ignored because an earlier one already fills their single-valued field. */
  duplicateHeaders: string[]
  fatal: { code: FatalCode; params: IssueParams } | null
}

/**
 * Assigns each column a field: the caller's explicit mapping first, then the
 * Italian/English aliases. Says what stays unknown, and refuses a file with no
 * name column or no column to reach people by.
 */
export function mapColumns(header: readonly string[], mapping: ColumnMapping = {}): ColumnPlan {
  for (const [name, field] of Object.entries(mapping)) {
    if (!header.includes(name)) {
      return {
        columns: [],
        unknownHeaders: [],
        duplicateHeaders: [],
        fatal: { code: 'mapping_unknown_header', params: { header: name } },
      }
    }
    if (field !== null && !(IMPORT_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`unknown import field "${field}"`)
    }
  }
  const used = new Set<ImportField>()
  const unknownHeaders: string[] = []
  const duplicateHeaders: string[] = []
  const columns = header.map((h, index): MappedColumn => {
    let field = h in mapping ? (mapping[h] ?? null) : matchHeader(h)
    if (field === null) {
      if (!(h in mapping)) unknownHeaders.push(h)
    } else if (used.has(field) && !MULTI_COLUMN_FIELDS.has(field)) {
      duplicateHeaders.push(h)
      field = null
    } else {
      used.add(field)
    }
    return { index, header: h, field }
  })
  // A lone "Nome" column holds the whole name.
  if (!used.has('name') && used.has('firstName') && !used.has('lastName')) {
    for (const c of columns) if (c.field === 'firstName') c.field = 'name'
    used.add('name')
  }
  let fatal: ColumnPlan['fatal'] = null
  if (!used.has('name') && !used.has('firstName') && !used.has('lastName')) {
    fatal = { code: 'no_name_column', params: {} }
  } else if (!used.has('phone') && !used.has('email') && !used.has('telegram')) {
    fatal = { code: 'no_address_column', params: {} }
  }
  return { columns, unknownHeaders, duplicateHeaders, fatal }
}
