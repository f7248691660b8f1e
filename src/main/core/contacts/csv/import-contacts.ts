import type { Db } from '../../db/open'
import type {
  ImportIssue,
  ImportLandline,
  ImportReport,
} from '../../../../shared/contacts/import-report'
import type {
  FatalCode,
  IssueParams,
  RowErrorCode,
  RowWarningCode,
} from '../../../../shared/contacts/import-issues'
import type { FieldChange } from '../../../../shared/contacts/types'
import { parseDay } from '../../../../shared/contacts/dates'
import { foldText, tidy } from '../../../../shared/contacts/text'
import { createContactsRepository } from '../contacts-repository'
import { createDraftWriter } from '../save-draft'
import { readCsv } from './read-csv'
import { mapColumns, type ColumnMapping } from './map-columns'
import { rowToDraft, type RowContext } from './row-draft'
import { planImport, type ImportPlan, type RowDraft } from './plan-import'
import { issue } from './issue'
import { createFoldCache } from '../fold-cache'
import { toRomeIso } from '../../../../shared/time'
import { ImportCancelledError, InputError } from '../errors'
import type { FieldIssue } from '../../../../shared/validation/issues'

export interface ImportOptions {
  /** Shown in the report and kept in the import history. */
  fileName?: string
  /** The mapping step's answer for headers the importer does not know (or maps wrongly). */
  mapping?: ColumnMapping
  /** Report only; the workspace is not touched. */
  dryRun?: boolean
  /** Commit nothing when any row is invalid. */
  strict?: boolean
  /** Name of a static list every imported person joins (created when missing). */
  list?: string
  /** Sync mode: the source this file comes from (e.g. `checchi-genitori`), to report who disappeared. */
  sourceKey?: string
  /** In sync mode, also take people who disappeared off the target list (they stay contacts). */
  dropDisappearedFromList?: boolean
  /**
   * In sync mode, the largest share (0–1) of the source's people that may
   * disappear in one import without the operator confirming the number
   * (default {@link DEFAULT_MAX_REMOVAL_SHARE}).
   */
  maxRemovalShare?: number
  /** The operator's confirmation: the number of people the report said would disappear. */
  confirmRemoval?: number
  /** Consent recorded for rows that carry none (e.g. the school's enrolment form). */
  defaultConsent?: { source: string; givenOn?: string }
  now?: () => Date
  /**
   * Told every few hundred rows checked and written, for a progress bar.
   * Called synchronously from inside the work: keep it cheap.
   */
  onProgress?: (progress: ImportProgress) => void
  /**
   * Asked as often as `onProgress` and once more just before the commit: true
   * stops the import with an {@link ImportCancelledError}, and nothing is saved.
   */
  isCancelled?: () => boolean
}

/** How far an import has gone: rows of the file checked, then valid rows written. */
export interface ImportProgress {
  phase: 'checking' | 'writing'
  rowsDone: number
  rows: number
}

/** Rows between two progress reports and cancel checks: often enough, never per row. */
const PROGRESS_EVERY = 256

/** Throws when the operator asked to stop: before the commit this undoes everything. */
function stopIfCancelled(options: ImportOptions): void {
  if (options.isCancelled?.()) throw new ImportCancelledError()
}

interface ParsedFile {
  report: ImportReport
  rows: RowDraft[]
  ctx: RowContext | null
}

const emptyReport = (options: ImportOptions): ImportReport => ({
  file: options.fileName ?? null,
  encoding: 'utf-8',
  delimiter: ';',
  columns: [],
  unknownHeaders: [],
  fatal: null,
  rows: 0,
  valid: 0,
  invalid: [],
  warnings: [],
  merged: 0,
  merges: [],
  contactJoins: [],
  created: 0,
  updated: 0,
  landlines: 0,
  landlineNumbers: [],
  optedOutPreserved: [],
  list: null,
  sync: null,
  dryRun: options.dryRun ?? false,
  committed: false,
})

const fatalIssue = (code: FatalCode, params: IssueParams = {}) => issue(0, null, code, params)

/** A school's roster loses a few families a night; a fifth gone at once is a broken file until someone says otherwise. */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.2

/**
 * The sync guard: refuses a plan in which more than `maxShare` of the people
 * the source listed would disappear, unless the operator confirmed exactly
 * that number. A file cut short, a wrong export or a wrong key look like this.
 */
