import Papa from 'papaparse'
import type { Db } from '../../db/open'

/**
 * Column headers of an export, in Italian (the office's language). Each is an
 * alias the importer knows, so an export imports back as it was.
 */
export const EXPORT_HEADERS = [
  'Nominativo',
  'Telefoni',
  'E-mail',
  'Telegram',
  'Comune',
  'Ruoli',
  'Istituto',
  'Lingua',
  'Tag',
  'Consenso',
  'Data consenso',
  'Opt-out',
  'Data opt-out',
  'Motivo opt-out',
  'Note',
  // Last, so sheets built on earlier exports keep their columns where they were.
  'Consenso WhatsApp',
  'Preferisce chiamata',
] as const

/** A cell starting with one of these is a formula to Excel, LibreOffice and Sheets. */
const FORMULA_START = /^[=+\-@\t\r]/

interface ExportRow {
  name: string
  phones: string | null
  email: string | null
  telegram: string | null
  comune: string | null
  roles: string | null
  institution: string | null
  language: string
  tags: string | null
  consent_source: string | null
  consent_on: string | null
  opt_outs: string | null
  opt_out_on: string | null
  opt_out_reason: string | null
  whatsapp_opt_in_at: string | null
  prefers_call: number
  notes: string | null
}

/**
 * Every contact with every field, as CSV for Excel: UTF-8 with BOM, `;`
 * separated, CRLF. Cells that a spreadsheet would run as a formula (starting
 * with = + - @, tab or CR) are prefixed with `'`; the importer removes it.
 * Consent and opt-out columns hold the latest consent and the active opt-outs;
 * "Consenso WhatsApp" the day of the person's yes to WhatsApp.
 */
export function exportContactsCsv(db: Db): { text: string; contacts: number } {
  const rows = db
    .prepare(
      `
      SELECT c.name, c.email, c.telegram, m.name AS comune, c.institution, c.language, c.notes,
        c.whatsapp_opt_in_at, c.prefers_call,
        (SELECT group_concat(e164, ', ') FROM (
          SELECT e164 FROM contact_phones WHERE contact_id = c.id ORDER BY position)) AS phones,
        (SELECT group_concat(name, ', ') FROM (
          SELECT r.name FROM contact_roles cr JOIN roles r ON r.id = cr.role_id
          WHERE cr.contact_id = c.id ORDER BY r.name_key)) AS roles,
        (SELECT group_concat(tag, ', ') FROM (
          SELECT tag FROM contact_tags WHERE contact_id = c.id ORDER BY tag)) AS tags,
        (SELECT source FROM consents WHERE contact_id = c.id ORDER BY id DESC LIMIT 1) AS consent_source,
        (SELECT given_on FROM consents WHERE contact_id = c.id ORDER BY id DESC LIMIT 1) AS consent_on,
        (SELECT group_concat(scope, ', ') FROM (
          SELECT DISTINCT scope FROM opt_outs WHERE contact_id = c.id AND lifted_at IS NULL
          ORDER BY scope)) AS opt_outs,
        (SELECT on_day FROM opt_outs WHERE contact_id = c.id AND lifted_at IS NULL
          ORDER BY id DESC LIMIT 1) AS opt_out_on,
        (SELECT reason FROM opt_outs WHERE contact_id = c.id AND lifted_at IS NULL
          ORDER BY id DESC LIMIT 1) AS opt_out_reason
      FROM contacts c LEFT JOIN comuni m ON m.id = c.comune_id
      ORDER BY c.sort_key, c.id`,
    )
    .all() as ExportRow[]
  const data = rows.map((r) => [
    r.name,
    r.phones,
    r.email,
    r.telegram,
    r.comune,
    r.roles,
    r.institution,
    r.language,
    r.tags,
    r.consent_source,
    r.consent_on,
    r.opt_outs,
    r.opt_out_on,
    r.opt_out_reason,
    r.notes,
    r.whatsapp_opt_in_at,
    r.prefers_call === 1 ? 'sì' : '',
  ])
  const csv = Papa.unparse(
    { fields: [...EXPORT_HEADERS], data },
    { delimiter: ';', newline: '\r\n', escapeFormulae: FORMULA_START },
  )
  return { text: `\uFEFF${csv}\r\n`, contacts: rows.length }
}

/** Undoes the exporter's formula guard on a cell read back (`'=SUM(…)` → `=SUM(…)`). */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell
}
