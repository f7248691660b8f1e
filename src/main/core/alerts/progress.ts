import { OUTBOX_STATES } from '../outbox/types'
import type {
  AccountProgress,
  AlertProgress,
  FailureGroup,
  PartnerProgress,
  RelayStateCount,
  StateCount,
  StateCounts,
  WarningGroup,
} from '../../../shared/alerts/views'
import type { AlertStatus } from './types'

export function emptyCounts(): StateCounts {
  const counts = { total: 0 } as StateCounts
  for (const s of OUTBOX_STATES) counts[s] = 0
  return counts
}

/**
 * Folds per-(account, state) counts into per-account and total tallies, and
 * relay requests into per-partner tallies. `counts` covers every row of the
 * alert (read from a covering index); the relay rows in it are taken out of
 * their account's tally, so an account shows the alert's own audience and a
 * partner shows the requests made to it.
 */
export function buildProgress(
  alert: {
    id: number
    status: AlertStatus
    sendAfter: number | null
    targets: { accountIds: number[]; partnerIds?: number[] }
  },
  counts: StateCount[],
  failures: FailureGroup[],
  accountName: (id: number) => string,
  relayCounts: RelayStateCount[] = [],
  partnerName: (id: number) => string = (id) => `#${id}`,
  warnings: WarningGroup[] = [],
): AlertProgress {
  const byAccount = new Map<number, StateCounts>()
  // Targets first, in the order the operator chose them, even before any row exists.
  for (const id of alert.targets.accountIds) byAccount.set(id, emptyCounts())
  const byPartner = new Map<number, StateCounts>()
  for (const id of alert.targets.partnerIds ?? []) byPartner.set(id, emptyCounts())
  const totals = emptyCounts()
  const tallyOf = <K>(map: Map<K, StateCounts>, key: K) => {
    let tally = map.get(key)
    if (!tally) {
      tally = emptyCounts()
      map.set(key, tally)
    }
    return tally
  }
  for (const c of counts) {
    const tally = tallyOf(byAccount, c.accountId)
    tally[c.state] += c.count
    tally.total += c.count
    totals[c.state] += c.count
    totals.total += c.count
  }
  for (const c of relayCounts) {
    const account = tallyOf(byAccount, c.accountId)
    account[c.state] -= c.count
    account.total -= c.count
    const partner = tallyOf(byPartner, c.partnerId)
    partner[c.state] += c.count
    partner.total += c.count
  }
  // An account that only carried relay requests (a partner's page) is not one of the alert's.
  const targets = new Set(alert.targets.accountIds)
  for (const [id, tally] of byAccount)
    if (!targets.has(id) && tally.total === 0) byAccount.delete(id)
  return {
    alertId: alert.id,
    status: alert.status,
    sendAfter: alert.sendAfter,
    accounts: [...byAccount].map(([accountId, tally]): AccountProgress => ({
      accountId,
      accountName: accountName(accountId),
      counts: tally,
    })),
    relays: [...byPartner].map(([partnerId, tally]): PartnerProgress => ({
      partnerId,
      partnerName: partnerName(partnerId),
      counts: tally,
    })),
    totals,
    failures,
    warnings,
  }
}

export type { AccountProgress, AlertProgress, PartnerProgress, StateCounts }