function removalRefusal(
  disappeared: number,
  listed: number,
  options: ImportOptions,
): ImportIssue<FatalCode> | null {
  const maxShare = options.maxRemovalShare ?? DEFAULT_MAX_REMOVAL_SHARE
  if (!options.sourceKey || disappeared === 0 || disappeared <= maxShare * listed) return null
  if (options.confirmRemoval === disappeared) return null
  const params = {
    count: disappeared,
    total: listed,
    percent: Math.round((disappeared / listed) * 1000) / 10,
    max: Math.round(maxShare * 1000) / 10,
    source: options.sourceKey,
  }
  return options.confirmRemoval === undefined
    ? fatalIssue('sync_removal_unconfirmed', params)
    : fatalIssue('sync_removal_mismatch', { ...params, given: options.confirmRemoval })
}

function checkRemovalOptions(options: ImportOptions): void {
  const issues: FieldIssue[] = []
  const share = options.maxRemovalShare
  if (share !== undefined && !(share >= 0 && share <= 1))
    issues.push({ path: 'maxRemovalShare', code: 'range' })
  const confirm = options.confirmRemoval
  if (confirm !== undefined && !(Number.isInteger(confirm) && confirm >= 0))
    issues.push({ path: 'confirmRemoval', code: 'number' })
  if (issues.length > 0) throw new InputError(issues)
}

/**
 * Imports contacts from a CSV file as offices produce it. Always plans first
 * (the dry-run report: valid and invalid rows, merges, landlines, opt-outs
 * kept, who disappeared in sync mode); unless `dryRun`, then applies the plan
 * in one transaction: all of it or, on any failure, nothing.
 */
export function importContacts(
  db: Db,
  bytes: Uint8Array,
  options: ImportOptions = {},
): ImportReport {
  const now = options.now ?? (() => new Date())
  checkRemovalOptions(options)
  const parsed = parseFile(db, bytes, options, now())
  const { report } = parsed
  if (report.fatal || !parsed.ctx) return report

  const lookups = createLookups(db, options.sourceKey)
  const listSql = {
    byName: db.prepare('SELECT id, kind FROM lists WHERE name = ? COLLATE NOCASE'),
    isMember: db.prepare('SELECT 1 FROM list_members WHERE list_id = ? AND contact_id = ?').pluck(),
  }
  const listName = options.list ? tidy(options.list) : null
  const findList = () =>
    listName
      ? (listSql.byName.get(listName) as { id: number; kind: string } | undefined)
      : undefined

  const describePlan = (plan: ImportPlan): void => {
    report.merges = plan.merges
    report.merged = plan.merges.length
    report.contactJoins = plan.contactJoins
    report.created = plan.created
    report.updated = plan.updated
    report.optedOutPreserved = plan.optedOutPreserved
    report.sync = options.sourceKey
      ? { sourceKey: options.sourceKey, disappeared: plan.disappeared }
      : null
    if (listName) {
      const list = findList()
      const added = plan.groups.filter(
        (g) =>
          !list || !g.existingIds.some((id) => listSql.isMember.get(list.id, id) !== undefined),
      ).length
      report.list = { name: listName, created: !list, added }
    }
  }

  if (listName && findList()?.kind === 'dynamic') {
    report.fatal = fatalIssue('list_is_dynamic', { list: listName })
    return report
  }

  /** The plan, and the sync guard's refusal of it (null when it may go ahead). */
  const makePlan = (): { plan: ImportPlan; refusal: ImportIssue<FatalCode> | null } => {
    const planLookups = lookups.plan(parsed.rows.length)
    const plan = planImport(parsed.rows, planLookups)
    let listed = 0
    for (const link of planLookups.sourceContacts.values()) if (link.present) listed++
    return { plan, refusal: removalRefusal(plan.disappeared.length, listed, options) }
  }

  const invalidRows = new Set(report.invalid.map((i) => i.row)).size
  if (options.dryRun || (options.strict && invalidRows > 0)) {
    // A read transaction: the plan sees one consistent state of the workspace.
    db.transaction(() => {
      const { plan, refusal } = makePlan()
      describePlan(plan)
      if (options.dryRun) report.fatal = refusal
    })()
    if (options.strict && invalidRows > 0 && !options.dryRun) {
      report.fatal = fatalIssue('strict_invalid_rows', { count: invalidRows })
    }
    return report
  }

  withLargeCache(db, parsed.rows.length, () =>
    db
      .transaction(() => {
        const at = now().toISOString()
        const { plan, refusal } = makePlan()
        describePlan(plan)
        // Refused before the first write: the transaction commits nothing.
        if (refusal) {
          report.fatal = refusal
          return
        }
        const applied = applyPlan(
          db,
          plan,
          {
            at,
            listName,
            sourceKey: options.sourceKey ?? null,
            dropDisappeared: options.dropDisappearedFromList ?? false,
          },
          options,
        )
        // The writer's real changes replace the planner's forecast.
        for (const m of report.merges) {
          if (m.into.kind === 'contact') m.changes = applied.changesByRow.get(m.row) ?? m.changes
        }
        if (report.list) report.list.added = applied.listAdded
        applied.recordRun({
          fileName: options.fileName ?? null,
          rows: report.rows,
          valid: report.valid,
          invalid: invalidRows,
          created: report.created,
          updated: report.updated,
          merged: report.merged,
          disappeared: plan.disappeared.length,
        })
        // The last moment a cancel can still undo everything: the commit follows.
        stopIfCancelled(options)
      })
      .immediate(),
  )
  report.committed = report.fatal === null
  return report
}

