import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Papa from 'papaparse'
import { exportContactsCsv, EXPORT_HEADERS } from '../../../src/main/core/contacts/csv/export-csv'
import { importContacts } from '../../../src/main/core/contacts/csv/import-contacts'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import { comuneId, fixture, tempWorkspace, type TempWorkspace } from './workspace'

const NOW = () => new Date(Date.UTC(2025, 1, 3, 22, 0, 0))

describe('CSV export', () => {
  let ws: TempWorkspace
  let other: TempWorkspace | undefined
  let contacts: ContactsService
  beforeEach(() => {
    ws = tempWorkspace()
    contacts = createContactsService(ws.db, { now: NOW })
  })
  afterEach(() => {
    ws.cleanup()
    other?.cleanup()
  })

  const parse = (text: string) =>
    Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ';' }).data

  it('writes UTF-8 with BOM, semicolons, and every field under Italian headers', () => {
    contacts.create({
      name: 'Niccolò Bagnoli',
      phones: ['347 123 4567', '0571 757111'],
      email: 'nb@example.org',
      telegram: 'nbagnoli',
      comuneId: comuneId(ws.db, 'Empoli'),
      roles: ['genitore', 'volontario'],
      institution: 'Istituto Checchi',
      language: 'ro',
      tags: ['3b'],
      notes: 'riga uno\nriga due',
      consent: { source: 'Modulo 2024', givenOn: '2024-09-01' },
      whatsappOptInOn: '2024-09-02',
      prefersCall: true,
    })
    const { text, contacts: count } = exportContactsCsv(ws.db)
    expect(count).toBe(1)
    expect(text.startsWith('\uFEFFNominativo;Telefoni;E-mail;')).toBe(true)
    const [header, row] = parse(text)
    expect(header).toEqual([...EXPORT_HEADERS])
    expect(row).toEqual([
      'Niccolò Bagnoli',
      "'+393471234567, +390571757111",
      'nb@example.org',
      'nbagnoli',
      'Empoli',
      'genitore, volontario',
      'Istituto Checchi',
      'ro',
      '3b',
      'Modulo 2024',
      '2024-09-01',
      '',
      '',
      '',
      'riga uno\nriga due',
      '2024-09-02',
      'sì',
    ])
  })

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const payloads = [
      '=HYPERLINK("http://evil.example","x")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
    ]
    payloads.forEach((notes, i) => {
      const { contact } = contacts.create({ name: `Persona ${i}`, email: `p${i}@example.org` })
      // Forms and imports trim values; write the raw text so tab and CR starts are covered too.
      ws.db.prepare('UPDATE contacts SET notes = ? WHERE id = ?').run(notes, contact.id)
    })
    contacts.create({ name: '=cmd|/C calc!A0', email: 'evil@example.org' })
    const rows = parse(exportContactsCsv(ws.db).text).slice(1)
    const cells = rows.flat().filter((c) => c !== '')
    for (const cell of cells) expect(cell).not.toMatch(/^[=+\-@\t\r]/)
    expect(rows.find((r) => r[2] === 'evil@example.org')?.[0]).toBe("'=cmd|/C calc!A0")
    expect(
      rows
        .map((r) => r[14])
        .filter(Boolean)
        .sort(),
    ).toEqual(payloads.map((p) => `'${p}`).sort())
  })

  it('round-trips through the importer: a fresh workspace gets the same people, opt-outs included', () => {
    importContacts(ws.db, fixture('checchi-excel-cp1252.csv'), { now: NOW })
    importContacts(ws.db, fixture('enriques-english-comma.csv'), { now: NOW })
    const mario = contacts.search({ query: 'Rossi' }).items[0]
    contacts.recordOptOut(mario?.id ?? 0, {
      scope: 'sms',
      on: '2025-01-20',
      reason: 'STOP via SMS',
    })
    const tricky = contacts.create({
      name: '@Strano',
      email: 'strano@example.org',
      notes: '=1+1 e "virgolette"; punto e virgola',
    })
    expect(tricky.merge).toBeNull()

    other = tempWorkspace()
    const exported = exportContactsCsv(ws.db).text
    const report = importContacts(other.db, new TextEncoder().encode(exported), { now: NOW })
    expect(report).toMatchObject({ invalid: [], unknownHeaders: [], created: 9, committed: true })
    const view = (db: TempWorkspace['db']) => {
      const service = createContactsService(db)
      return (
        db.prepare('SELECT id FROM contacts ORDER BY sort_key').pluck().all() as number[]
      ).map((id) => {
        const c = service.get(id)
        return [
          c?.name,
          c?.phones.map((p) => [p.e164, p.type]),
          c?.email,
          c?.telegram,
          c?.comuneName,
          c?.roles,
          c?.institution,
          c?.language,
          c?.tags,
          c?.notes,
          c?.activeOptOuts,
          c?.consents[0]?.source ?? null,
          c?.optOuts.filter((o) => !o.liftedAt).map((o) => [o.on, o.reason]),
        ]
      })
    }
    expect(view(other.db)).toEqual(view(ws.db))
  })
})
