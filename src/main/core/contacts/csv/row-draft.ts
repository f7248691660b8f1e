import type { ImportField } from '../../../../shared/contacts/csv-fields'
import type { RowErrorCode, RowWarningCode } from '../../../../shared/contacts/import-issues'
import type { ImportIssue, ImportLandline } from '../../../../shared/contacts/import-report'
import type { OptOutScope } from '../../../../shared/contacts/types'
import { normalizePhoneCell } from '../../../../shared/contacts/phone'
import { normalizeEmail } from '../../../../shared/contacts/email'
import { normalizeTelegram } from '../../../../shared/contacts/telegram'
import { normalizeLanguage } from '../../../../shared/contacts/language'
import { parseDay } from '../../../../shared/contacts/dates'
import { foldText, tidy } from '../../../../shared/contacts/text'
import type { NewPhone } from '../contacts-repository'
import type { ContactDraft } from '../draft'
import { normalizeTag } from '../filter-sql'
import { buildSearchDoc } from '../search-doc'
import type { MappedColumn } from './map-columns'
import { issue } from './issue'
import { unguardFormula } from './export-csv'

/** Vocabularies the rows are checked against, loaded once per import. */
export interface RowContext {
  comuni: ReadonlyMap<string, { id: number; name: string }>
  roles: ReadonlyMap<string, { id: number; name: string }>
  /** Applied to rows that carry no consent of their own. */
  defaultConsent: { source: string; givenOn: string | null } | null
  /** Opt-outs without a date are dated today. */
  today: string
  /** foldText, cached for the values that repeat from row to row. */
  fold: (text: string) => string
}

export interface RowResult {
  draft: ContactDraft | null
  /** The search document for the draft, should it become a new contact. */
  doc: string | null
  errors: ImportIssue<RowErrorCode>[]
  warnings: ImportIssue<RowWarningCode>[]
  landlines: ImportLandline[]
}

const MAX = { name: 200, institution: 200, notes: 2000, text: 500 } as const

/** Words for "every channel" and "none" in an opt-out column. */
const OPT_OUT_ALL = new Set([
  'all',
  'tutti',
  'tutto',
  'tutte',
  'si',
  'yes',
  'x',
  '1',
  'true',
  'vero',
])
const OPT_OUT_NONE = new Set(['no', '0', 'false', 'falso', 'n'])
const YES = new Set(['si', 'yes', 'y', 's', 'x', '1', 'true', 'vero', 'ok'])

/**
 * Reads a WhatsApp consent cell: a yes (dated `today`, the day the file says
 * so), the day of the yes, or a no (taken back). Null when unreadable.
 */
export function parseWhatsappCell(
  cell: string,
  today: string,
): { on: string } | 'withdrawn' | null {
  const folded = foldText(cell)
  if (YES.has(folded)) return { on: today }
  if (OPT_OUT_NONE.has(folded)) return 'withdrawn'
  const on = parseDay(cell)
  return on === null ? null : { on }
}
const OPT_OUT_FAMILY: Record<string, OptOutScope> = {
  sms: 'sms',
  email: 'email',
  e: 'email',
  mail: 'email',
  posta: 'email',
  telegram: 'telegram',
}

/** Reads an opt-out cell (`sms, email`, `tutti`, `sì`, `no`) into scopes; null when unreadable. */
export function parseOptOutScopes(cell: string): OptOutScope[] | null {
  const folded = foldText(cell)
  if (folded === '' || OPT_OUT_NONE.has(folded)) return []
  if (OPT_OUT_ALL.has(folded)) return ['all']
  const scopes = new Set<OptOutScope>()
  for (const word of folded.replace(/\be mail\b/g, 'email').split(' ')) {
    const scope = OPT_OUT_ALL.has(word) ? 'all' : OPT_OUT_FAMILY[word]
    if (!scope) return null
    scopes.add(scope)
  }
  return scopes.has('all') ? ['all'] : [...scopes]
}

const splitList = (cell: string): string[] =>
  cell
    .split(/[,;|/\n]+/)
    .map((s) => tidy(s))
    .filter((s) => s !== '')