/** Page cache for a big commit: its indexes stay in memory instead of spilling (about 15% faster). */
const LARGE_CACHE_KIB = 65_536

/** Runs `fn` with a large page cache when the file is big, restoring the connection's own after. */
function withLargeCache<T>(db: Db, rows: number, fn: () => T): T {
  if (rows < PRELOAD_KEYS_FROM_ROWS) return fn()
  const previous = db.pragma('cache_size', { simple: true }) as number
  db.pragma(`cache_size = -${LARGE_CACHE_KIB}`)
  try {
    return fn()
  } finally {
    db.pragma(`cache_size = ${previous}`)
  }
}

/** Decodes, maps and validates every row; fills the row-level part of the report. */
function parseFile(db: Db, bytes: Uint8Array, options: ImportOptions, now: Date): ParsedFile {
  const report = emptyReport(options)
  const table = readCsv(bytes)
  if (!table) {
    report.fatal = fatalIssue('empty_file')
    return { report, rows: [], ctx: null }
  }
  if ('refused' in table) {
    report.fatal = fatalIssue(table.refused)
    return { report, rows: [], ctx: null }
  }
  report.encoding = table.encoding
  report.delimiter = table.delimiter
  const columnPlan = mapColumns(table.header, options.mapping)
  report.columns = columnPlan.columns.map(({ header, field }) => ({ header, field }))
  report.unknownHeaders = columnPlan.unknownHeaders
  if (columnPlan.fatal) {
    report.fatal = fatalIssue(columnPlan.fatal.code, columnPlan.fatal.params)
    return { report, rows: [], ctx: null }
  }
  const warnings: ImportIssue<RowWarningCode>[] = columnPlan.unknownHeaders
    .concat(columnPlan.duplicateHeaders)
    .map((header) => issue(0, header, 'column_ignored', { header }))
  const invalid: ImportIssue<RowErrorCode>[] = []
  const landlines: ImportLandline[] = []
  const recoveredCell = new Map(table.recovered.map((r) => [r.row, r.cell]))

  const defaultConsent = options.defaultConsent ? checkDefaultConsent(options.defaultConsent) : null
  const ctx: RowContext = {
    comuni: vocabulary(db, 'SELECT id, name FROM comuni'),
    roles: roleVocabulary(db),
    defaultConsent,
    // The office's day, not UTC's: an import at 00:30 in Rome is dated that day.
    today: toRomeIso(now).slice(0, 10),
    fold: createFoldCache(),
  }

  const rows: RowDraft[] = []
  const records = table.records.length
  table.records.forEach((cells, i) => {
    if (i % PROGRESS_EVERY === 0) {
      stopIfCancelled(options)
      options.onProgress?.({ phase: 'checking', rowsDone: i, rows: records })
    }
    if (cells.every((c) => c.trim() === '')) return
    const row = i + 2
    report.rows++
    const cell = recoveredCell.get(row)
    if (cell !== undefined) {
      warnings.push(issue(row, table.header[cell] ?? null, 'quote_recovered'))
    }
    const result = rowToDraft(cells, row, columnPlan.columns, ctx)
    warnings.push(...result.warnings)
    if (result.draft) {
      rows.push({ row, draft: result.draft, doc: result.doc })
      landlines.push(...result.landlines)
    } else {
      invalid.push(...result.errors)
    }
  })
  stopIfCancelled(options)
  options.onProgress?.({ phase: 'checking', rowsDone: records, rows: records })
  report.valid = rows.length
  report.invalid = invalid
  report.warnings = warnings
  report.landlineNumbers = landlines
  report.landlines = landlines.length
  return { report, rows, ctx }
}

