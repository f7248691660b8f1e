import type { Alert } from './types'

/** What a version is to the people reading the board: the alert, its n-th update, or its end. */
export type VersionLabel = { kind: 'alert' } | { kind: 'update'; n: number } | { kind: 'cessata' }

export interface AlertVersion {
  alert: Alert
  label: VersionLabel
}

/** An alert and its follow-ups, oldest first. */
export interface AlertChain {
  /** The first version's id: the chain's name on the board. */
  rootId: number
  versions: AlertVersion[]
  /** The last confirmed version still counting (not a draft, cancelled or stopped); null if none. */
  inForce: Alert | null
}

/** A "cessata allerta": a CAP Cancel, or an alert of the cessata kind. */
export const isCessata = (a: Alert): boolean =>
  a.msgType === 'Cancel' || a.kind === 'cessata_allerta'

/** Confirmed and not taken back: its messages are leaving or have left. */
export const isConfirmed = (a: Alert): boolean =>
  (a.status === 'scheduled' || a.status === 'sending' || a.status === 'done') &&
  a.confirmedAt !== null

/**
 * Groups alerts into chains by following `referencesAlertId` back to the first
 * version (a follow-up may reference the original or an earlier follow-up). A
 * version whose predecessor is not among `alerts` (older than the page read)
 * starts its own chain. Updates are numbered in the order they were created,
 * so a label never changes once seen. Newest chain (by its latest version) first.
 */
export function alertChains(alerts: readonly Alert[]): AlertChain[] {
  const byId = new Map(alerts.map((a) => [a.id, a]))
  const rootOf = (a: Alert): number => {
    const seen = new Set<number>()
    let current = a
    while (current.referencesAlertId !== null && !seen.has(current.id)) {
      seen.add(current.id)
      const previous = byId.get(current.referencesAlertId)
      if (!previous) break
      current = previous
    }
    return current.id
  }
  const groups = new Map<number, Alert[]>()
  for (const a of alerts) {
    const root = rootOf(a)
    const group = groups.get(root)
    if (group) group.push(a)
    else groups.set(root, [a])
  }
  const chains = [...groups].map(([rootId, members]): AlertChain => {
    members.sort((x, y) => x.id - y.id)
    let updates = 0
    const versions = members.map((alert): AlertVersion => {
      if (isCessata(alert) && alert.id !== rootId) return { alert, label: { kind: 'cessata' } }
      // A first version that is itself an update: its original is older than the page read.
      if (alert.id === rootId && alert.msgType !== 'Update')
        return { alert, label: isCessata(alert) ? { kind: 'cessata' } : { kind: 'alert' } }
      return { alert, label: { kind: 'update', n: ++updates } }
    })
    const confirmed = members
      .filter(isConfirmed)
      .sort((x, y) =>
        x.confirmedAt! < y.confirmedAt! ? -1 : x.confirmedAt! > y.confirmedAt! ? 1 : x.id - y.id,
      )
    return { rootId, versions, inForce: confirmed.at(-1) ?? null }
  })
  const newest = (c: AlertChain) => c.versions.at(-1)!.alert.id
  return chains.sort((x, y) => newest(y) - newest(x))
}
