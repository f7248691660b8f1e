import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runContactsExport, runContactsImport } from '../../../src/main/core/contacts/cli'
import { contactsCommand } from '../../../src/main/cli/contacts-command'
import { UsageError } from '../../../src/main/cli/usage'
import { openDatabase } from '../../../src/main/core/db/open'
import { tempWorkspace, type TempWorkspace } from './workspace'

const fixturePath = (name: string) => resolve(__dirname, '../../fixtures/contacts', name)

describe('vedetta contacts import / export (headless)', () => {
  let ws: TempWorkspace
  beforeEach(() => {
    ws = tempWorkspace()
    // The CLI opens the workspace itself, as a script would.
    ws.db.close()
  })
  afterEach(() => ws.cleanup())

  const count = () => {
    const db = openDatabase(ws.file)
    try {
      return db.prepare('SELECT count(*) FROM contacts').pluck().get() as number
    } finally {
      db.close()
    }
  }

  it('prints one JSON object with the fields scripts rely on', () => {
    const result = runContactsImport({
      file: fixturePath('invalid-rows.csv'),
      dataDir: ws.dir,
      json: true,
    })
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toBe('')
    const report = JSON.parse(result.stdout)
    expect(report).toMatchObject({ rows: 11, valid: 2, merged: 0, landlines: 1, committed: true })
    expect(report.invalid).toHaveLength(9)
    expect(report.invalid[0]).toMatchObject({
      row: 3,
      column: 'Nominativo',
      reason: 'The person’s name is missing.',
    })
    expect(result.stdout.trim().split('\n')).toHaveLength(1)
    expect(count()).toBe(2)
  })

  it('exits non-zero under --strict when any row is invalid, saving nothing', () => {
    const result = runContactsImport({
      file: fixturePath('invalid-rows.csv'),
      dbFile: ws.file,
      strict: true,
      json: true,
    })
    expect(result.exitCode).toBe(1)
    expect(JSON.parse(result.stdout)).toMatchObject({
      committed: false,
      fatal: { code: 'strict_invalid_rows' },
    })
    expect(count()).toBe(0)
    const clean = runContactsImport({
      file: fixturePath('checchi-utf8.csv'),
      dbFile: ws.file,
      strict: true,
    })
    expect(clean.exitCode).toBe(0)
    expect(count()).toBe(5)
  })

  it('prints a readable report for a dry run, with the target list, and saves nothing', () => {
    const result = runContactsImport({
      file: fixturePath('duplicates.csv'),
      dataDir: ws.dir,
      dryRun: true,
      list: 'Genitori — Istituto Checchi',
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('Rows read: 6, valid: 6, invalid: 0')
    expect(result.stdout).toContain('duplicates merged: 4')
    expect(result.stdout).toContain('row 3 → row 2 (same number +393471234567)')
    expect(result.stdout).toContain('List "Genitori — Istituto Checchi": 2 added (new list)')
    expect(result.stdout).toContain('Dry run: nothing was saved.')
    expect(count()).toBe(0)
  })

  it('explains files it cannot use, with exit code 2', () => {
    const missing = runContactsImport({ file: join(ws.dir, 'nope.csv'), dataDir: ws.dir })
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv/)
    const empty = runContactsImport({ file: fixturePath('empty.csv'), dataDir: ws.dir, json: true })
    expect(empty.exitCode).toBe(2)
    expect(JSON.parse(empty.stdout).fatal.code).toBe('empty_file')
    const unknown = runContactsImport({ file: fixturePath('unknown-headers.csv'), dataDir: ws.dir })
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stdout).toContain(
      'Unknown columns: "Genitore", "Cell. mamma", "Posta", "Paese", "Classe"',
    )
    const notAWorkspace = join(ws.dir, 'other.sqlite')
    writeFileSync(notAWorkspace, 'this is not sqlite')
    const broken = runContactsImport({
      file: fixturePath('checchi-utf8.csv'),
      dbFile: notAWorkspace,
    })
    expect(broken.exitCode).toBe(2)
    expect(broken.stderr).toMatch(/cannot open the workspace/)
  })

  it('accepts an explicit mapping and a sync source', () => {
    const result = runContactsImport({
      file: fixturePath('unknown-headers.csv'),
      dataDir: ws.dir,
      mapping: { Genitore: 'name', 'Cell. mamma': 'phone' },
      sourceKey: 'registro-2a',
      json: true,
    })
    expect(result.exitCode).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      created: 2,
      sync: { sourceKey: 'registro-2a', disappeared: [] },
    })
  })

  it('exports every contact to a CSV file Excel opens', () => {
    runContactsImport({ file: fixturePath('checchi-excel-cp1252.csv'), dataDir: ws.dir })
    const out = join(ws.dir, 'export.csv')
    const result = runContactsExport({ file: out, dataDir: ws.dir })
    expect(result).toEqual({ exitCode: 0, stdout: `Exported 5 contacts to ${out}\n`, stderr: '' })
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('\uFEFFNominativo;')).toBe(true)
    expect(text).toContain('Niccolò Bagnoli')
    const bad = runContactsExport({ file: join(ws.dir, 'no-such-dir', 'x.csv'), dataDir: ws.dir })
    expect(bad.exitCode).toBe(2)
  })

  describe('--sync on a list of 1,000 parents', () => {
    const file = (
      name: string,
      keep: (i: number) => boolean,
      edit = (_: number, l: string) => l,
    ) => {
      const lines = ['Cognome;Nome;Cellulare;Ruolo']
      for (let i = 0; i < 1000; i++)
        if (keep(i)) lines.push(edit(i, `Genitore${i};Nome${i};347 ${1_000_000 + i};Genitore`))
      const path = join(ws.dir, name)
      writeFileSync(path, `${lines.join('\r\n')}\r\n`)
      return path
    }
    const listed = () => {
      const db = openDatabase(ws.file)
      try {
        return db
          .prepare('SELECT count(*) FROM import_source_contacts WHERE present = 1')
          .pluck()
          .get() as number
      } finally {
        db.close()
      }
    }
    const sync = { sourceKey: 'checchi-genitori', list: 'Genitori' }
    beforeEach(() => {
      const first = runContactsImport({
        ...sync,
        dbFile: ws.file,
        file: file('all.csv', () => true),
      })
      expect(first.exitCode).toBe(0)
    })

    it('reads all of a file with a stray quote at row 7 and reports that row', () => {
      const result = runContactsImport({
        ...sync,
        dbFile: ws.file,
        file: file(
          'quote.csv',
          () => true,
          (i, l) => (i === 5 ? `"${l}` : l),
        ),
      })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('Rows read: 1000, valid: 1000, invalid: 0')
      expect(result.stdout).toContain(
        'row 7, column "Cognome": Unclosed quote: the row was read as plain text up to its end',
      )
      expect(result.stdout).toContain('Disappeared since the last import of "checchi-genitori": 0')
      expect(listed()).toBe(1000)
    })

    it('refuses to lose 995 of 1,000 until the operator confirms that number (exit 3)', () => {
      const cut = file('cut.csv', (i) => i < 5)
      const refused = runContactsImport({ ...sync, dbFile: ws.file, file: cut })
      expect(refused.exitCode).toBe(3)
      expect(refused.stderr).toBe(
        'vedetta: 995 contacts would disappear from the list “checchi-genitori” (99.5% of 1000, above the 20% limit): nothing was saved and nobody was removed. If this is right, confirm the number 995.\n' +
          'To confirm, run again with --confirm-removal 995\n',
      )
      expect(refused.stdout).toContain('Disappeared (not deleted):')
      expect(refused.stdout).toContain('Nothing was saved.')
      expect(listed()).toBe(1000)

      const wrong = runContactsImport({ ...sync, dbFile: ws.file, file: cut, confirmRemoval: 5 })
      expect(wrong.exitCode).toBe(3)
      expect(wrong.stderr).toContain('5 disappearing contacts were confirmed, but 995 would')
      expect(listed()).toBe(1000)

      const json = runContactsImport({ ...sync, dbFile: ws.file, file: cut, json: true })
      expect(JSON.parse(json.stdout)).toMatchObject({
        committed: false,
        fatal: { code: 'sync_removal_unconfirmed', params: { count: 995, total: 1000 } },
      })

      const confirmed = runContactsImport({
        ...sync,
        dbFile: ws.file,
        file: cut,
        confirmRemoval: 995,
      })
      expect(confirmed.exitCode).toBe(0)
      expect(confirmed.stdout).toContain('Committed.')
      expect(listed()).toBe(5)
    })

    it('takes a share from --max-removal-share', () => {
      const half = file('half.csv', (i) => i % 2 === 0)
      expect(runContactsImport({ ...sync, dbFile: ws.file, file: half }).exitCode).toBe(3)
      const allowed = runContactsImport({
        ...sync,
        dbFile: ws.file,
        file: half,
        maxRemovalShare: 0.5,
      })
      expect(allowed.exitCode).toBe(0)
      expect(listed()).toBe(500)
    })
  })

  it('refuses a share or a confirmation that is not a number, as a usage mistake', async () => {
    const csvFile = fixturePath('checchi-utf8.csv')
    const args = ['import', csvFile, '--data-dir', ws.dir, '--sync', 'x']
    await expect(contactsCommand([...args, '--max-removal-share', '20'])).rejects.toThrow(
      new UsageError('--max-removal-share expects a share between 0 and 1 (0.2 is 20%), not "20"'),
    )
    await expect(contactsCommand([...args, '--confirm-removal', 'tre'])).rejects.toThrow(UsageError)
    expect(count()).toBe(0)
  })
})