/** The caller's default consent must be as readable as a row's. */
function checkDefaultConsent(consent: { source: string; givenOn?: string }): {
  source: string
  givenOn: string | null
} {
  const source = tidy(consent.source)
  const givenOn = consent.givenOn ? parseDay(consent.givenOn) : null
  const issues: FieldIssue[] = []
  if (source === '') issues.push({ path: 'defaultConsent.source', code: 'required' })
  if (consent.givenOn && givenOn === null)
    issues.push({ path: 'defaultConsent.givenOn', code: 'invalid' })
  if (issues.length > 0) throw new InputError(issues)
  return { source, givenOn }
}

function vocabulary(db: Db, sql: string): Map<string, { id: number; name: string }> {
  const rows = db.prepare(sql).all() as { id: number; name: string }[]
  return new Map(rows.map((r) => [foldText(r.name), r]))
}

/** Roles by Italian name and by English label (`genitore`, `parent`). */
function roleVocabulary(db: Db): Map<string, { id: number; name: string }> {
  const rows = db.prepare('SELECT id, name, label_en FROM roles').all() as {
    id: number
    name: string
    label_en: string | null
  }[]
  const map = new Map<string, { id: number; name: string }>()
  for (const r of rows) if (r.label_en) map.set(foldText(r.label_en), { id: r.id, name: r.name })
  // Italian names win over an English label that happens to match another role.
  for (const r of rows) map.set(foldText(r.name), { id: r.id, name: r.name })
  return map
}

/** Above this many rows, the planner reads every number and e-mail once instead of row by row. */
const PRELOAD_KEYS_FROM_ROWS = 1000

/** Read-only lookups for the planner, including the sync source's known contacts. */
function createLookups(db: Db, sourceKey: string | undefined) {
  const repo = createContactsRepository(db)
  const sourceLinks = db.prepare(`
    SELECT isc.contact_id, isc.present FROM import_source_contacts isc
    JOIN import_sources s ON s.id = isc.source_id WHERE s.key = ? COLLATE NOCASE`)
  const allPhones = db.prepare('SELECT e164, contact_id FROM contact_phones').raw()
  const allEmails = db.prepare('SELECT email, id FROM contacts WHERE email IS NOT NULL').raw()
  return {
    plan: (rowCount: number) => {
      const links = sourceKey
        ? (sourceLinks.all(sourceKey) as { contact_id: number; present: number }[])
        : []
      // One scan beats 200,000 point queries for a big file; a small one asks per key.
      const bulk = rowCount >= PRELOAD_KEYS_FROM_ROWS
      const phones = bulk ? new Map(allPhones.all() as [string, number][]) : null
      const emails = bulk ? new Map(allEmails.all() as [string, number][]) : null
      return {
        idByPhone: phones ? (e164: string) => phones.get(e164) : repo.idByPhone,
        idByEmail: emails ? (email: string) => emails.get(email) : repo.idByEmail,
        fields: repo.fields,
        activeOptOuts: repo.activeOptOuts,
        sourceContacts: new Map(links.map((l) => [l.contact_id, { present: l.present === 1 }])),
      }
    },
  }
}

interface ApplyContext {
  at: string
  listName: string | null
  sourceKey: string | null
  dropDisappeared: boolean
}

interface RunSummary {
  fileName: string | null
  rows: number
  valid: number
  invalid: number
  created: number
  updated: number
  merged: number
  disappeared: number
}

interface Applied {
  listAdded: number
  changesByRow: Map<number, FieldChange[]>
  /** Keeps the run in the import history. */
  recordRun(summary: RunSummary): void
}

