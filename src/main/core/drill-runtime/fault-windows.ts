import type { FaultView } from '../../../shared/contract/drills'
import type { ChannelAccountsRepository } from '../channels/accounts-repository'
import type { SimulatedRegistry } from '../channels/adapters'
import type { ReadonlyDrillClock } from '../drills/drill-clock'

/**
 * Simulated outages on the drill timeline. A twin's fault ends at a wall time,
 * but a drill's clock pauses, speeds up and jumps: so each window is kept in
 * scenario time and its wall end is worked out again whenever the clock
 * changes, and the fault is lifted when the scenario passes its end.
 */

export interface FaultWindow {
  accountId: number
  channel: string
  fault: 'down' | 'rate_limited' | 'reject'
  /** Scenario ms. */
  from: number
  to: number
  detail?: string
}

/** While the clock stands still the outage holds; this is only how long a twin is told it lasts. */
const HOLD_MS = 60 * 60 * 1000

export interface FaultWindows {
  open(window: FaultWindow, clock: ReadonlyDrillClock): void
  /** Brings the twins in line with the clock (after every change of it, and now and then). */
  apply(clock: ReadonlyDrillClock): void
  list(scenarioNow: number): FaultView[]
  all(): FaultWindow[]
}

export function createFaultWindows(deps: {
  registry: SimulatedRegistry
  accounts: ChannelAccountsRepository
  /** Wall epoch ms, as the twins read it. */
  now: () => number
}): FaultWindows {
  const windows: FaultWindow[] = []
  const faulted = new Set<number>()

  function twinOf(accountId: number) {
    const account = deps.accounts.get(accountId)
    if (!account) return undefined
    // Built now if no message went through it yet: the outage must be there for the first one.
    return deps.registry.adapterFor(account.kind, {
      accountId,
      name: account.name,
      settings: account.settings,
      secrets: {},
    })
  }

  function apply(clock: ReadonlyDrillClock): void {
    const scenarioNow = clock.scenarioNow()
    const current = new Map<number, FaultWindow>()
    for (const w of windows)
      if (w.from <= scenarioNow && scenarioNow < w.to) current.set(w.accountId, w)
    for (const accountId of faulted) {
      if (!current.has(accountId)) {
        twinOf(accountId)?.setFault(null)
        faulted.delete(accountId)
      }
    }
    for (const [accountId, w] of current) {
      const wallLeft = clock.wallMsUntil(w.to) ?? HOLD_MS
      twinOf(accountId)?.setFault({ kind: w.fault, until: deps.now() + Math.ceil(wallLeft) })
      faulted.add(accountId)
    }
  }

  return {
    open(window, clock) {
      windows.push(window)
      apply(clock)
    },
    apply,
    list: (scenarioNow) =>
      windows.map((w) => ({
        channel: w.channel,
        accountId: w.accountId,
        fault: w.fault,
        from: w.from,
        to: w.to,
        active: w.from <= scenarioNow && scenarioNow < w.to,
      })),
    all: () => windows.map((w) => ({ ...w })),
  }
}
