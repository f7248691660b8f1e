import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core/app'
import type { CallContext } from '../../../src/main/core/handlers'
import { createSimulatedAdapter } from '../../../src/main/core/channels/adapters/simulated'
import { generateContacts, generatedContactsCsv } from '../../../src/main/core/contacts'
import {
  importContacts,
  type ImportOptions,
} from '../../../src/main/core/contacts/csv/import-contacts'
import { ImportCancelledError, InputError } from '../../../src/main/core/contacts/errors'
import { CoreError } from '../../../src/main/core/errors'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import type { ImportReport } from '../../../src/shared/contacts/import-report'
import type { CommandInput, EventPayload } from '../../../src/shared/contract'
import { fixture, tableCounts, tempWorkspace, type TempWorkspace } from './workspace'

/**
 * The import as the window and the host run it: in the core's worker thread,
 * with its own connection to the workspace file, reporting progress and
 * hearing a cancel, while the core's own loop stays free for everything else.
 */

const NOW = () => new Date(Date.UTC(2025, 1, 3, 22, 0, 0))
const ctx: CallContext = { operator: 'Giulia Neri' }
type Progress = EventPayload<'contacts:importProgress'>

let ws: TempWorkspace
let core: Core
const others: TempWorkspace[] = []

function openCore(): Core {
  return createCore({
    dataDir: ws.dir,
    databaseFile: ws.file,
    cipher: createKeyFileCipher(ws.dir),
    shell: 'host',
    version: 'test',
    resourcesDir: `${__dirname}/../../../resources`,
    now: NOW,
    // Simulated twins, quick and without receipts: a send of 40 is over in moments.
    adapters: (kind) => {
      const twin = createSimulatedAdapter(kind, {
        latencyMs: 5,
        limits: { concurrency: 2, ratePerSecond: 1000, burst: 1000 },
      })
      return {
        kind,
        simulated: true,
        idempotent: twin.idempotent,
        limits: twin.limits,
        send: twin.send,
        testConnection: twin.testConnection,
      }
    },
  })
}

beforeEach(() => {
  ws = tempWorkspace()
  core = openCore()
})
afterEach(async () => {
  await core.shutdown()
  ws.cleanup()
  others.splice(0).forEach((o) => o.cleanup())
})

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const generated = (n: number, seed: number) =>
  Buffer.from(generatedContactsCsv(generateContacts(n, seed)), 'utf8')

function importVia(
  input: Partial<CommandInput<'contacts:import'>> & { content: string },
): Promise<ImportReport> {
  return Promise.resolve(
    core.handlers['contacts:import'](
      { fileName: 'famiglie.csv', dryRun: false, ...input } as never,
      ctx,
    ),
  )
}

/** Records the progress events of one import. */
function progressOf(importId: string): Progress[] {
  const seen: Progress[] = []
  core.events.on('contacts:importProgress', (p) => {
    if (p.importId === importId) seen.push(p)
  })
  return seen
}

/** The same bytes imported in place, on a workspace of its own: what the import did before the worker. */
function inPlace(bytes: Uint8Array, options: ImportOptions = {}) {
  const other = tempWorkspace()
  others.push(other)
  return { ws: other, run: () => importContacts(other.db, bytes, { now: NOW, ...options }) }
}

function catching(run: () => unknown): unknown {
  try {
    run()
  } catch (err) {
    return err
  }
  return undefined
}

