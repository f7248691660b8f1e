import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  importContacts,
  type ImportOptions,
} from '../../../src/main/core/contacts/csv/import-contacts'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import { createListsRepository } from '../../../src/main/core/lists/lists-repository'
import type { Contact } from '../../../src/shared/contacts/types'
import { InputError } from '../../../src/main/core/contacts/errors'
import { csv, fixture, tableCounts, tempWorkspace, type TempWorkspace } from './workspace'

const NOW = () => new Date(Date.UTC(2025, 1, 3, 22, 0, 0))

/** Everything a person would compare between two workspaces, ids aside. */
function snapshot(service: ContactsService, ws: TempWorkspace) {
  const ids = ws.db.prepare('SELECT id FROM contacts ORDER BY sort_key').pluck().all() as number[]
  return ids.map((id) => {
    const c = service.get(id) as Contact
    return {
      name: c.name,
      phones: c.phones.map((p) => `${p.e164}/${p.type}`),
      email: c.email,
      telegram: c.telegram,
      comune: c.comuneName,
      roles: c.roles,
      institution: c.institution,
      language: c.language,
      tags: c.tags,
      notes: c.notes,
      consents: c.consents.map((x) => [x.source, x.givenOn]),
      optOuts: c.activeOptOuts,
    }
  })
}

