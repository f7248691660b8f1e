/**
 * Read models of an alert's rows: progress counts per account and state (relay
 * requests per partner too), failures grouped by reason, pages of rows for the
 * delivery board, how many are still open, and the post id follow-ups thread on.
 */
import type {
  FailureGroup,
  RelayStateCount,
  StateCount,
  WarningGroup,
} from '../../../shared/alerts/views'
import type { Db } from '../db/open'
import { COLUMNS, toRow, type RawRow } from './outbox-rows'
import type { OutboxRow, OutboxState } from './types'

export function createReadModels(db: Db) {
  const getRow = db.prepare<[number], RawRow>(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`)
  const counts = db.prepare<[number], StateCount>(
    `SELECT account_id AS accountId, state, count(*) AS count FROM outbox WHERE alert_id = ?
     GROUP BY account_id, state ORDER BY account_id, state`,
  )
  const relayCounts = db.prepare<[number], RelayStateCount>(
    `SELECT partner_id AS partnerId, account_id AS accountId, state, count(*) AS count
     FROM outbox WHERE alert_id = ? AND kind = 'relay'
     GROUP BY partner_id, account_id, state ORDER BY partner_id, account_id, state`,
  )
  const failures = db.prepare<[number], FailureGroup>(
    `SELECT account_id AS accountId, last_error_code AS code, last_error AS reason, count(*) AS count
     FROM outbox WHERE alert_id = ? AND state = 'failed'
     GROUP BY account_id, last_error_code, last_error ORDER BY count(*) DESC, account_id`,
  )
  const warnings = db.prepare<[number], WarningGroup>(
    `SELECT account_id AS accountId, warning, count(*) AS count
     FROM outbox WHERE alert_id = ? AND state IN ('sent', 'delivered') AND warning IS NOT NULL
     GROUP BY account_id, warning ORDER BY count(*) DESC, account_id`,
  )
  const page = db.prepare<
    [number, string | null, string | null, number | null, number | null, number, number],
    RawRow
  >(
    `SELECT ${COLUMNS} FROM outbox
     WHERE alert_id = ? AND (? IS NULL OR state = ?) AND (? IS NULL OR account_id = ?) AND id > ?
     ORDER BY id LIMIT ?`,
  )
  const open = db.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE alert_id = ? AND state IN ('queued', 'sending')`,
  )
  const providerIdFor = db.prepare<[number, number], { provider_id: string }>(
    `SELECT provider_id FROM outbox
     WHERE alert_id = ? AND account_id = ? AND kind = 'alert' AND destination_type = 'page'
       AND provider_id IS NOT NULL
       AND state IN ('sent', 'delivered')
     LIMIT 1`,
  )

  return {
    get(id: number): OutboxRow | undefined {
      const r = getRow.get(id)
      return r && toRow(r)
    },

    /** Counts per (account, state) of every row of an alert, relay requests included. */
    counts(alertId: number): StateCount[] {
      return counts.all(alertId)
    },

    /** Counts per (partner, account, state) of an alert's relay requests. */
    relayCounts(alertId: number): RelayStateCount[] {
      return relayCounts.all(alertId)
    },

    failures(alertId: number): FailureGroup[] {
      return failures.all(alertId)
    },

    /** Rows sent but not whole (a post without its map), grouped by account and warning. */
    warnings(alertId: number): WarningGroup[] {
      return warnings.all(alertId)
    },

    /** A page of an alert's rows in id order, optionally of one state or account. */
    page(
      alertId: number,
      filter: { state?: OutboxState; accountId?: number; afterId?: number; limit?: number } = {},
    ): OutboxRow[] {
      const state = filter.state ?? null
      const account = filter.accountId ?? null
      return page
        .all(
          alertId,
          state,
          state,
          account,
          account,
          filter.afterId ?? 0,
          Math.min(filter.limit ?? 200, 1000),
        )
        .map(toRow)
    },

    /** Rows still queued or in flight. */
    openCount(alertId: number): number {
      return open.get(alertId)?.n ?? 0
    },

    /** The provider id of an alert's post on a page account, for threading follow-ups. */
    pagePostId(alertId: number, accountId: number): string | undefined {
      return providerIdFor.get(alertId, accountId)?.provider_id
    },
  }
}
