import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'

describe('toolchain', () => {
  it('opens SQLite with the Node ABI build', () => {
    const db = new Database(':memory:')
    expect(db.prepare('select 1 + 1 as v').get()).toEqual({ v: 2 })
  })
})