describe('CSV import', () => {
  let ws: TempWorkspace
  let contacts: ContactsService
  const run = (bytes: Uint8Array, options: ImportOptions = {}) =>
    importContacts(ws.db, bytes, { now: NOW, ...options })
  beforeEach(() => {
    ws = tempWorkspace()
    contacts = createContactsService(ws.db, { now: NOW })
  })
  afterEach(() => ws.cleanup())

  describe('files as offices produce them', () => {
    const others: TempWorkspace[] = []
    afterEach(() => others.splice(0).forEach((o) => o.cleanup()))

    it('reads Italian Excel (Windows-1252), UTF-8 with BOM and UTF-8 without BOM into the same contacts', () => {
      const results = ['checchi-excel-cp1252.csv', 'checchi-utf8-bom.csv', 'checchi-utf8.csv'].map(
        (name) => {
          const other = tempWorkspace()
          others.push(other)
          const report = importContacts(other.db, fixture(name), { now: NOW, fileName: name })
          return {
            report,
            contacts: snapshot(createContactsService(other.db, { now: NOW }), other),
          }
        },
      )
      expect(results.map((r) => r.report.encoding)).toEqual(['windows-1252', 'utf-8-bom', 'utf-8'])
      for (const { report } of results) {
        expect(report).toMatchObject({
          delimiter: ';',
          rows: 5,
          valid: 5,
          invalid: [],
          created: 5,
          committed: true,
        })
        expect(report.columns.map((c) => c.field)).toEqual([
          'lastName',
          'firstName',
          'phone',
          'email',
          'comune',
          'roles',
          'institution',
          'language',
        ])
        expect(report.landlineNumbers).toEqual([
          { row: 4, column: 'Cellulare', number: '+390571757111' },
        ])
      }
      expect(results[1]?.contacts).toEqual(results[0]?.contacts)
      expect(results[2]?.contacts).toEqual(results[0]?.contacts)
      expect(results[0]?.contacts).toEqual([
        expect.objectContaining({
          name: 'Andrea Cecchi',
          phones: ['+390571757111/landline'],
          roles: ['docente'],
        }),
        expect.objectContaining({
          name: 'Cosimo Mazzanti',
          phones: [],
          email: 'cosimo.mazzanti@example.org',
          roles: ['personale scolastico'],
        }),
        expect.objectContaining({
          name: 'Lucía Fabbri',
          phones: ['+393487654321/mobile'],
          language: 'es',
          comune: 'Vinci',
        }),
        expect.objectContaining({
          name: "Maria Grazia D'Angelo",
          phones: ['+393291112233/mobile'],
          email: 'maria.dangelo@example.org',
          roles: ['genitore', 'volontario'],
          comune: 'Certaldo',
        }),
        expect.objectContaining({
          name: 'Niccolò Bagnoli',
          phones: ['+393471234567/mobile'],
          institution: 'Istituto Checchi',
          language: 'it',
          comune: 'Empoli',
        }),
      ])
    })

    it('reads comma-separated English exports with quoted commas, English roles and unknown comuni', () => {
      const report = run(fixture('enriques-english-comma.csv'))
      expect(report).toMatchObject({
        encoding: 'utf-8',
        delimiter: ',',
        rows: 3,
        valid: 3,
        invalid: [],
      })
      expect(report.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
        [4, 'City', 'comune_unknown'],
      ])
      expect(report.warnings[0]?.reasonIt).toContain('Firenze')
      const people = snapshot(contacts, ws)
      expect(people).toEqual([
        expect.objectContaining({
          name: 'Chen Wei',
          phones: ['+33612345678/mobile'],
          telegram: 'chen_wei',
          comune: null,
          language: 'zh',
        }),
        expect.objectContaining({
          name: 'Emily Smith',
          phones: ['+393205550001/mobile'],
          roles: ['docente'],
          language: 'en',
        }),
        expect.objectContaining({
          name: 'Rossi, Mario',
          telegram: 'mario_rossi',
          roles: ['genitore'],
          notes: 'Allergic to peanuts, see file',
        }),
      ])
    })

    it('keeps quoted newlines inside a cell and counts rows as the spreadsheet shows them', () => {
      const report = run(fixture('quoted-newlines.csv'))
      expect(report).toMatchObject({ rows: 3, valid: 3, landlines: 1 })
      expect(report.landlineNumbers).toEqual([
        { row: 2, column: 'Telefono', number: '+390571222333' },
      ])
      const people = snapshot(contacts, ws)
      expect(people.map((p) => p.name)).toEqual([
        'Giulia Bartolini',
        'Paolo Innocenti',
        'Sara Gori',
      ])
      expect(people[0]?.notes).toBe('Mamma di Luca (3ªB);\r\nchiamare dopo le 17')
      expect(people[0]?.phones).toEqual(['+393470001111/mobile', '+390571222333/landline'])
    })

    it('asks for a mapping when headers are unknown, then imports with it', () => {
      const first = run(fixture('unknown-headers.csv'), { dryRun: true })
      expect(first.fatal).toMatchObject({ code: 'no_name_column', row: 0 })
      expect(first.unknownHeaders).toEqual(['Genitore', 'Cell. mamma', 'Posta', 'Paese', 'Classe'])
      expect(first.committed).toBe(false)
      const mapped = run(fixture('unknown-headers.csv'), {
        mapping: { Genitore: 'name', 'Cell. mamma': 'phone', Posta: 'email', Paese: 'comune' },
      })
      expect(mapped).toMatchObject({
        valid: 2,
        created: 2,
        committed: true,
        unknownHeaders: ['Classe'],
      })
      expect(mapped.warnings.map((w) => w.code)).toEqual(['column_ignored'])
      expect(snapshot(contacts, ws).map((p) => [p.name, p.comune])).toEqual([
        ['Laura Ciampi', 'Cerreto Guidi'],
        ['Marco Giannini', 'Gambassi Terme'],
      ])
    })

    it('refuses an empty file and does nothing with a header-only one', () => {
      const empty = run(fixture('empty.csv'))
      expect(empty.fatal?.code).toBe('empty_file')
      expect(empty.fatal?.reasonIt).toContain('vuoto')
      expect(empty.committed).toBe(false)
      const headerOnly = run(fixture('header-only.csv'))
      expect(headerOnly).toMatchObject({
        fatal: null,
        rows: 0,
        valid: 0,
        created: 0,
        committed: true,
      })
      expect(tableCounts(ws.db).contacts).toBe(0)
    })

    it('accepts short rows, refuses rows with extra filled cells', () => {
      const report = run(fixture('ragged.csv'))
      expect(report).toMatchObject({ rows: 4, valid: 3, created: 3 })
      expect(report.invalid.map((i) => [i.row, i.column, i.code])).toEqual([
        [4, null, 'extra_cells'],
      ])
      expect(report.invalid[0]?.reason).toBe(
        'The row has 6 cells but the header has 4: perhaps a separator inside an unquoted value.',
      )
    })

    it('recovers a quote never closed at its line end, reports the row and reads the rest', () => {
      const report = run(fixture('unclosed-quote.csv'), { dryRun: true })
      expect(report).toMatchObject({ rows: 3, valid: 3, invalid: [] })
      expect(report.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
        [3, 'Nominativo', 'quote_recovered'],
      ])
      expect(report.warnings[0]?.reasonIt).toBe(
        'Virgolette non chiuse: la riga è stata letta come testo fino a fine riga (le virgolette restano nel valore). Controlla i valori di questa riga.',
      )
    })
  })

  describe('invalid rows', () => {
    it('names row, column and a reason a person understands, in English and Italian', () => {
      const report = run(fixture('invalid-rows.csv'), { dryRun: true })
      expect(report.rows).toBe(11)
      expect(report.valid).toBe(2)
      expect(report.invalid.map((i) => [i.row, i.column, i.code])).toEqual([
        [3, 'Nominativo', 'name_missing'],
        [4, 'Telefono', 'phone_invalid'],
        [5, 'E-mail', 'email_invalid'],
        [6, null, 'no_address'],
        [7, 'Telegram', 'telegram_invalid'],
        [8, 'Lingua', 'language_invalid'],
        [9, 'Data consenso', 'date_invalid'],
        [10, 'Opt-out', 'opt_out_invalid'],
        [11, 'Telefono', 'phone_invalid'],
      ])
      expect(report.invalid[1]).toMatchObject({
        reason: '"12345" is not a valid phone number.',
        reasonIt: '"12345" non è un numero di telefono valido.',
      })
      expect(report.landlineNumbers).toEqual([
        { row: 12, column: 'Telefono', number: '+390552345678' },
      ])
      expect(tableCounts(ws.db).contacts).toBe(0)
    })

    it('commits the valid rows, or nothing at all in strict mode', () => {
      const strict = run(fixture('invalid-rows.csv'), { strict: true })
      expect(strict).toMatchObject({
        committed: false,
        valid: 2,
        fatal: { code: 'strict_invalid_rows', params: { count: 9 } },
      })
      expect(tableCounts(ws.db).contacts).toBe(0)
      const lenient = run(fixture('invalid-rows.csv'))
      expect(lenient).toMatchObject({ committed: true, created: 2 })
      const valid = snapshot(contacts, ws)
      expect(valid.map((p) => p.name)).toEqual(['Fisso Solo', 'Valido Uno'])
      expect(valid[1]?.consents).toEqual([['Modulo iscrizione 2024/25', '2024-09-01']])
    })
  })

  describe('duplicates', () => {
    it('merges rows sharing a number or an e-mail, and shows each merge', () => {
      const report = run(fixture('duplicates.csv'))
      expect(report).toMatchObject({ rows: 6, valid: 6, created: 2, updated: 0, merged: 4 })
      expect(report.merges.map((m) => [m.row, m.into, m.by])).toEqual([
        [3, { kind: 'row', row: 2 }, 'phone'],
        [4, { kind: 'row', row: 2 }, 'phone'],
        [6, { kind: 'row', row: 5 }, 'email'],
        [7, { kind: 'row', row: 5 }, 'phone'],
      ])
      // What a later row said differently is shown, not dropped unseen.
      expect(report.merges.map((m) => m.changes)).toEqual([
        [{ field: 'name', from: 'M. Rossi', to: 'Mario Rossi' }],
        [],
        [{ field: 'name', from: 'Giovanna Neri (lavoro)', to: 'Giovanna Neri' }],
        [{ field: 'name', from: 'Giovanna N.', to: 'Giovanna Neri' }],
      ])
      const people = snapshot(contacts, ws)
      expect(people).toEqual([
        expect.objectContaining({
          name: 'Giovanna Neri',
          phones: ['+393337654321/mobile'],
          email: 'giovanna.neri@example.org',
          roles: ['docente', 'genitore'],
        }),
        expect.objectContaining({
          name: 'Mario Rossi',
          phones: ['+393471234567/mobile'],
          email: 'mario.rossi@example.org',
          roles: ['genitore', 'volontario'],
        }),
      ])
    })

    it('merges rows into contacts already in the workspace, with the changes they bring', () => {
      const existing = contacts.create({
        name: 'Mario Rossi',
        phones: ['347 123 4567'],
        roles: ['sindaco'],
      }).contact
      const report = run(fixture('duplicates.csv'))
      expect(report).toMatchObject({ created: 1, updated: 1, merged: 5 })
      const intoContact = report.merges.filter((m) => m.into.kind === 'contact')
      expect(intoContact.map((m) => m.row)).toEqual([2, 3, 4])
      expect(intoContact[0]).toMatchObject({
        into: { kind: 'contact', contactId: existing.id, name: 'Mario Rossi' },
        by: 'phone',
        value: '+393471234567',
        changes: [{ field: 'email', from: null, to: 'mario.rossi@example.org' }],
      })
      const mario = contacts.get(existing.id)
      expect(mario?.roles).toEqual(['genitore', 'sindaco', 'volontario'])
      expect(tableCounts(ws.db).contacts).toBe(2)
    })

    it('joins two existing contacts the file proves to be one person', () => {
      const byPhone = contacts.create({ name: 'G. Neri', phones: ['333 765 4321'] }).contact
      const byMail = contacts.create({
        name: 'Giovanna N.',
        email: 'giovanna.neri@example.org',
      }).contact
      const report = run(
        csv('Nominativo;Telefono;E-mail\nGiovanna Neri;333 765 4321;giovanna.neri@example.org\n'),
      )
      expect(report.contactJoins).toEqual([
        { row: 2, intoContactId: byPhone.id, mergedContactIds: [byMail.id] },
      ])
      expect(contacts.get(byMail.id)).toBeNull()
      expect(contacts.get(byPhone.id)).toMatchObject({
        name: 'Giovanna Neri',
        email: 'giovanna.neri@example.org',
      })
    })
  })

  describe('dry run and commit', () => {
    it('a dry run reports exactly what the commit then does, and changes nothing', () => {
      contacts.create({ name: 'Mario Rossi', phones: ['347 123 4567'] })
      const before = tableCounts(ws.db)
      const dry = run(fixture('duplicates.csv'), { dryRun: true, list: 'Genitori' })
      expect(tableCounts(ws.db)).toEqual(before)
      expect(dry).toMatchObject({ dryRun: true, committed: false })
      const real = run(fixture('duplicates.csv'), { list: 'Genitori' })
      expect({ ...real, dryRun: true, committed: false }).toEqual(dry)
      expect(real.list).toEqual({ name: 'Genitori', created: true, added: 2 })
    })

    it('a failure half-way through the commit leaves the workspace exactly as it was', () => {
      contacts.create({ name: 'Mario Rossi', phones: ['347 123 4567'], roles: ['sindaco'] })
      const before = tableCounts(ws.db)
      const marioBefore = snapshot(contacts, ws)
      // A real SQLite failure on the third person, after two have been written.
      ws.db
        .exec(`CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON contacts WHEN NEW.name = 'Sara Gori'
        BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
      expect(() =>
        run(fixture('quoted-newlines.csv'), { list: 'Nuova lista', sourceKey: 'sync-x' }),
      ).toThrow(/disk full/)
      expect(tableCounts(ws.db)).toEqual(before)
      expect(snapshot(contacts, ws)).toEqual(marioBefore)
      expect(createListsRepository(ws.db).byName('Nuova lista')).toBeNull()
      ws.db.exec('DROP TRIGGER fail_midway')
      expect(run(fixture('quoted-newlines.csv')).committed).toBe(true)
      expect(tableCounts(ws.db).contacts).toBe(4)
    })
  })

  describe('opt-outs and consent', () => {
    it('never clears an opt-out and reports the opted-out people it met', () => {
      const c = contacts.create({ name: 'Mario Rossi', phones: ['347 123 4567'] }).contact
      contacts.recordOptOut(c.id, { scope: 'sms', reason: 'STOP' })
      const report = run(
        csv(
          'Nominativo;Telefono;Opt-out;Consenso;Data consenso\nMario Rossi;347 123 4567;no;Modulo 2025;01/02/2025\n',
        ),
      )
      expect(report.optedOutPreserved).toEqual([
        { row: 2, contactId: c.id, name: 'Mario Rossi', scopes: ['sms'] },
      ])
      const after = contacts.get(c.id)
      expect(after?.activeOptOuts).toEqual(['sms'])
      expect(after?.consents.map((x) => x.source)).toEqual(['Modulo 2025'])
    })

    it('records opt-outs and consent given in the file, once', () => {
      const text = csv(
        'Nominativo;Telefono;Opt-out;Data opt-out;Motivo opt-out;Consenso;Data consenso\n' +
          'Anna Pucci;347 100 2000;sms, email;15/01/2025;non vuole SMS;Modulo 2024;01/09/2024\n',
      )
      run(text)
      run(text)
      const anna = snapshot(contacts, ws)[0]
      expect(anna?.optOuts).toEqual(['email', 'sms'])
      expect(anna?.consents).toEqual([['Modulo 2024', '2024-09-01']])
      const history = ws.db
        .prepare('SELECT scope, on_day, reason FROM opt_outs ORDER BY scope')
        .all()
      expect(history).toEqual([
        { scope: 'email', on_day: '2025-01-15', reason: 'non vuole SMS' },
        { scope: 'sms', on_day: '2025-01-15', reason: 'non vuole SMS' },
      ])
    })

    it('applies a default consent to rows that carry none, and refuses an unreadable one', () => {
      expect(() =>
        run(fixture('ragged.csv'), {
          defaultConsent: { source: 'Iscrizione', givenOn: '31/02/2024' },
        }),
      ).toThrow(InputError)
      expect(tableCounts(ws.db).contacts).toBe(0)
      run(fixture('ragged.csv'), {
        defaultConsent: { source: 'Iscrizione Istituto Checchi', givenOn: '15/09/2024' },
      })
      const people = snapshot(contacts, ws)
      expect(people).toHaveLength(3)
      for (const p of people)
        expect(p.consents).toEqual([['Iscrizione Istituto Checchi', '2024-09-15']])
    })
  })

  describe('target list and nightly sync', () => {
    it('puts everyone imported in a static list, creating it once', () => {
      const report = run(fixture('checchi-utf8.csv'), { list: 'Genitori — Istituto Checchi' })
      expect(report.list).toEqual({ name: 'Genitori — Istituto Checchi', created: true, added: 5 })
      const again = run(fixture('checchi-utf8.csv'), { list: 'genitori — istituto checchi' })
      expect(again.list).toEqual({ name: 'genitori — istituto checchi', created: false, added: 0 })
      const lists = createListsRepository(ws.db)
      const list = lists.byName('Genitori — Istituto Checchi')
      expect(lists.members(list?.id ?? 0).items).toHaveLength(5)
    })

    it('refuses to fill a dynamic list', () => {
      createListsRepository(ws.db).create({ kind: 'dynamic', name: 'Tutti', filter: {} })
      const report = run(fixture('checchi-utf8.csv'), { list: 'Tutti' })
      expect(report.fatal?.code).toBe('list_is_dynamic')
      expect(tableCounts(ws.db).contacts).toBe(0)
    })

    it('updates known people, reports who disappeared since the last import, and deletes no one', () => {
      const options = { sourceKey: 'checchi-genitori', list: 'Genitori — Istituto Checchi' }
      const first = run(fixture('checchi-utf8.csv'), options)
      expect(first.sync).toEqual({ sourceKey: 'checchi-genitori', disappeared: [] })
      const fabbri = ws.db
        .prepare("SELECT id FROM contacts WHERE name = 'Lucía Fabbri'")
        .pluck()
        .get() as number
      contacts.recordOptOut(fabbri, { scope: 'all', reason: 'trasferita' })

      const tonight = csv(
        'Cognome;Nome;Cellulare;E-mail;Comune;Ruolo;Scuola\n' +
          'Bagnoli;Niccolò;347 123 4567;niccolo.nuova@example.org;Empoli;Genitore;Istituto Checchi\n' +
          'Cecchi;Andrea;0571 757111;andrea.cecchi@example.org;Fucecchio;docente;Istituto Checchi\n' +
          "D'Angelo;Maria Grazia;0039 3291112233;maria.dangelo@example.org;Certaldo;Genitore;Istituto Checchi\n" +
          'Mazzanti;Cosimo;;cosimo.mazzanti@example.org;Montelupo Fiorentino;personale scolastico;Istituto Checchi\n' +
          'Nuovi;Arrivati;320 000 0001;;Vinci;Genitore;Istituto Checchi\n',
      )
      const second = run(tonight, options)
      expect(second).toMatchObject({ created: 1, updated: 4, merged: 0 })
      expect(second.sync?.disappeared).toEqual([{ contactId: fabbri, name: 'Lucía Fabbri' }])
      expect(contacts.get(fabbri)).toMatchObject({ name: 'Lucía Fabbri', activeOptOuts: ['all'] })
      const bagnoli = contacts.search({ query: 'Bagnoli' }).items[0]
      expect(bagnoli?.email).toBe('niccolo.nuova@example.org')

      const third = run(tonight, { ...options, dropDisappearedFromList: true })
      expect(third.sync?.disappeared).toEqual([])
      const list = createListsRepository(ws.db).byName('Genitori — Istituto Checchi')
      expect(
        createListsRepository(ws.db)
          .members(list?.id ?? 0)
          .items.map((i) => i.name),
      ).toContain('Lucía Fabbri')
    })

    it('can take people who disappeared off the target list, keeping them as contacts', () => {
      // One of three is over the 20% guard: the operator confirms the number the report showed.
      const options = {
        sourceKey: 'enriques',
        list: 'Enriques',
        dropDisappearedFromList: true,
        confirmRemoval: 1,
      }
      run(fixture('enriques-english-comma.csv'), options)
      const report = run(
        csv('Name,Phone\n"Rossi, Mario",+39 347 111 2222\nEmily Smith,(+39) 320 555 0001\n'),
        options,
      )
      expect(report.sync?.disappeared.map((d) => d.name)).toEqual(['Chen Wei'])
      const lists = createListsRepository(ws.db)
      const members = lists.members(lists.byName('Enriques')?.id ?? 0).items.map((i) => i.name)
      expect(members).toEqual(['Emily Smith', 'Rossi, Mario'])
      expect(contacts.search({ query: 'Chen' }).items).toHaveLength(1)
    })
  })

  describe('a file read to its end, and a sync that cannot empty a list by mistake', () => {
    const header = 'Cognome;Nome;Cellulare;Ruolo;Scuola\n'
    const parent = (i: number) =>
      `Genitore${i};Nome${i};347 ${String(1_000_000 + i)};Genitore;Istituto Checchi`
    const roster = (n: number, edit: (i: number, line: string) => string | null = (_, l) => l) =>
      csv(
        header +
          Array.from({ length: n }, (_, i) => edit(i, parent(i)))
            .filter((l): l is string => l !== null)
            .join('\n') +
          '\n',
      )
    const sync = { sourceKey: 'checchi-genitori', list: 'Genitori', dropDisappearedFromList: true }
    const members = () =>
      ws.db
        .prepare(
          "SELECT count(*) FROM list_members m JOIN lists l ON l.id = m.list_id WHERE l.name = 'Genitori'",
        )
        .pluck()
        .get()
    const present = () =>
      ws.db.prepare('SELECT count(*) FROM import_source_contacts WHERE present = 1').pluck().get()

    it('a stray quote at row 7 of 1,000 parents takes nobody off "Genitori"', () => {
      expect(run(roster(1000), sync)).toMatchObject({ valid: 1000, committed: true })
      expect(members()).toBe(1000)
      // Row 7 is the sixth parent (the header is row 1); its surname opens a quote never closed.
      const broken = roster(1000, (i, line) => (i === 5 ? `"${line}` : line))
      const report = run(broken, sync)
      expect(report).toMatchObject({ rows: 1000, valid: 1000, invalid: [], committed: true })
      expect(report.sync?.disappeared).toEqual([])
      expect(report.warnings.map((w) => [w.row, w.code])).toEqual([[7, 'quote_recovered']])
      expect(members()).toBe(1000)
      expect(present()).toBe(1000)
    })

    it('keeps nearly everyone when the quote swallows the file, because the guard refuses', () => {
      // Even were the file cut short, 995 leaving at once is refused until confirmed.
      run(roster(1000), sync)
      const before = tableCounts(ws.db)
      const cut = roster(1000, (i, line) => (i < 5 ? line : null))
      const report = run(cut, sync)
      expect(report.fatal).toMatchObject({
        code: 'sync_removal_unconfirmed',
        params: { count: 995, total: 1000, percent: 99.5, max: 20, source: 'checchi-genitori' },
      })
      expect(report.fatal?.reasonIt).toBe(
        '995 contatti sparirebbero dall’elenco “checchi-genitori” (99,5% di 1000, oltre il limite del 20%): nulla è stato salvato e nessuno è stato tolto. Se è giusto, conferma il numero 995.',
      )
      expect(report.committed).toBe(false)
      expect(tableCounts(ws.db)).toEqual(before)
      expect(members()).toBe(1000)
    })

    it('lets a fifth disappear, refuses more until the operator confirms that very number', () => {
      run(roster(10), sync)
      const marks = ws.db.prepare('SELECT count(*) FROM import_runs').pluck()
      // 2 of 10 leave: 20%, within the share.
      const twoGone = run(
        roster(10, (i, l) => (i < 2 ? null : l)),
        sync,
      )
      expect(twoGone).toMatchObject({ fatal: null, committed: true })
      expect(members()).toBe(8)

      run(roster(10), sync)
      expect(members()).toBe(10)
      const before = tableCounts(ws.db)
      const people = snapshot(contacts, ws)
      // 3 of 10 leave, and the file renames the others: nothing of it is saved unconfirmed.
      const threeGone = roster(10, (i, l) => (i < 3 ? null : l.replace('Nome', 'Altro')))
      const dry = run(threeGone, { ...sync, dryRun: true })
      expect(dry.fatal).toMatchObject({
        code: 'sync_removal_unconfirmed',
        params: { count: 3, total: 10, percent: 30 },
      })
      expect(dry.sync?.disappeared.map((d) => d.name)).toEqual([
        'Nome0 Genitore0',
        'Nome1 Genitore1',
        'Nome2 Genitore2',
      ])
      const runsBefore = marks.get()
      for (const attempt of [{}, { confirmRemoval: 2 }, { confirmRemoval: 30 }]) {
        const report = run(threeGone, { ...sync, ...attempt })
        expect(report.committed).toBe(false)
        expect(report.fatal?.code).toBe(
          'confirmRemoval' in attempt ? 'sync_removal_mismatch' : 'sync_removal_unconfirmed',
        )
        expect(tableCounts(ws.db)).toEqual(before)
        expect(snapshot(contacts, ws)).toEqual(people)
      }
      expect(marks.get()).toBe(runsBefore)
      expect(run(threeGone, { ...sync, confirmRemoval: 2 }).fatal?.reason).toBe(
        '2 disappearing contacts were confirmed, but 3 would disappear from the list “checchi-genitori” (30% of 10): nothing was saved. Check the report and confirm the right number.',
      )

      const confirmed = run(threeGone, { ...sync, confirmRemoval: 3 })
      expect(confirmed).toMatchObject({ fatal: null, committed: true, updated: 7 })
      expect(members()).toBe(7)
    })

    it('takes a larger share from the caller, and refuses a share that is not one', () => {
      run(roster(10), sync)
      const report = run(
        roster(10, (i, l) => (i < 4 ? null : l)),
        { ...sync, maxRemovalShare: 0.5 },
      )
      expect(report).toMatchObject({ fatal: null, committed: true })
      expect(members()).toBe(6)
      expect(() => run(roster(10), { ...sync, maxRemovalShare: 20 })).toThrow(InputError)
    })

    it('refuses as a whole a file whose header cannot be read, committing nothing', () => {
      run(roster(10), sync)
      const before = tableCounts(ws.db)
      const report = run(csv('"Cognome;Nome;Cellulare\nRossi;Mario;347 111 2222\n'), sync)
      expect(report.fatal?.code).toBe('header_quote_unclosed')
      expect(report).toMatchObject({ rows: 0, committed: false })
      expect(tableCounts(ws.db)).toEqual(before)
      expect(members()).toBe(10)
    })
  })
})
