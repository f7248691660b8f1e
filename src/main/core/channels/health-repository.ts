import type { Db } from '../db/open'
import type { ConnectionCheck } from './adapter'
import type { CheckParams } from '../../../shared/channels/check-results'

export interface ChannelHealth {
  lastCheckAt: string | null
  lastCheckOk: boolean | null
  lastCheckMessage: string | null
  /** The check's result as a code the room words in its language (null for checks stored before codes). */
  lastCheckCode: string | null
  lastCheckParams: CheckParams | null
  lastSuccessAt: string | null
  lastErrorAt: string | null
  lastError: string | null
}

interface Raw {
  last_check_at: string | null
  last_check_ok: number | null
  last_check_message: string | null
  last_check_code: string | null
  last_check_params: string | null
  last_success_at: string | null
  last_error_at: string | null
  last_error: string | null
}

/** Health facts per channel account, written by connection checks and by the dispatcher. */
export function createChannelHealthRepository(db: Db) {
  const get = db.prepare<[number], Raw>('SELECT * FROM channel_health WHERE account_id = ?')
  const check = db.prepare<[number, string, number, string, string | null, string | null]>(`
    INSERT INTO channel_health (account_id, last_check_at, last_check_ok, last_check_message,
      last_check_code, last_check_params) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (account_id) DO UPDATE SET last_check_at = excluded.last_check_at,
      last_check_ok = excluded.last_check_ok, last_check_message = excluded.last_check_message,
      last_check_code = excluded.last_check_code, last_check_params = excluded.last_check_params`)
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
        lastCheckCode: r.last_check_code,
        lastCheckParams: paramsOf(r.last_check_params),
        lastSuccessAt: r.last_success_at,
        lastErrorAt: r.last_error_at,
        lastError: r.last_error,
      }
    },
    recordCheck: (accountId: number, at: string, result: ConnectionCheck) =>
      check.run(
        accountId,
        at,
        result.ok ? 1 : 0,
        result.message,
        result.code ?? null,
        result.params ? JSON.stringify(result.params) : null,
      ),
    recordSuccess: (accountId: number, at: string) => success.run(accountId, at),
    recordError: (accountId: number, at: string, reason: string) =>
      error.run(accountId, at, reason),
  }
}

/** Stored parameters; a value that is not an object of texts and numbers reads as none (the sentence stays). */
function paramsOf(json: string | null): CheckParams | null {
  if (json === null) return null
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null // written by this repository only; the Italian sentence is still there to show
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const entries = Object.entries(value).filter(
    ([, v]) => typeof v === 'string' || typeof v === 'number',
  )
  return Object.fromEntries(entries) as CheckParams
}

export type ChannelHealthRepository = ReturnType<typeof createChannelHealthRepository>
