import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import { createPinStore, type PinStore } from '../../../src/main/core/oncall/pins'

let dir: string
let db: Db
let pins: PinStore
let person: number
const AT = '2026-02-08T02:00:00.000Z'
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vedetta-pins-'))
  db = openDatabase(join(dir, 'workspace.sqlite'))
  person = Number(
    db
      .prepare(
        `INSERT INTO oncall_people (name, telegram_chat_id, created_at, updated_at)
         VALUES ('Mario', '111111111', 'x', 'x')`,
      )
      .run().lastInsertRowid,
  )
  pins = createPinStore(db)
})
afterEach(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the PIN store', () => {
  it('says there is no PIN before one is set', () => {
    expect(pins.check(person, '1234', AT)).toEqual({ ok: false, reason: 'no_pin' })
    expect(pins.status(person)).toEqual({ set: false, locked: false })
  })

  it('counts wrong tries in a row only: a right PIN starts the count again', () => {
    pins.set(person, '73915', AT)
    for (let i = 0; i < 4; i++) expect(pins.check(person, '00000', AT).ok).toBe(false)
    expect(pins.check(person, '73915', AT)).toEqual({ ok: true })
    for (let i = 0; i < 4; i++) expect(pins.check(person, '00000', AT).ok).toBe(false)
    expect(pins.status(person)).toEqual({ set: true, locked: false })
    expect(pins.check(person, '00000', AT)).toEqual({
      ok: false,
      reason: 'wrong',
      left: 0,
      locked: true,
    })
    expect(pins.check(person, '73915', AT)).toEqual({ ok: false, reason: 'locked' })
    pins.set(person, '73915', AT)
    expect(pins.check(person, '73915', AT)).toEqual({ ok: true })
  })

  it('tells a PIN from its prefixes and longer numbers', () => {
    pins.set(person, '7391', AT)
    for (const other of ['739', '73910', '73915', ' 7391'])
      expect(pins.check(person, other, AT).ok, other).toBe(false)
    pins.set(person, '7391', AT)
    expect(pins.check(person, '7391', AT).ok).toBe(true)
  })
})