/**
 * Turns one spreadsheet row into a contact draft, or into reasons a person can
 * act on. Unknown comuni and roles are warnings (the person is still
 * reachable); an unreadable value is an error that skips the row.
 */
export function rowToDraft(
  cells: readonly string[],
  row: number,
  columns: readonly MappedColumn[],
  ctx: RowContext,
): RowResult {
  const errors: ImportIssue<RowErrorCode>[] = []
  const warnings: ImportIssue<RowWarningCode>[] = []
  const landlines: ImportLandline[] = []
  const firstHeader = new Map<ImportField, string>()
  const single = new Map<ImportField, string>()
  const phones: NewPhone[] = []
  const nationals: (string | null)[] = []
  const roleIds: number[] = []
  const roleNames: string[] = []
  const tags: string[] = []
  const notes: string[] = []
  let phoneErrors = false

  if (cells.length > columns.length && cells.slice(columns.length).some((c) => c.trim() !== '')) {
    errors.push(issue(row, null, 'extra_cells', { cells: cells.length, expected: columns.length }))
  }

  for (const col of columns) {
    const field = col.field
    const raw = cells[col.index]
    if (field === null || raw === undefined) continue
    const value = unguardFormula(raw.trim()).trim()
    if (value === '') continue
    if (!firstHeader.has(field)) firstHeader.set(field, col.header)
    switch (field) {
      case 'phone':
        for (const { text: part, phone: n } of normalizePhoneCell(value)) {
          if (!n.valid || !n.e164) {
            errors.push(issue(row, col.header, 'phone_invalid', { value: part }))
            phoneErrors = true
            continue
          }
          if (phones.some((p) => p.e164 === n.e164)) continue
          phones.push({ e164: n.e164, type: n.type, original: tidy(part) })
          nationals.push(n.national)
          if (n.type === 'landline') {
            warnings.push(issue(row, col.header, 'landline', { value: n.e164 }))
            landlines.push({ row, column: col.header, number: n.e164 })
          } else if (n.type === 'other') {
            warnings.push(issue(row, col.header, 'phone_not_mobile', { value: n.e164 }))
          }
        }
        break
      case 'roles':
        for (const name of splitList(value)) {
          const role = ctx.roles.get(ctx.fold(name))
          if (!role) warnings.push(issue(row, col.header, 'role_unknown', { value: name }))
          else if (!roleIds.includes(role.id)) {
            roleIds.push(role.id)
            roleNames.push(role.name)
          }
        }
        break
      case 'tags':
        for (const tag of splitList(value)) {
          const t = normalizeTag(tag)
          if (!tags.includes(t)) tags.push(t)
        }
        break
      case 'notes':
        notes.push(value)
        break
      default:
        single.set(field, value)
    }
  }

  // The column a value came from or, for a missing value, the column that should hold it.
  const header = (field: ImportField): string | null =>
    firstHeader.get(field) ?? columns.find((c) => c.field === field)?.header ?? null
  const get = (field: ImportField): string | null => single.get(field) ?? null
  const tooLong = (field: ImportField, text: string | null, max: number): void => {
    if (text !== null && text.length > max)
      errors.push(issue(row, header(field), 'too_long', { max }))
  }

  const name = tidy(get('name') ?? [get('firstName'), get('lastName')].filter(Boolean).join(' '))
  if (name === '') {
    errors.push(
      issue(row, header('name') ?? header('firstName') ?? header('lastName'), 'name_missing'),
    )
  }
  tooLong('name', name, MAX.name)

  let email: string | null = null
  const emailText = get('email')
  if (emailText !== null) {
    email = normalizeEmail(emailText)
    if (email === null)
      errors.push(issue(row, header('email'), 'email_invalid', { value: emailText }))
  }

  let telegram: string | null = null
  const telegramText = get('telegram')
  if (telegramText !== null) {
    telegram = normalizeTelegram(telegramText)
    if (telegram === null) {
      errors.push(issue(row, header('telegram'), 'telegram_invalid', { value: telegramText }))
    }
  }

  // A row whose only address is unreadable already says so; "no address" is for empty ones.
  if (phones.length === 0 && !phoneErrors && emailText === null && telegramText === null) {
    errors.push(issue(row, null, 'no_address'))
  }

  let comune: { id: number; name: string } | null = null
  const comuneText = get('comune')
  if (comuneText !== null) {
    comune = ctx.comuni.get(ctx.fold(comuneText)) ?? null
    if (!comune)
      warnings.push(issue(row, header('comune'), 'comune_unknown', { value: comuneText }))
  }

  let language: string | null = null
  const languageText = get('language')
  if (languageText !== null) {
    language = normalizeLanguage(languageText)
    if (language === null) {
      errors.push(issue(row, header('language'), 'language_invalid', { value: languageText }))
    }
  }

  const day = (field: ImportField): string | null => {
    const text = get(field)
    if (text === null) return null
    const parsed = parseDay(text)
    if (parsed === null) errors.push(issue(row, header(field), 'date_invalid', { value: text }))
    return parsed
  }

  const institution = get('institution') === null ? null : tidy(get('institution') as string)
  tooLong('institution', institution, MAX.institution)
  const noteText = notes.length > 0 ? notes.join('\n') : null
  tooLong('notes', noteText, MAX.notes)

  const consentSource = get('consentSource')
  const consentDate = day('consentDate')
  tooLong('consentSource', consentSource, MAX.text)
  const consent =
    consentSource !== null || consentDate !== null
      ? { source: tidy(consentSource ?? 'importazione CSV'), givenOn: consentDate }
      : ctx.defaultConsent

  let optOutScopes: OptOutScope[] = []
  const optOutText = get('optOut')
  if (optOutText !== null) {
    const parsed = parseOptOutScopes(optOutText)
    if (parsed === null)
      errors.push(issue(row, header('optOut'), 'opt_out_invalid', { value: optOutText }))
    else optOutScopes = parsed
  }
  const optOutOn = day('optOutDate') ?? ctx.today
  const optOutReason = get('optOutReason')
  tooLong('optOutReason', optOutReason, MAX.text)

  let whatsapp: { on: string } | 'withdrawn' | null = null
  const whatsappText = get('whatsapp')
  if (whatsappText !== null) {
    whatsapp = parseWhatsappCell(whatsappText, ctx.today)
    if (whatsapp === null)
      errors.push(issue(row, header('whatsapp'), 'whatsapp_invalid', { value: whatsappText }))
  }

  let prefersCall: boolean | null = null
  const prefersCallText = get('prefersCall')
  if (prefersCallText !== null) {
    const folded = foldText(prefersCallText)
    prefersCall = YES.has(folded) ? true : OPT_OUT_NONE.has(folded) ? false : null
    if (prefersCall === null)
      errors.push(
        issue(row, header('prefersCall'), 'prefers_call_invalid', { value: prefersCallText }),
      )
  }

  if (errors.length > 0) return { draft: null, doc: null, errors, warnings, landlines }

  const draft: ContactDraft = {
    name,
    phones,
    email,
    telegram,
    comuneId: comune?.id ?? null,
    roleIds,
    institution,
    language,
    tags,
    notes: noteText,
    whatsappOptInOn: whatsapp !== null && whatsapp !== 'withdrawn' ? whatsapp.on : null,
    whatsappWithdrawn: whatsapp === 'withdrawn',
    prefersCall,
    consent,
    optOuts: optOutScopes.map((scope) => ({
      scope,
      on: optOutOn,
      channel: 'importazione CSV',
      reason: optOutReason ? tidy(optOutReason) : null,
    })),
  }
  const doc = buildSearchDoc({
    name,
    email,
    telegram,
    phones: phones.map((p, i) => ({ e164: p.e164, national: nationals[i] ?? null })),
    comuneName: comune?.name ?? null,
    roles: roleNames,
    institution,
    tags,
  })
  return { draft, doc, errors, warnings, landlines }
}
