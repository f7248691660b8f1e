import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import {
  createDrill,
  deleteDrill,
  drillFile,
  drillsDir,
  listDrills,
  openDrill,
} from '../../../src/main/core/drills/drill-files'
import {
  createDrillMetaRepository,
  isDrillDatabase,
} from '../../../src/main/core/drills/drill-meta'
import { DRILL_EMPTIED_TABLES, DRILL_KEPT_TABLES } from '../../../src/main/core/drills/drill-tables'
import { loadScenarioFile } from '../../../src/main/core/drills/scenario-loader'
import { CoreError } from '../../../src/main/core/errors'
import { workspaceFile } from '../../../src/main/core/workspace'
import type { Scenario } from '../../../src/shared/drills/scenario'

const SECRET = Buffer.from('kf1:SEGRETO-DA-NON-COPIARE-7f3a9c')
const NOW = '2026-01-13T12:00:00.000Z'

const snow = (() => {
  const load = loadScenarioFile(
    resolve(__dirname, '../../../resources/scenarios/neve-arancione-empolese.yaml'),
  )
  if (!load.ok) throw new Error('the snow scenario must load')
  return load.scenario
})()

/** A real workspace with configuration, a secret and some operational history. */
function seed(db: Db): void {
  db.transaction(() => {
    const account = db
      .prepare(
        `INSERT INTO channel_accounts (kind, name, enabled, settings, created_at, updated_at)
         VALUES ('sms_gateway', 'SMS Circondario', 1, ?, ?, ?)`,
      )
      .run(
        JSON.stringify({
          baseUrl: 'https://api.skebby.it/API/v1.0/REST/',
          username: 'pc',
          sender: 'ProtCiv',
        }),
        NOW,
        NOW,
      )
    const accountId = Number(account.lastInsertRowid)
    db.prepare(
      "INSERT INTO channel_secrets (account_id, name, ciphertext) VALUES (?, 'password', ?)",
    ).run(accountId, SECRET)
    db.prepare(
      'INSERT INTO channel_health (account_id, last_check_at, last_check_ok) VALUES (?, ?, 1)',
    ).run(accountId, NOW)
    const contact = db
      .prepare(
        "INSERT INTO contacts (name, sort_key, email, created_at, updated_at) VALUES ('Maria Rossi', 'maria rossi', 'maria@example.it', ?, ?)",
      )
      .run(NOW, NOW)
    const contactId = Number(contact.lastInsertRowid)
    db.prepare(
      "INSERT INTO contact_phones (contact_id, e164, type, original, position) VALUES (?, '+393331234567', 'mobile', '333 1234567', 0)",
    ).run(contactId)
    db.prepare(
      "INSERT INTO contact_search (rowid, doc) VALUES (?, 'maria rossi 393331234567')",
    ).run(contactId)
    const list = db
      .prepare(
        "INSERT INTO lists (name, kind, created_at, updated_at) VALUES ('Genitori — Istituto Checchi', 'static', ?, ?)",
      )
      .run(NOW, NOW)
    db.prepare(
      "INSERT INTO list_members (list_id, contact_id, source, added_at) VALUES (?, ?, 'manual', ?)",
    ).run(list.lastInsertRowid, contactId, NOW)
    db.prepare(
      "INSERT INTO templates (id, name, kind, level, variants, created_at, updated_at) VALUES ('neve-arancione', 'Neve arancione', 'neve', 'arancione', '{}', ?, ?)",
    ).run(NOW, NOW)
    db.prepare(
      "INSERT INTO room_layouts (operator, layout, updated_at) VALUES ('mario', '{}', ?)",
    ).run(NOW)
    const source = db
      .prepare(
        `INSERT INTO feed_sources (name, kind, url, interval_s, enabled, etag, next_poll_at, created_at, updated_at)
         VALUES ('CFR Toscana', 'cap', 'https://example.org/cap.xml', 300, 1, '"abc"', ?, ?, ?)`,
      )
      .run(NOW, NOW, NOW)
    db.prepare(
      `INSERT INTO feed_items (source_id, external_id, hash, fetched_at, sent, kind, level, headline, payload)
       VALUES (?, 'b1', 'h1', ?, ?, 'neve', 'giallo', 'Allerta gialla', '{}')`,
    ).run(source.lastInsertRowid, NOW, NOW)
    const alert = db
      .prepare(
        `INSERT INTO alerts (identifier, kind, level, comuni, valid_from, valid_to, headline, description, instruction,
           msg_type, texts, targets, status, mode, created_by, created_at, updated_at, confirmed_by, confirmed_at)
         VALUES ('vedetta-1', 'neve', 'arancione', '[]', ?, ?, 'Neve', 'Neve', 'Prudenza', 'Alert', '{}', '{}', 'done', 'real',
           'mario', ?, ?, 'mario', ?)`,
      )
      .run(NOW, NOW, NOW, NOW, NOW)
    db.prepare(
      `INSERT INTO outbox (alert_id, account_id, contact_id, destination_type, address, idempotency_key, state,
         attempts, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, 'person', '+393331234567', 'k1', 'sent', 1, 0, 0, 0)`,
    ).run(alert.lastInsertRowid, accountId, contactId)
    db.prepare(
      "INSERT INTO relay_requests (alert_id, partner_id, status, requested_at) VALUES (?, 1, 'requested', ?)",
    ).run(alert.lastInsertRowid, NOW)
    db.prepare(
      "INSERT INTO journal_notes (at, actor, kind, text) VALUES (?, 'mario', 'note', 'Turno iniziato')",
    ).run(NOW)
    db.prepare("INSERT INTO audit_log (at, actor, action) VALUES (?, 'mario', 'alert.send')").run(
      NOW,
    )
    const message = db
      .prepare(
        `INSERT INTO citizen_messages (channel_family, account_id, external_id, text, received_at, fetched_at)
         VALUES ('sms', ?, 'm1', 'Domani le scuole sono chiuse?', ?, ?)`,
      )
      .run(accountId, NOW, NOW)
    db.prepare(
      "INSERT INTO citizen_search (rowid, body, author) VALUES (?, 'domani le scuole sono chiuse', '')",
    ).run(message.lastInsertRowid)
    db.prepare(
      "INSERT INTO citizen_triage_history (message_id, at, actor, action, to_value) VALUES (?, ?, 'mario', 'state', 'visto')",
    ).run(message.lastInsertRowid, NOW)
    db.prepare("INSERT INTO citizen_inbound_cursors (account_id, cursor) VALUES (?, 'c1')").run(
      accountId,
    )
  })()
}

