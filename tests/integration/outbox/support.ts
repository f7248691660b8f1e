import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChannelKind } from '../../../src/shared/channels/kinds'
import type { AlertDraftInput } from '../../../src/main/core/alerts/alert-schema'
import {
  createAlertsService,
  type AlertsServiceDeps,
} from '../../../src/main/core/alerts/alerts-service'
import type {
  AlertChange,
  ResolveRecipients,
  SkippedRecipient,
} from '../../../src/main/core/alerts/types'
import type { ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createAuditLog, type AuditLog } from '../../../src/main/core/audit/audit-log'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import type { RowChange } from '../../../src/main/core/outbox/types'

/** A hand-moved clock: tests count tokens and delays instead of waiting. */
export interface TestClock {
  now: () => number
  advance(ms: number): void
  set(ms: number): void
}

export function createClock(start = Date.parse('2026-02-07T12:00:00.000Z')): TestClock {
  let t = start
  return {
    now: () => t,
    advance: (ms) => {
      t += ms
    },
    set: (ms) => {
      t = ms
    },
  }
}

export interface Workspace {
  db: Db
  file: string
  clock: TestClock
  audit: AuditLog
  dispose(): void
}

/** A real workspace file (all migrations applied) in a fresh temp directory. */
export function openWorkspace(clock = createClock()): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-outbox-'))
  const file = join(dir, 'workspace.sqlite')
  const db = openDatabase(file)
  return {
    db,
    file,
    clock,
    audit: createAuditLog(db, () => new Date(clock.now())),
    dispose() {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Adds a channel account straight into the table (secrets are given to adapters by the test). */
export function addAccount(
  ws: Workspace,
  kind: ChannelKind,
  name: string,
  settings: Record<string, unknown> = {},
  enabled = true,
): number {
  return createChannelAccountsRepository(ws.db).create({
    kind,
    name,
    enabled,
    settings,
    secrets: {},
    now: new Date(ws.clock.now()).toISOString(),
  })
}

/** `count` Italian mobile numbers, distinct and valid for the gateway. */
export function phones(count: number, offset = 0): string[] {
  return Array.from(
    { length: count },
    (_, i) => `+39333${String(1_000_000 + offset + i).padStart(7, '0')}`,
  )
}

/**
 * Lists as plain data, resolved the way the lists area does it: people with
 * an address on the family, plus those it skipped and why.
 */
export function listsResolver(
  lists: Record<
    number,
    { sms?: string[]; email?: string[]; voice?: string[]; skipped?: SkippedRecipient[] }
  >,
): ResolveRecipients {
  return (listIds, family) => {
    const recipients: { contactId: number; address: string; name: string }[] = []
    const skipped: SkippedRecipient[] = []
    for (const listId of listIds) {
      const list = lists[listId]
      if (!list) continue
      const addresses =
        family === 'sms'
          ? list.sms
          : family === 'email'
            ? list.email
            : family === 'voice'
              ? list.voice
              : undefined
      ;(addresses ?? []).forEach((address, i) => {
        recipients.push({
          contactId: listId * 100_000 + i,
          address,
          name: `Persona ${listId}-${i}`,
        })
      })
      skipped.push(...(list.skipped ?? []))
    }
    return { recipients, skipped }
  }
}

export const SMS_TEXT =
  'ALLERTA ARANCIONE neve su Empoli e Vinci dalle 14:00. Info: https://example.org/a'

/** About 20 seconds when spoken (shared/text/spoken-it.ts). */
export const VOICE_TEXT =
  'Messaggio della Protezione civile del Circondario Empolese Valdelsa. Allerta arancione per neve su Empoli e Vinci da sabato alle quattordici. Evita gli spostamenti non necessari. Ripeto: evita gli spostamenti non necessari.'

/** A complete draft; override what a test is about. */
export function draftInput(overrides: Partial<AlertDraftInput> = {}): AlertDraftInput {
  return {
    kind: 'neve',
    level: 'arancione',
    comuni: [
      { name: 'Empoli', istatCode: '048014' },
      { name: 'Vinci', istatCode: '048050' },
    ],
    validFrom: '2026-02-07T14:00:00+01:00',
    validTo: '2026-02-08T23:59:00+01:00',
    headline: 'Allerta arancione per neve',
    description: 'Nevicate abbondanti anche in pianura.',
    instruction: 'Evita gli spostamenti non necessari.',
    texts: {
      sms: SMS_TEXT,
      email_subject: 'Allerta arancione neve',
      email_body: 'Allerta arancione per neve su Empoli e Vinci.',
      mastodon: 'Allerta arancione per neve su Empoli e Vinci. #allerta',
      x: 'Allerta arancione per neve su Empoli e Vinci.',
      telegram: 'Allerta arancione per neve su Empoli e Vinci.',
      facebook: 'Allerta arancione per neve su Empoli e Vinci.',
      bluesky: 'Allerta arancione per neve su Empoli e Vinci.',
      website: 'Allerta arancione per neve su Empoli e Vinci.',
      voice: VOICE_TEXT,
    },
    ...overrides,
  }
}

/** Events as the UI would receive them. */
export interface EventLog {
  rows: RowChange[][]
  alerts: AlertChange[]
}

export function eventLog(): EventLog & Required<Pick<AlertsServiceDeps, 'events'>> {
  const log: EventLog = { rows: [], alerts: [] }
  return {
    ...log,
    events: {
      rowsChanged: (changes) => log.rows.push(changes),
      alertChanged: (change) => log.alerts.push(change),
    },
  }
}

/** The alerts service over a workspace, with lists given as data. */
export function alertsService(
  ws: Workspace,
  resolve: ResolveRecipients,
  extra: Partial<AlertsServiceDeps> = {},
) {
  return createAlertsService({
    db: ws.db,
    audit: ws.audit,
    now: ws.clock.now,
    resolveRecipients: resolve,
    ...extra,
  })
}

/** Rows of the outbox by state, for assertions. */
export function stateCounts(db: Db, alertId: number): Record<string, number> {
  const rows = db
    .prepare<[number], { state: string; n: number }>(
      'SELECT state, count(*) AS n FROM outbox WHERE alert_id = ? GROUP BY state',
    )
    .all(alertId)
  return Object.fromEntries(rows.map((r) => [r.state, r.n]))
}

/** Wraps an adapter to record the most requests it ever had in flight at once. */
export function withConcurrencyProbe<T extends ChannelAdapter>(adapter: T): T & { peak: number } {
  let current = 0
  const probe = Object.create(adapter) as T & { peak: number }
  probe.peak = 0
  probe.send = async (message, signal) => {
    current++
    probe.peak = Math.max(probe.peak, current)
    try {
      return await adapter.send(message, signal)
    } finally {
      current--
    }
  }
  return probe
}

/** The rows of an alert with the columns the dispatcher writes. */
export function outboxRows(db: Db, alertId: number) {
  return db
    .prepare<
      [number],
      {
        id: number
        account_id: number
        address: string
        idempotency_key: string
        state: string
        attempts: number
        next_attempt_at: number
        lease_until: number | null
        provider_id: string | null
        last_error_code: string | null
        last_error: string | null
      }
    >(
      `SELECT id, account_id, address, idempotency_key, state, attempts, next_attempt_at, lease_until,
         provider_id, last_error_code, last_error FROM outbox WHERE alert_id = ? ORDER BY id`,
    )
    .all(alertId)
}
