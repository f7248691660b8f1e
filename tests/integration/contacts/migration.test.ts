import { afterEach, describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { migrate } from '../../../src/main/core/db/migrate'
import { MIGRATIONS } from '../../../src/main/core/db/migrations'
import { tempWorkspace, type TempWorkspace } from './workspace'

const CIRCONDARIO = [
  ['Capraia e Limite', '048008'],
  ['Castelfiorentino', '048010'],
  ['Cerreto Guidi', '048011'],
  ['Certaldo', '048012'],
  ['Empoli', '048014'],
  ['Fucecchio', '048019'],
  ['Gambassi Terme', '048020'],
  ['Montaione', '048027'],
  ['Montelupo Fiorentino', '048028'],
  ['Montespertoli', '048030'],
  ['Vinci', '048050'],
]

describe('migration 002: contacts, lists, comuni, partners', () => {
  let ws: TempWorkspace | undefined
  afterEach(() => ws?.cleanup())

  it('seeds a new workspace with the eleven comuni of the Circondario and their ISTAT codes', () => {
    ws = tempWorkspace()
    const rows = ws.db.prepare('SELECT name, istat_code, province FROM comuni ORDER BY name').all()
    expect(rows).toEqual(
      CIRCONDARIO.map(([name, istat]) => ({ name, istat_code: istat, province: 'FI' })),
    )
  })

  it('seeds the role vocabulary and the two partner high schools', () => {
    ws = tempWorkspace()
    const roles = ws.db.prepare('SELECT name FROM roles').pluck().all()
    expect(roles).toEqual(
      expect.arrayContaining([
        'genitore',
        'docente',
        'personale scolastico',
        'volontario',
        'sindaco',
        'tecnico comunale',
      ]),
    )
    const partners = ws.db.prepare('SELECT name, relay_mode FROM partners ORDER BY name').all()
    expect(partners).toEqual([
      { name: 'Istituto Checchi', relay_mode: 'message_admins' },
      { name: 'Istituto Enriques', relay_mode: 'message_admins' },
    ])
  })

  it('makes every new table STRICT and enforces its rules', () => {
    ws = tempWorkspace()
    const tables = [
      'comuni',
      'roles',
      'contacts',
      'contact_phones',
      'contact_roles',
      'contact_tags',
      'consents',
      'opt_outs',
      'lists',
      'list_members',
      'partners',
      'partner_pages',
      'partner_admins',
      'import_sources',
      'import_source_contacts',
      'import_runs',
    ]
    const list = ws.db.prepare('PRAGMA table_list').all() as { name: string; strict: number }[]
    for (const t of tables)
      expect({ t, strict: list.find((r) => r.name === t)?.strict }).toEqual({ t, strict: 1 })
    const db = ws.db
    expect(() =>
      db
        .prepare(
          "INSERT INTO contacts (name, sort_key, comune_id, created_at, updated_at) VALUES ('x', 'x', 'Empoli', 'x', 'x')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO lists (name, kind, created_at, updated_at) VALUES ('x', 'dynamic', 'x', 'x')",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO comuni (name, name_key, istat_code, created_at, updated_at) VALUES ('x', 'x', '48A14', 'x', 'x')",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/)
  })

  it('runs on a fresh in-memory database too', () => {
    const db = new Database(':memory:')
    try {
      migrate(db, MIGRATIONS)
      expect(db.prepare('SELECT count(*) FROM comuni').pluck().get()).toBe(11)
      expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2)
    } finally {
      db.close()
    }
  })
})
