import { OUTBOX_STATES } from '../outbox/types'
import type {
  AccountProgress,
  AlertProgress,
  FailureGroup,
  StateCount,
  StateCounts,
} from '../../../shared/alerts/views'
import type { AlertStatus } from './types'

export function emptyCounts(): StateCounts {
  const counts = { total: 0 } as StateCounts
  for (const s of OUTBOX_STATES) counts[s] = 0
  return counts
}

/** Folds per-(account, state) counts into per-account and total tallies. */
export function buildProgress(
  alert: {
    id: number
    status: AlertStatus
    sendAfter: number | null
    targets: { accountIds: number[] }
  },
  counts: StateCount[],
  failures: FailureGroup[],
  accountName: (id: number) => string,
): AlertProgress {
  const byAccount = new Map<number, StateCounts>()
  // Targets first, in the order the operator chose them, even before any row exists.
  for (const id of alert.targets.accountIds) byAccount.set(id, emptyCounts())
  const totals = emptyCounts()
  for (const c of counts) {
    let tally = byAccount.get(c.accountId)
    if (!tally) {
      tally = emptyCounts()
      byAccount.set(c.accountId, tally)
    }
    tally[c.state] += c.count
    tally.total += c.count
    totals[c.state] += c.count
    totals.total += c.count
  }
  return {
    alertId: alert.id,
    status: alert.status,
    sendAfter: alert.sendAfter,
    accounts: [...byAccount].map(([accountId, tally]) => ({
      accountId,
      accountName: accountName(accountId),
      counts: tally,
    })),
    totals,
    failures,
  }
}

export type { AccountProgress, AlertProgress, StateCounts }
