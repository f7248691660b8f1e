import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/core/db/open'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('the workspace file as opened', () => {
  it('makes every commit durable before it returns: a power cut cannot undo a claim or a "sent"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-open-'))
    dirs.push(dir)
    const db = openDatabase(join(dir, 'workspace.sqlite'))
    try {
      // WAL with synchronous NORMAL may roll back the last commits on power loss; FULL does not.
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(db.pragma('synchronous', { simple: true })).toBe(2) // FULL
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    } finally {
      db.close()
    }
  })
})