describe('the import in the core’s worker thread', () => {
  it('leaves the core’s loop free while 20,000 rows are checked and written, and says how far it is', async () => {
    const seen = progressOf('big')
    let turns = 0
    let turning = true
    const tick = () => {
      turns++
      if (turning) setImmediate(tick)
    }
    setImmediate(tick)
    const report = await importVia({ importId: 'big', content: base64(generated(20_000, 7)) })
    turning = false

    expect(report).toMatchObject({ committed: true, rows: 20_000, created: 20_000 })
    expect(tableCounts(ws.db).contacts).toBe(20_000)
    // In place the whole import is one turn of the loop; in the worker the loop goes on.
    expect(turns).toBeGreaterThan(50)
    // Progress: rows checked, then rows written, never going back, ending at 100%.
    expect(seen.length).toBeGreaterThan(2)
    expect(seen.map((p) => p.phase)).toContain('checking')
    expect(seen.at(-1)).toMatchObject({ phase: 'writing', rowsDone: 20_000, percent: 100 })
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.percent).toBeGreaterThanOrEqual(seen[i - 1]!.percent)
    expect(seen.some((p) => p.secondsLeft !== null)).toBe(true)
  })

  it('cancelled at about half-way, when writing has begun, commits nothing', async () => {
    // A workspace with people in it already, one of whom the file would update.
    await importVia({ content: base64(fixture('checchi-utf8.csv')), list: 'Genitori' })
    const before = tableCounts(ws.db)
    const seen = progressOf('half')
    let cancelledAt: Progress | undefined
    core.events.on('contacts:importProgress', (p) => {
      if (p.importId !== 'half' || cancelledAt || p.percent < 50) return
      cancelledAt = p
      void core.handlers['contacts:cancelImport']({ importId: 'half' }, ctx)
    })

    const outcome = await importVia({
      importId: 'half',
      content: base64(generated(30_000, 11)),
      list: 'Genitori',
      sourceKey: 'famiglie',
    }).then(
      () => 'committed',
      (err: unknown) => err,
    )

    expect(outcome).toBeInstanceOf(CoreError)
    expect(outcome).toMatchObject({
      code: 'conflict',
      message: 'import cancelled: nothing was saved',
    })
    expect(cancelledAt).toMatchObject({ phase: 'writing' })
    expect(cancelledAt!.rowsDone).toBeGreaterThan(0)
    expect(seen.at(-1)!.percent).toBeLessThan(100)
    expect(tableCounts(ws.db)).toEqual(before)
    // Gone with it: nothing to cancel any more, and the same file goes in whole afterwards.
    expect(await core.handlers['contacts:cancelImport']({ importId: 'half' }, ctx)).toEqual({
      cancelled: false,
    })
    const again = await importVia({ content: base64(generated(30_000, 11)) })
    expect(again).toMatchObject({ committed: true, created: 30_000 })
  })

  it('a dry run cancelled while checking saves nothing either, and says so the same way', async () => {
    const seen = progressOf('dry')
    core.events.on('contacts:importProgress', (p) => {
      if (p.importId === 'dry' && p.rowsDone > 0)
        void core.handlers['contacts:cancelImport']({ importId: 'dry' }, ctx)
    })
    await expect(
      importVia({ importId: 'dry', dryRun: true, content: base64(generated(30_000, 3)) }),
    ).rejects.toMatchObject({ code: 'conflict' })
    expect(seen.every((p) => p.phase === 'checking' && p.dryRun)).toBe(true)
    expect(tableCounts(ws.db).import_runs).toBe(0)
  })

  it('gives back the same reports as the import in place, dry run and commit, invalid rows and all', async () => {
    const local = tempWorkspace()
    others.push(local)
    for (const name of ['invalid-rows.csv', 'duplicates.csv', 'checchi-excel-cp1252.csv']) {
      const bytes = fixture(name)
      const options = { fileName: name, list: 'Genitori', sourceKey: 'scuola' }
      const dry = await importVia({ content: base64(bytes), ...options, dryRun: true })
      expect(dry).toEqual(importContacts(local.db, bytes, { now: NOW, ...options, dryRun: true }))
      const real = await importVia({ content: base64(bytes), ...options })
      expect(real).toEqual(importContacts(local.db, bytes, { now: NOW, ...options }))
    }
    expect(tableCounts(ws.db)).toEqual(tableCounts(local.db))
  })

  it('a file refused while parsing comes back refused with the same code, and nothing is saved', async () => {
    const broken = Buffer.from('Nominativo;"Cellulare\nMario Rossi;347 123 4567\n', 'utf8')
    const local = inPlace(broken, { fileName: 'famiglie.csv' }).run()
    const report = await importVia({ content: base64(broken) })
    expect(report.fatal?.code).toBe('header_quote_unclosed')
    expect(report).toEqual(local)
    expect(tableCounts(ws.db).contacts).toBe(0)
  })

  it('the importer’s input errors come back from the worker as the same typed errors', async () => {
    const bytes = fixture('checchi-utf8.csv')
    const expected = catching(inPlace(bytes, { confirmRemoval: -1 }).run)
    expect(expected).toBeInstanceOf(InputError)
    const err = await importVia({ content: base64(bytes), confirmRemoval: -1 }).catch(
      (e: unknown) => e,
    )
    // The same error the handler made of the InputError before: invalid input, the same issues.
    expect(err).toBeInstanceOf(CoreError)
    expect(err).toMatchObject({ code: 'invalid_input', issues: (expected as InputError).issues })
    expect((expected as InputError).issues).toEqual([{ path: 'confirmRemoval', code: 'number' }])
  })

  it('a SQLite failure half-way through the commit comes back as the same SqliteError, and nothing is saved', async () => {
    // A real failure on the third person, after two have been written; the trigger is in the
    // file, so the worker's own connection meets it as the core's would.
    const trigger = `CREATE TRIGGER fail_midway BEFORE INSERT ON contacts WHEN NEW.name = 'Sara Gori'
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`
    const bytes = fixture('quoted-newlines.csv')
    const local = inPlace(bytes, { list: 'Nuova lista' })
    local.ws.db.exec(trigger)
    const expected = catching(local.run)
    ws.db.exec(trigger)
    const before = tableCounts(ws.db)

    const err = await importVia({ content: base64(bytes), list: 'Nuova lista' }).catch(
      (e: unknown) => e,
    )
    expect(expected).toBeInstanceOf(Database.SqliteError)
    expect(err).toBeInstanceOf(Database.SqliteError)
    expect(err).toMatchObject({
      message: (expected as Error).message,
      code: (expected as { code: string }).code,
    })
    expect(tableCounts(ws.db)).toEqual(before)
  })

  it('an import and an alert send at the same time both finish, each exactly', async () => {
    const families = [
      'Nominativo;Cellulare;Comune',
      ...Array.from(
        { length: 40 },
        (_, i) => `Famiglia ${i};+39 320 ${String(9_000_000 + i)};Empoli`,
      ),
    ].join('\r\n')
    await importVia({ content: base64(Buffer.from(families, 'utf8')), list: 'Famiglie' })
    const account = await core.handlers['channels:create'](
      {
        kind: 'sms_gateway',
        name: 'SMS famiglie',
        settings: {
          baseUrl: 'https://gateway.example/API/v1.0/REST/',
          username: 'pc-empolese',
          sender: 'ProtCiv',
          messageType: 'GP',
          pricePerSegment: '0,05',
        },
        secrets: { password: 'gateway-password-1' },
        enabled: true,
      } as never,
      ctx,
    )
    const list = (await core.handlers['lists:list']({}, ctx)).find((l) => l.name === 'Famiglie')!
    const alert = await core.handlers['alerts:createDraft'](
      {
        draft: {
          kind: 'neve',
          level: 'arancione',
          comuni: [{ name: 'Empoli' }],
          validFrom: new Date(NOW().getTime() - 60_000).toISOString(),
          validTo: new Date(NOW().getTime() + 86_400_000).toISOString(),
          headline: 'Allerta arancione per neve',
          texts: { sms: 'Allerta ARANCIONE neve su Empoli: evitate gli spostamenti.' },
          targets: { accountIds: [account.id], listIds: [list.id] },
        },
      },
      ctx,
    )
    core.start()
    const seen = progressOf('during')
    const importing = importVia({ importId: 'during', content: base64(generated(20_000, 5)) })
    // The send starts while the import is under way.
    await expect.poll(() => seen.length, { interval: 5 }).toBeGreaterThan(0)
    await core.handlers['alerts:confirm'](
      { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 },
      ctx,
    )
    const confirmedDuringImport = seen.at(-1)!.percent < 100
    const report = await importing

    expect(confirmedDuringImport).toBe(true)
    expect(report).toMatchObject({ committed: true, created: 20_000 })
    await expect
      .poll(
        async () => {
          const b = await core.handlers['alerts:progress']({ id: alert.id }, ctx)
          return `${b.status} ${b.totals.sent}`
        },
        { timeout: 20_000 },
      )
      .toBe('done 40')
    expect(tableCounts(ws.db).contacts).toBe(20_040)
    expect((await core.handlers['lists:get']({ id: list.id }, ctx)).reach).toMatchObject({
      members: 40,
      sms: 40,
    })
  })
})

describe('the importer’s progress and cancel hooks', () => {
  it('stop the import in place at the next rows with ImportCancelledError; the transaction undoes the writes', () => {
    const local = tempWorkspace()
    others.push(local)
    const before = tableCounts(local.db)
    let writing = 0
    const phases = new Set<string>()
    expect(() =>
      importContacts(local.db, generated(3_000, 9), {
        onProgress: (p) => {
          phases.add(p.phase)
          if (p.phase === 'writing' && p.rowsDone > 0) writing++
        },
        isCancelled: () => writing > 0,
      }),
    ).toThrow(ImportCancelledError)
    expect(phases).toEqual(new Set(['checking', 'writing']))
    expect(tableCounts(local.db)).toEqual(before)
  })
})
