import type { Db } from '../../db/open'

/** Where an account's inbound poller stopped and how its last polls went. */
export interface InboundCursorState {
  accountId: number
  cursor: string | null
  lastPolledAt: string | null
  lastOkAt: string | null
  lastErrorCode: string | null
  lastError: string | null
  errorCount: number
  nextPollAt: string | null
}

interface Row {
  account_id: number
  cursor: string | null
  last_polled_at: string | null
  last_ok_at: string | null
  last_error_code: string | null
  last_error: string | null
  error_count: number
  next_poll_at: string | null
}

const toState = (r: Row): InboundCursorState => ({
  accountId: r.account_id,
  cursor: r.cursor,
  lastPolledAt: r.last_polled_at,
  lastOkAt: r.last_ok_at,
  lastErrorCode: r.last_error_code,
  lastError: r.last_error,
  errorCount: r.error_count,
  nextPollAt: r.next_poll_at,
})

export type InboundCursorStore = ReturnType<typeof createInboundCursorsRepository>

/** Persistence of inbound cursors (table `citizen_inbound_cursors`). */
export function createInboundCursorsRepository(db: Db) {
  const get = db.prepare('SELECT * FROM citizen_inbound_cursors WHERE account_id = ?')
  const all = db.prepare('SELECT * FROM citizen_inbound_cursors ORDER BY account_id')
  const success = db.prepare(`
    INSERT INTO citizen_inbound_cursors (account_id, cursor, last_polled_at, last_ok_at, error_count, next_poll_at)
    VALUES (@accountId, @cursor, @at, @at, 0, @nextPollAt)
    ON CONFLICT (account_id) DO UPDATE SET cursor = excluded.cursor, last_polled_at = excluded.last_polled_at,
      last_ok_at = excluded.last_ok_at, error_count = 0, next_poll_at = excluded.next_poll_at`)
  const failure = db.prepare(`
    INSERT INTO citizen_inbound_cursors (account_id, last_polled_at, last_error_code, last_error, error_count, next_poll_at)
    VALUES (@accountId, @at, @code, @message, 1, @nextPollAt)
    ON CONFLICT (account_id) DO UPDATE SET last_polled_at = excluded.last_polled_at,
      last_error_code = excluded.last_error_code, last_error = excluded.last_error,
      error_count = error_count + 1, next_poll_at = excluded.next_poll_at`)

  return {
    get(accountId: number): InboundCursorState | undefined {
      const row = get.get(accountId) as Row | undefined
      return row ? toState(row) : undefined
    },
    list(): InboundCursorState[] {
      return (all.all() as Row[]).map(toState)
    },
    /** A poll succeeded: the new cursor, and the error streak ends. */
    recordSuccess(accountId: number, cursor: string | null, at: string, nextPollAt: string): void {
      success.run({ accountId, cursor, at, nextPollAt })
    },
    /** A poll failed: the cursor stays, the error streak grows. */
    recordFailure(
      accountId: number,
      f: { at: string; code: string; message: string; nextPollAt: string },
    ): void {
      failure.run({ accountId, ...f })
    },
  }
}
