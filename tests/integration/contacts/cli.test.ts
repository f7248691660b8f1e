import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { runContactsExport, runContactsImport } from '../../../src/main/core/contacts/cli'
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
})
