import Database from 'better-sqlite3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/core/db/open'
import { WorkspaceLockedError } from '../../../src/main/core/host-lock'
import { startupProblem } from '../../../src/main/core/startup-error'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-startup-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

/** The error a real start-up step throws. */
function thrownBy(step: () => unknown): unknown {
  try {
    step()
  } catch (err) {
    return err
  }
  throw new Error('the step did not fail')
}

describe('start-up failures in the operator’s words', () => {
  it('a workspace held by another Vedetta: who, since when, and what to do if none is open', () => {
    const err = new WorkspaceLockedError('/dati/vedetta', {
      pid: 4321,
      since: '2026-02-07T13:00:00Z',
    })
    const p = startupProblem(err)
    expect(p.title).toBe('Vedetta è già aperta')
    expect(p.line).toBe(
      "lo spazio di lavoro /dati/vedetta è già aperto in un'altra Vedetta (processo 4321, dal 07/02/26, 14:00): chiudila prima di aprirlo qui",
    )
    expect(p.message.startsWith('Lo spazio di lavoro /dati/vedetta è già aperto')).toBe(true)
    // The lock cannot be left behind by a crash: the advice is to close the other one, not to delete files.
    expect(p.message).toContain('si libera da solo quando si chiude')
    expect(p.message).not.toContain('cancella')
  })

  it('a workspace written by a newer Vedetta (the real refusal of the database)', () => {
    const file = join(tempDir(), 'workspace.sqlite')
    openDatabase(file).close()
    const db = new Database(file)
    db.pragma('user_version = 999')
    db.close()
    const p = startupProblem(thrownBy(() => openDatabase(file)))
    expect(p.line).toBe(
      'lo spazio di lavoro è stato scritto da una versione più recente di Vedetta: aggiorna Vedetta',
    )
    expect(p.message).toBe(
      'Lo spazio di lavoro è stato scritto da una versione più recente di Vedetta: aggiorna Vedetta.',
    )
  })

  it('a database of another program in the data folder', () => {
    const file = join(tempDir(), 'workspace.sqlite')
    const db = new Database(file)
    db.exec('CREATE TABLE t (x)')
    db.pragma('user_version = 3')
    db.close()
    expect(startupProblem(thrownBy(() => openDatabase(file))).line).toMatch(
      /^il file dello spazio di lavoro non è di Vedetta/,
    )
  })

  it('a workspace file that is not a database (the real SQLite error)', () => {
    const file = join(tempDir(), 'workspace.sqlite')
    writeFileSync(
      file,
      'questo non è un database, è un file di testo abbastanza lungo. '.repeat(20),
    )
    const p = startupProblem(thrownBy(() => openDatabase(file)))
    expect(p.line).toMatch(/^il file dello spazio di lavoro è danneggiato: ripristina/)
  })

  it('a data folder it may not use, or a full disk, says which and what to do', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/dati/x'"), {
      code: 'EACCES',
      path: '/dati/x',
    })
    expect(startupProblem(denied).line).toMatch(
      /^Vedetta non ha il permesso di usare \/dati\/x: .*VEDETTA_DATA_DIR$/,
    )
    const full = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })
    expect(startupProblem(full).line).toBe('il disco è pieno: libera spazio e riapri Vedetta')
  })

  it('anything else: the first line of the reason, never a stack, one line for the host', () => {
    const err = new Error('resources missing: comuni.json\nsecond line')
    const p = startupProblem(err)
    expect(p.title).toBe('Vedetta non si è avviata')
    expect(p.line).toBe("errore all'avvio: resources missing: comuni.json")
    expect(p.message).toContain("Errore all'avvio: resources missing: comuni.json.")
    expect(p.message).not.toMatch(/second line|\n\s+at /)
    expect(startupProblem('a string').line).toBe("errore all'avvio: a string")
    expect(startupProblem(undefined).line).toBe("errore all'avvio: undefined")
  })
})
