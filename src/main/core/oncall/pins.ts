import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto'
import type { Db } from '../db/open'

/**
 * The personal PIN of a person on call, for decisions from the phone. Only a salted scrypt
 * hash is stored (a fresh random salt at every change), compared in constant time; the
 * fifth wrong try in a row locks the PIN until the room sets a new one. The PIN itself is
 * never returned, stored, logged or put in the journal.
 */

export const MAX_PIN_FAILURES = 5
const SALT_BYTES = 16
const HASH_BYTES = 32

/** 4 to 8 digits. */
export const PIN_PATTERN = /^\d{4,8}$/

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'no_pin' }
  | { ok: false; reason: 'locked' }
  | { ok: false; reason: 'wrong'; left: number; locked: boolean }

export interface PinStatus {
  set: boolean
  locked: boolean
}

interface PinRow {
  salt: Buffer
  hash: Buffer
  failures: number
  locked_at: string | null
}

const derive = (pin: string, salt: Buffer) => scryptSync(pin.normalize('NFKC'), salt, HASH_BYTES)

export function createPinStore(db: Db) {
  const read = db.prepare<[number], PinRow>(
    'SELECT salt, hash, failures, locked_at FROM oncall_pins WHERE person_id = ?',
  )
  const upsert = db.prepare<[number, Buffer, Buffer, string]>(
    `INSERT INTO oncall_pins (person_id, salt, hash, failures, locked_at, set_at)
     VALUES (?, ?, ?, 0, NULL, ?)
     ON CONFLICT (person_id) DO UPDATE SET
       salt = excluded.salt, hash = excluded.hash, failures = 0, locked_at = NULL,
       set_at = excluded.set_at`,
  )
  const fail = db.prepare<[number, string, number]>(
    `UPDATE oncall_pins SET failures = failures + 1,
       locked_at = CASE WHEN failures + 1 >= ? THEN ? ELSE locked_at END
     WHERE person_id = ?`,
  )
  const succeed = db.prepare<[number]>('UPDATE oncall_pins SET failures = 0 WHERE person_id = ?')

  return {
    /** A new PIN (the caller checked PIN_PATTERN): the count of wrong tries and any lock are cleared. */
    set(personId: number, pin: string, at: string): void {
      const salt = randomBytes(SALT_BYTES)
      upsert.run(personId, salt, derive(pin, salt), at)
    },

    /** Checks a PIN typed on the phone; a wrong one counts towards the lock. */
    check(personId: number, pin: string, at: string): PinCheck {
      return db
        .transaction((): PinCheck => {
          const row = read.get(personId)
          if (!row) return { ok: false, reason: 'no_pin' }
          if (row.locked_at !== null) return { ok: false, reason: 'locked' }
          const given = derive(pin, row.salt)
          if (given.length === row.hash.length && timingSafeEqual(given, row.hash)) {
            if (row.failures > 0) succeed.run(personId)
            return { ok: true }
          }
          fail.run(MAX_PIN_FAILURES, at, personId)
          const failures = row.failures + 1
          return {
            ok: false,
            reason: 'wrong',
            left: Math.max(0, MAX_PIN_FAILURES - failures),
            locked: failures >= MAX_PIN_FAILURES,
          }
        })
        .immediate()
    },

    status(personId: number): PinStatus {
      const row = read.get(personId)
      return { set: row !== undefined, locked: row?.locked_at != null }
    },
  }
}

export type PinStore = ReturnType<typeof createPinStore>
