import type { Db } from '../db/open'

export interface ChannelHealth {
  lastCheckAt: string | null
  lastCheckOk: boolean | null
  lastCheckMessage: string | null
  lastSuccessAt: string | null
  lastErrorAt: string | null
  lastError: string | null
}

interface Raw {
  last_check_at: string | null
  last_check_ok: number | null
  last_check_message: string | null
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
}

/** Health facts per channel account, written by connection checks and by the dispatcher. */
export function createChannelHealthRepository(db: Db) {
  const get = db.prepare<[number], Raw>('SELECT * FROM channel_health WHERE account_id = ?')
  const check = db.prepare<[number, string, number, string]>(`
    INSERT INTO channel_health (account_id, last_check_at, last_check_ok, last_check_message) VALUES (?, ?, ?, ?)
    ON CONFLICT (account_id) DO UPDATE SET last_check_at = excluded.last_check_at,
      last_check_ok = excluded.last_check_ok, last_check_message = excluded.last_check_message`)
  const success = db.prepare<[number, string]>(`
    INSERT INTO channel_health (account_id, last_success_at) VALUES (?, ?)
    ON CONFLICT (account_id) DO UPDATE SET last_success_at = excluded.last_success_at`)
  const error = db.prepare<[number, string, string]>(`
    INSERT INTO channel_health (account_id, last_error_at, last_error) VALUES (?, ?, ?)
    ON CONFLICT (account_id) DO UPDATE SET last_error_at = excluded.last_error_at, last_error = excluded.last_error`)
  return {
    get(accountId: number): ChannelHealth | null {
      const r = get.get(accountId)
      if (!r) return null
      return {
        lastCheckAt: r.last_check_at,
        lastCheckOk: r.last_check_ok === null ? null : r.last_check_ok === 1,
        lastCheckMessage: r.last_check_message,
        lastSuccessAt: r.last_success_at,
        lastErrorAt: r.last_error_at,
        lastError: r.last_error,
      }
    },
    recordCheck: (accountId: number, at: string, ok: boolean, message: string) =>
      check.run(accountId, at, ok ? 1 : 0, message),
    recordSuccess: (accountId: number, at: string) => success.run(accountId, at),
    recordError: (accountId: number, at: string, reason: string) =>
      error.run(accountId, at, reason),
  }
}

export type ChannelHealthRepository = ReturnType<typeof createChannelHealthRepository>
