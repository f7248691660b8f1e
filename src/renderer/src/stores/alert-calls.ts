import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CallLogEntry, CallOutcomeName, OutboxRow, RowChange } from '@shared/alerts/outbox'
import { api } from '../api'

/** A voice account whose calls the board follows, and how many tries it gives each person. */
export interface VoiceAccount {
  id: number
  name: string
  attempts: number
}

/** One person's call as the board shows it: the row, and the tries of its account. */
export interface CallRow extends OutboxRow {
  /** Tries per person on the account, or as the last change said. */
  of: number
}

/** What the board says of a call: a state word, which try, and the times that matter. */
export interface CallLine {
  outcome:
    | CallOutcomeName
    | 'waiting'
    | 'not_reached'
    /** The alert was stopped before this person was called (again). */
    | 'cancelled'
    /** The provider refused the number: no call was placed. */
    | 'refused'
  attempt?: { n: number; of: number }
  /** When the call ended (answered, voicemail, cut short). */
  at?: number
  /** When the next try rings (a redial waiting). */
  redialAt?: number
  /** Every try with its time (not reached). */
  log?: CallLogEntry[]
  /** The provider's own words, when no call was placed. */
  reason?: string
}

const UNANSWERED: readonly (CallOutcomeName | null)[] = ['busy', 'no_answer', 'failed']

/** The board's reading of a voice row: what state the call is in now. */
export function callLine(row: CallRow): CallLine {
  const attempt = (n: number) => (row.of > 1 && n > 0 ? { attempt: { n, of: row.of } } : {})
  const last = row.callLog[row.callLog.length - 1]
  switch (row.state) {
    case 'cancelled':
      return { outcome: 'cancelled', ...attempt(row.callAttempt) }
    case 'failed':
      if (row.lastErrorCode === 'not_reached')
        return { outcome: 'not_reached', log: row.callLog, ...attempt(row.callAttempt) }
      if (row.callAttempt === 0 || row.callOutcome === null)
        return { outcome: 'refused', ...(row.lastError ? { reason: row.lastError } : {}) }
      return { outcome: row.callOutcome, ...(last ? { at: last.at } : {}) }
    case 'sending':
      // Being placed now: a redial still carries the last call's outcome.
      return { outcome: 'queued', ...attempt(row.callAttempt + 1) }
    case 'queued':
      if (row.callAttempt > 0 && UNANSWERED.includes(row.callOutcome))
        return {
          outcome: row.callOutcome!,
          ...attempt(row.callAttempt),
          ...(row.nextAttemptAt > 0 ? { redialAt: row.nextAttemptAt } : {}),
        }
      return { outcome: 'waiting' }
    case 'delivered':
      return {
        outcome: row.callOutcome ?? 'answered',
        ...attempt(row.callAttempt),
        ...(last ? { at: last.at } : {}),
      }
    default:
      // sent: placed, and followed until it ends; uncertain: placed perhaps.
      return { outcome: row.callOutcome ?? 'queued', ...attempt(row.callAttempt) }
  }
}

/** A row with a change applied in place, as the dispatcher reported it. */
export function applyRowChange(row: CallRow, change: RowChange): CallRow {
  return {
    ...row,
    state: change.state,
    attempts: change.attempts,
    lastErrorCode: change.lastErrorCode ?? (change.state === row.state ? row.lastErrorCode : null),
    lastError: change.lastError ?? (change.state === row.state ? row.lastError : null),
    ...(change.providerId ? { providerId: change.providerId } : {}),
    ...(change.call
      ? { callOutcome: change.call.outcome, callAttempt: change.call.attempt, of: change.call.of }
      : {}),
    // The next try's time comes with the next read of the row.
    nextAttemptAt: change.state === 'queued' ? 0 : row.nextAttemptAt,
    updatedAt: change.at,
  }
}

const LIVE: readonly OutboxRow['state'][] = ['sending', 'sent']
/** Ringing and answering send no event: while a call is live, the board reads its rows again. */
const LIVE_REFRESH_MS = 2_000
const PAGE = 1_000

/** The calls of the alert on screen, per voice account, kept current by row events. */
export const useAlertCallsStore = defineStore('alertCalls', () => {
  const rows = ref<CallRow[]>([])
  const failure = ref('')
  let alertId: number | null = null
  let accounts: VoiceAccount[] = []
  let off: (() => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let loading: Promise<void> | undefined

  async function readAll(): Promise<CallRow[]> {
    const id = alertId
    if (id === null) return []
    const out: CallRow[] = []
    for (const a of accounts) {
      let afterId = 0
      for (;;) {
        const page = await api['alerts:rows']({ id, accountId: a.id, afterId, limit: PAGE })
        out.push(...page.filter((r) => r.kind === 'alert').map((r) => ({ ...r, of: a.attempts })))
        if (page.length < PAGE) break
        afterId = page[page.length - 1]!.id
      }
    }
    return out
  }

  function schedule(ms: number) {
    timer ??= setTimeout(() => {
      timer = undefined
      void reload()
    }, ms)
  }

  async function reload(): Promise<void> {
    const forAlert = alertId
    loading ??= readAll()
      .then((next) => {
        if (forAlert !== alertId) return
        rows.value = next
        failure.value = ''
      })
      .catch((err: unknown) => {
        // The board keeps what it showed; the reason is on screen until the next read works.
        failure.value = (err as Error).message
        console.error('alert calls', err)
      })
      .finally(() => {
        loading = undefined
        if (alertId !== null && rows.value.some((r) => LIVE.includes(r.state)))
          schedule(LIVE_REFRESH_MS)
      })
    return loading
  }

  function onRows(changes: RowChange[]) {
    const ids = new Set(accounts.map((a) => a.id))
    let moved = false
    for (const c of changes) {
      if (c.alertId !== alertId || !ids.has(c.accountId)) continue
      const i = rows.value.findIndex((r) => r.id === c.id)
      if (i >= 0) rows.value[i] = applyRowChange(rows.value[i]!, c)
      moved = true
    }
    // New rows, and the redial times the events do not carry, come with a read.
    if (moved) schedule(300)
  }

  /** Follows the calls of one alert on these voice accounts (none: follows nothing). */
  async function follow(id: number, voiceAccounts: VoiceAccount[]): Promise<void> {
    alertId = id
    accounts = voiceAccounts
    off ??= api.on('outbox:rows', onRows)
    if (!accounts.length) {
      rows.value = []
      return
    }
    await reload()
  }

  function stop() {
    off?.()
    off = undefined
    clearTimeout(timer)
    timer = undefined
    alertId = null
    accounts = []
    rows.value = []
  }

  return { rows, failure, follow, reload, stop }
})