const count = (db: Db, table: string): number =>
  (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n

function checksum(db: Db, file: string): string {
  db.pragma('wal_checkpoint(TRUNCATE)')
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

describe('drill files', () => {
  let dataDir: string
  let real: Db
  const opened: Db[] = []

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vedetta-drills-'))
    real = openDatabase(workspaceFile(dataDir))
    seed(real)
  })

  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close()
    real.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const open = (id: string): Db => {
    const db = openDrill(dataDir, id)
    opened.push(db)
    return db
  }

  it('copies the configuration, not the secrets, and starts with no history; the real workspace is untouched', async () => {
    const before = checksum(real, workspaceFile(dataDir))
    const info = await createDrill({
      dataDir,
      workspace: real,
      scenario: snow,
      createdBy: 'formatore',
      id: 'neve-1',
      now: new Date(NOW),
    })
    expect(info).toMatchObject({
      id: 'neve-1',
      scenarioId: 'neve-arancione-empolese',
      status: 'ready',
      createdBy: 'formatore',
    })
    expect(info.file).toBe(drillFile(dataDir, 'neve-1'))

    // Not a byte of the secret in the drill file, in any page.
    expect(readFileSync(info.file).includes(SECRET)).toBe(false)
    expect(readdirSync(drillsDir(dataDir))).toEqual(['neve-1.sqlite'])

    const drill = open('neve-1')
    expect(isDrillDatabase(drill)).toBe(true)
    expect(isDrillDatabase(real)).toBe(false)
    expect(count(drill, 'channel_secrets')).toBe(0)
    for (const table of [
      'channel_accounts',
      'contacts',
      'contact_phones',
      'lists',
      'list_members',
      'partners',
      'templates',
      'comuni',
      'room_layouts',
      'feed_sources',
    ]) {
      expect(count(drill, table), table).toBe(count(real, table))
      expect(count(drill, table), table).toBeGreaterThan(0)
    }
    expect(
      drill.prepare("SELECT rowid FROM contact_search WHERE contact_search MATCH 'rossi'").all(),
    ).toHaveLength(1)
    expect(drill.prepare('SELECT name, settings FROM channel_accounts').all()).toEqual(
      real.prepare('SELECT name, settings FROM channel_accounts').all(),
    )
    const history = [
      'alerts',
      'outbox',
      'relay_requests',
      'feed_items',
      'journal_notes',
      'audit_log',
      'channel_health',
    ]
    history.push('citizen_messages', 'citizen_triage_history', 'citizen_inbound_cursors')
    for (const table of history) {
      expect(count(real, table), table).toBeGreaterThan(0)
      expect(count(drill, table), table).toBe(0)
    }
    const inboxSearch = "SELECT rowid FROM citizen_search WHERE citizen_search MATCH 'scuole'"
    expect(real.prepare(inboxSearch).all()).toHaveLength(1)
    expect(drill.prepare(inboxSearch).all()).toEqual([])
    // Triggers of emptied tables are back as they were.
    const triggers = (db: Db) =>
      db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()
    expect(triggers(drill)).toEqual(triggers(real))
    // Feeds stay configured but do not poll the outside world from a drill.
    expect(drill.prepare('SELECT enabled, etag, next_poll_at FROM feed_sources').get()).toEqual({
      enabled: 0,
      etag: null,
      next_poll_at: null,
    })
    // The drill's own journal is append-only again.
    drill
      .prepare(
        "INSERT INTO journal_notes (at, actor, kind, text) VALUES (?, 'allievo', 'note', 'Prova')",
      )
      .run(NOW)
    drill
      .prepare("INSERT INTO audit_log (at, actor, action) VALUES (?, 'allievo', 'drill.start')")
      .run(NOW)
    expect(() => drill.prepare('DELETE FROM journal_notes').run()).toThrow(/append-only/)
    expect(() => drill.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)

    const meta = createDrillMetaRepository(drill)
    expect(JSON.parse(meta.scenarioJson()) as Scenario).toEqual(snow)
    meta.setStatus('running', new Date('2026-01-13T12:30:00Z'))
    expect(meta.read()).toMatchObject({ status: 'running', updatedAt: '2026-01-13T12:30:00.000Z' })

    // The real workspace: same bytes, secret and history still there.
    expect(checksum(real, workspaceFile(dataDir))).toBe(before)
    expect(count(real, 'channel_secrets')).toBe(1)
    expect(count(real, 'journal_notes')).toBe(1)
  })

  it('lists drills newest first, with unreadable files flagged', async () => {
    expect(listDrills(dataDir)).toEqual([])
    await createDrill({
      dataDir,
      workspace: real,
      scenario: snow,
      createdBy: 'a',
      id: 'primo',
      now: new Date('2026-01-10T10:00:00Z'),
    })
    await createDrill({
      dataDir,
      workspace: real,
      scenario: snow,
      createdBy: 'b',
      now: new Date('2026-01-12T10:00:00Z'),
    })
    writeFileSync(join(drillsDir(dataDir), 'rotto.sqlite'), 'non è un database')
    writeFileSync(join(drillsDir(dataDir), 'appunti.txt'), 'ignorato')
    const list = listDrills(dataDir)
    expect(list.map((d) => (d.ok ? [d.createdBy, d.title] : [d.id, 'problem']))).toEqual([
      ['b', snow.title],
      ['a', snow.title],
      ['rotto', 'problem'],
    ])
    const second = list[0]
    expect(second?.ok && second.id).toMatch(/^20260112-100000-[0-9a-f]{4}$/)
  })

  it('deletes a drill with its side files and nothing else', async () => {
    const info = await createDrill({
      dataDir,
      workspace: real,
      scenario: snow,
      createdBy: 'a',
      id: 'da-cancellare',
    })
    writeFileSync(`${info.file}-wal`, '')
    writeFileSync(`${info.file}-shm`, '')
    deleteDrill(dataDir, 'da-cancellare')
    expect(readdirSync(drillsDir(dataDir))).toEqual([])
    expect(existsSync(workspaceFile(dataDir))).toBe(true)
    expect(() => deleteDrill(dataDir, 'da-cancellare')).toThrow(/not found/)
  })

  it('refuses ids that could escape the drills folder, duplicates, and drills made from drills', async () => {
    for (const bad of ['../workspace', 'a/b', '', 'Maiuscole', '.nascosto']) {
      expect(() => deleteDrill(dataDir, bad), bad).toThrow(CoreError)
      await expect(
        createDrill({ dataDir, workspace: real, scenario: snow, createdBy: 'a', id: bad }),
        bad,
      ).rejects.toThrow(/not a valid drill id/)
    }
    await createDrill({ dataDir, workspace: real, scenario: snow, createdBy: 'a', id: 'unico' })
    await expect(
      createDrill({ dataDir, workspace: real, scenario: snow, createdBy: 'a', id: 'unico' }),
    ).rejects.toThrow(/already exists/)
    const drill = open('unico')
    await expect(
      createDrill({ dataDir, workspace: drill, scenario: snow, createdBy: 'a', id: 'copia' }),
    ).rejects.toThrow(/not from another drill/)
    expect(() => openDrill(dataDir, 'mai-creato')).toThrow(/not found/)
    // Nothing half-made left behind (the open drill has its WAL files beside it).
    expect(readdirSync(drillsDir(dataDir)).filter((n) => !/-(wal|shm)$/.test(n))).toEqual([
      'unico.sqlite',
    ])
  })

  it('classifies every table of the schema as kept or emptied', () => {
    const rows = real
      .prepare<[], { name: string; sql: string }>(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
    // Shadow tables of a virtual table (contact_search_data…) go with it.
    const virtual = rows.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql)).map((r) => r.name)
    const classified = new Set<string>([...DRILL_KEPT_TABLES, ...DRILL_EMPTIED_TABLES])
    const unclassified = rows
      .map((r) => r.name)
      .filter((t) => !classified.has(t) && !virtual.some((v) => t.startsWith(`${v}_`)))
    expect(unclassified, 'a migration added tables: list each in drill-tables.ts').toEqual([])
  })
})