/** Writes a plan. Runs inside the import's transaction: any throw undoes everything. */
function applyPlan(
  db: Db,
  plan: ImportPlan,
  ctx: ApplyContext,
  hooks: Pick<ImportOptions, 'onProgress' | 'isCancelled'>,
): Applied {
  const repo = createContactsRepository(db)
  const writer = createDraftWriter(db, repo)
  const s = {
    listByName: db.prepare('SELECT id FROM lists WHERE name = ? COLLATE NOCASE').pluck(),
    createList: db.prepare(
      "INSERT INTO lists (name, kind, filter, description, created_at, updated_at) VALUES (?, 'static', NULL, NULL, ?, ?)",
    ),
    addMember: db.prepare(
      "INSERT OR IGNORE INTO list_members (list_id, contact_id, source, added_at) VALUES (?, ?, 'import', ?)",
    ),
    removeMember: db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?'),
    sourceByKey: db.prepare('SELECT id FROM import_sources WHERE key = ? COLLATE NOCASE').pluck(),
    createSource: db.prepare('INSERT INTO import_sources (key, created_at) VALUES (?, ?)'),
    touchSource: db.prepare('UPDATE import_sources SET last_import_at = ? WHERE id = ?'),
    seen: db.prepare(`
      INSERT INTO import_source_contacts (source_id, contact_id, present, first_seen_at, last_seen_at, gone_at)
      VALUES (@sourceId, @contactId, 1, @at, @at, NULL)
      ON CONFLICT (source_id, contact_id) DO UPDATE SET present = 1, last_seen_at = @at, gone_at = NULL`),
    gone: db.prepare(
      'UPDATE import_source_contacts SET present = 0, gone_at = ? WHERE source_id = ? AND contact_id = ?',
    ),
    run: db.prepare(`
      INSERT INTO import_runs (source_id, list_id, file_name, at, rows, valid, invalid, created, updated,
        merged, disappeared)
      VALUES (@sourceId, @listId, @fileName, @at, @rows, @valid, @invalid, @created, @updated,
        @merged, @disappeared)`),
  }

  let listId: number | null = null
  if (ctx.listName) {
    listId =
      (s.listByName.get(ctx.listName) as number | undefined) ??
      Number(s.createList.run(ctx.listName, ctx.at, ctx.at).lastInsertRowid)
  }
  let sourceId: number | null = null
  if (ctx.sourceKey) {
    sourceId =
      (s.sourceByKey.get(ctx.sourceKey) as number | undefined) ??
      Number(s.createSource.run(ctx.sourceKey, ctx.at).lastInsertRowid)
    s.touchSource.run(ctx.at, sourceId)
  }

  const applied: Applied = {
    listAdded: 0,
    changesByRow: new Map(),
    recordRun: (summary) => s.run.run({ ...summary, sourceId, listId, at: ctx.at }),
  }
  const contactNoteRows = new Set(
    plan.merges.filter((m) => m.into.kind === 'contact').map((m) => m.row),
  )
  const rows = plan.groups.reduce((n, g) => n + g.rows.length, 0)
  let rowsDone = 0
  plan.groups.forEach((group, i) => {
    if (i % PROGRESS_EVERY === 0) {
      stopIfCancelled(hooks)
      hooks.onProgress?.({ phase: 'writing', rowsDone, rows })
    }
    rowsDone += group.rows.length
    const saved = writer.save(
      group.draft,
      group.existingIds,
      ctx.at,
      { kind: 'overlay' },
      group.doc ?? undefined,
    )
    const noted = group.rows.find((r) => contactNoteRows.has(r.row))
    if (noted) applied.changesByRow.set(noted.row, saved.changes)
    if (listId !== null)
      applied.listAdded += s.addMember.run(listId, saved.contactId, ctx.at).changes
    if (sourceId !== null) s.seen.run({ sourceId, contactId: saved.contactId, at: ctx.at })
  })
  hooks.onProgress?.({ phase: 'writing', rowsDone, rows })
  if (sourceId !== null) {
    for (const d of plan.disappeared) {
      s.gone.run(ctx.at, sourceId, d.contactId)
      if (ctx.dropDisappeared && listId !== null) s.removeMember.run(listId, d.contactId)
    }
  }
  return applied
}
