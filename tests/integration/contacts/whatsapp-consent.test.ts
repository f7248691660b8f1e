import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import Papa from 'papaparse'
import { importContacts } from '../../../src/main/core/contacts/csv/import-contacts'
import { exportContactsCsv } from '../../../src/main/core/contacts/csv/export-csv'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import { InputError } from '../../../src/main/core/contacts/errors'
import { describeImportIssue } from '../../../src/shared/contacts/import-issues'
import { csv, tempWorkspace, type TempWorkspace } from './workspace'

// 00:30 in Rome on 4 February is still 3 February in UTC: the yes is dated Rome's day.
let clock = new Date('2025-02-03T23:30:00Z')
const NOW = () => clock

describe('WhatsApp consent on a contact', () => {
  let ws: TempWorkspace
  let contacts: ContactsService
  const run = (text: string) => importContacts(ws.db, csv(text), { now: NOW })
  const byName = (name: string) => {
    const id = ws.db.prepare('SELECT id FROM contacts WHERE name = ?').pluck().get(name) as number
    return contacts.get(id)!
  }

  beforeEach(() => {
    clock = new Date('2025-02-03T23:30:00Z')
    ws = tempWorkspace()
    contacts = createContactsService(ws.db, { now: NOW })
  })
  afterEach(() => ws.cleanup())

  it('is read from an import column as yes (dated that day in Rome), a date, or no', () => {
    const report = run(
      [
        'Nominativo;Cellulare;Consenso WhatsApp',
        'Anna Rossi;347 000 0001;sì',
        'Bruno Neri;347 000 0002;15/01/2025',
        'Carla Bini;347 000 0003;no',
        'Dario Lupi;347 000 0004;',
        'Elena Costa;347 000 0005;forse',
      ].join('\n'),
    )
    expect(byName('Anna Rossi').whatsappOptInOn).toBe('2025-02-04')
    expect(byName('Bruno Neri').whatsappOptInOn).toBe('2025-01-15')
    expect(byName('Carla Bini').whatsappOptInOn).toBeNull()
    expect(byName('Dario Lupi').whatsappOptInOn).toBeNull()
    // An unreadable answer is a row error a person can act on, not a silent no.
    expect(report.invalid).toEqual([
      expect.objectContaining({ row: 6, code: 'whatsapp_invalid', params: { value: 'forse' } }),
    ])
    const issue = report.invalid[0]!
    expect(describeImportIssue(issue.code, issue.params, 'it')).toBe(
      '"forse" non dice se la persona vuole gli avvisi su WhatsApp: scrivi sì, no o la data del consenso (31/01/2024).',
    )
  })

  it('keeps the first day of a yes when the nightly file says yes again, and takes it back on a no', () => {
    run('Nominativo;Cellulare;WhatsApp\nAnna Rossi;347 000 0001;sì')
    clock = new Date('2025-03-10T08:00:00Z')
    const again = run('Nominativo;Cellulare;WhatsApp\nAnna Rossi;347 000 0001;si')
    expect(byName('Anna Rossi').whatsappOptInOn).toBe('2025-02-04')
    // Nothing changes on the contact: the re-import is an echo, not a new consent.
    expect(again.merges.flatMap((m) => m.changes)).toEqual([])
    // A file without the column says nothing about WhatsApp: the yes stays.
    run('Nominativo;Cellulare\nAnna Rossi;347 000 0001')
    expect(byName('Anna Rossi').whatsappOptInOn).toBe('2025-02-04')
    run('Nominativo;Cellulare;WhatsApp\nAnna Rossi;347 000 0001;no')
    expect(byName('Anna Rossi').whatsappOptInOn).toBeNull()
  })

  it('is set and taken back on the form; an edit that leaves it out keeps it', () => {
    const { contact } = contacts.create({
      name: 'Anna Rossi',
      phones: ['347 000 0001'],
      whatsappOptInOn: '2025-01-20',
    })
    expect(contact.whatsappOptInOn).toBe('2025-01-20')
    expect(
      contacts.update(contact.id, { name: 'Anna Rossi', phones: ['347 000 0001'] }).contact
        .whatsappOptInOn,
    ).toBe('2025-01-20')
    expect(
      contacts.update(contact.id, {
        name: 'Anna Rossi',
        phones: ['347 000 0001'],
        whatsappOptInOn: null,
      }).contact.whatsappOptInOn,
    ).toBeNull()
    try {
      contacts.update(contact.id, { name: 'Anna Rossi', whatsappOptInOn: '31/02/2025' })
      expect.unreachable('an impossible day was accepted')
    } catch (err) {
      expect(err).toBeInstanceOf(InputError)
      expect((err as InputError).issues).toEqual([
        expect.objectContaining({ path: 'whatsappOptInOn' }),
      ])
    }
    expect(contacts.get(contact.id)?.whatsappOptInOn).toBeNull()
  })

  it('goes out in the export and comes back the same', () => {
    contacts.create({ name: 'Anna Rossi', phones: ['347 000 0001'], whatsappOptInOn: '2025-01-20' })
    contacts.create({ name: 'Bruno Neri', phones: ['347 000 0002'] })
    const text = exportContactsCsv(ws.db).text
    const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { delimiter: ';' }).data
    const col = rows[0]!.indexOf('Consenso WhatsApp')
    expect(col).toBeGreaterThan(-1)
    expect(rows.slice(1, 3).map((r) => [r[0], r[col]])).toEqual([
      ['Anna Rossi', '2025-01-20'],
      ['Bruno Neri', ''],
    ])
    const other = tempWorkspace()
    try {
      importContacts(other.db, csv(text), { now: NOW })
      const got = other.db
        .prepare('SELECT name, whatsapp_opt_in_at FROM contacts ORDER BY name')
        .all()
      expect(got).toEqual([
        { name: 'Anna Rossi', whatsapp_opt_in_at: '2025-01-20' },
        { name: 'Bruno Neri', whatsapp_opt_in_at: null },
      ])
    } finally {
      other.cleanup()
    }
  })

  it('survives a merge: a duplicate that said yes brings its yes to the contact that stays', () => {
    contacts.create({ name: 'Anna Rossi', email: 'anna@example.org' })
    contacts.create({ name: 'Anna R.', phones: ['347 000 0001'], whatsappOptInOn: '2025-01-20' })
    const merged = contacts.create({
      name: 'Anna Rossi',
      phones: ['347 000 0001'],
      email: 'anna@example.org',
    })
    expect(merged.merge?.mergedContactIds).toHaveLength(1)
    expect(merged.contact.whatsappOptInOn).toBe('2025-01-20')
  })
})
