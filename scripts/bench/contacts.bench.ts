import type Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../../src/main/core/db/open'
import {
  createContactsService,
  generateContacts,
  generatedContactsCsv,
  importContacts,
} from '../../src/main/core/contacts'

const N = 100_000
const SEARCHES = 400

/**
 * Contacts: importing 100,000 generated contacts (parse + validate + insert)
 * beside SQLite's raw insert of the same rows into the same tables in one
 * transaction; and search latency over them.
 */
export async function run(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-bench-contacts-'))
  try {
    const people = generateContacts(N, 42)
    const csv = Buffer.from(generatedContactsCsv(people), 'utf8')
    const db = openDatabase(join(dir, 'import.sqlite'))
    const t0 = performance.now()
    const report = importContacts(db, csv, { fileName: 'bench.csv' })
    const importSeconds = (performance.now() - t0) / 1000
    if (!report.committed) throw new Error('the benchmark import did not commit')
    const importRate = report.rows / importSeconds

    // Raw: the very rows the import wrote (contacts, phones, search documents),
    // inserted with prepared statements into a fresh workspace, one transaction.
    const rawDb = openDatabase(join(dir, 'raw.sqlite'))
    const rawRate = rawInsertRate(db, rawDb) * (report.rows / Math.max(1, countContacts(db)))
    rawDb.close()

    const service = createContactsService(db)
    const queries = searchQueries(people)
    const times: number[] = []
    for (let i = 0; i < SEARCHES; i++) {
      const q = queries[i % queries.length]!
      const s = performance.now()
      service.search({ query: q, limit: 50 })
      times.push(performance.now() - s)
    }
    db.close()
    times.sort((a, b) => a - b)
    const pct = (p: number) =>
      times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!
    return {
      contacts_rows: report.rows,
      contacts_import_rows_per_s: Math.round(importRate),
      contacts_raw_insert_rows_per_s: Math.round(rawRate),
      contacts_import_ratio_to_raw: Number((importRate / rawRate).toFixed(3)),
      contacts_search_p50_ms: Number(pct(50).toFixed(2)),
      contacts_search_p95_ms: Number(pct(95).toFixed(2)),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

type Person = ReturnType<typeof generateContacts>[number]
type Row = Record<string, unknown>

const countContacts = (db: Database.Database) =>
  (db.prepare('SELECT count(*) AS n FROM contacts').get() as { n: number }).n

/** Rows per second (contacts, with their phones and search document) for a plain insert. */
function rawInsertRate(from: Database.Database, to: Database.Database): number {
  const contacts = from.prepare('SELECT * FROM contacts ORDER BY id').all() as Row[]
  const phones = from.prepare('SELECT * FROM contact_phones').all() as Row[]
  const byContact = new Map<unknown, Row[]>()
  for (const p of phones) byContact.set(p.contact_id, [...(byContact.get(p.contact_id) ?? []), p])
  const docs = contacts.map((c) =>
    [
      c.name,
      c.email,
      c.institution,
      ...(byContact.get(c.id) ?? []).map((p) => `${p.e164} ${p.original}`),
    ]
      .filter(Boolean)
      .join(' '),
  )
  const insertContact =
    to.prepare(`INSERT INTO contacts (id, name, sort_key, email, telegram, comune_id,
      institution, institution_key, language, notes, created_at, updated_at)
    VALUES (@id, @name, @sort_key, @email, @telegram, @comune_id, @institution, @institution_key,
      @language, @notes, @created_at, @updated_at)`)
  const insertPhone = to.prepare(
    'INSERT INTO contact_phones (contact_id, e164, type, original, position) VALUES (@contact_id, @e164, @type, @original, @position)',
  )
  const insertDoc = to.prepare('INSERT INTO contact_search (rowid, doc) VALUES (?, ?)')
  const t0 = performance.now()
  to.transaction(() => {
    contacts.forEach((c, i) => {
      insertContact.run(c)
      for (const p of byContact.get(c.id) ?? []) insertPhone.run(p)
      insertDoc.run(c.id, docs[i])
    })
  })()
  return contacts.length / ((performance.now() - t0) / 1000)
}

/** What an operator types: surnames, number fragments, e-mail starts, comuni, roles. */
function searchQueries(people: Person[]): string[] {
  const out: string[] = []
  for (let i = 0; i < people.length && out.length < 200; i += 997) {
    const p = people[i]!
    out.push(
      p.name.split(' ').at(-1)!,
      (p.phones?.[0] ?? '').slice(-7),
      (p.email ?? '').slice(0, 5),
    )
  }
  return [...out.filter(Boolean), 'Empoli', 'genitore', 'Checchi', 'ross', '347']
}
