/**
 * Outbox benchmarks, in one run:
 *
 * - fan-out: confirming an alert to 100,000 SMS recipients (plan, keys, one
 *   transaction), beside raw prepared inserts of the same rows into the same
 *   schema: `outbox_fanout_ratio_to_raw` (goal ≥ 0.4);
 * - dispatch: the dispatcher sending through the real SMS gateway adapter to
 *   its loopback fake at the account's concurrency, beside raw HTTP requests to
 *   an identical fake from the same process at the same concurrency:
 *   `dispatch_ratio_to_raw` (goal ≥ 0.5);
 * - optionally the crash test's figures (see tests/crash/harness.ts).
 *
 * Bundle with esbuild (platform node, external better-sqlite3 and esbuild)
 * and call `runOutboxBench()`, or run the bundle with node to print the table.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import { createChannelAccountsRepository } from '../../src/main/core/channels/accounts-repository'
import {
  createSmsGatewayAdapter,
  orderIdFor,
} from '../../src/main/core/channels/adapters/sms-gateway'
import { openDatabase, type Db } from '../../src/main/core/db/open'
import { createDispatcher } from '../../src/main/core/outbox/dispatcher'
import { idempotencyKeyFor } from '../../src/main/core/outbox/idempotency'
import { runOutboxCrashTest, type CrashFigures } from '../../tests/crash/harness'
import { startFakeSmsGateway, type FakeSmsGateway } from '../../tests/fakes/sms-gateway-fake'

export interface OutboxBenchOptions {
  /** Recipients of the fan-out. Default 100,000. */
  fanoutRows?: number
  /** Messages dispatched (and raw requests made). Default 3,000. */
  dispatchMessages?: number
  /** Repetitions of each measure; the median is kept. Default 3. */
  repeat?: number
  /** Also run the crash test and include its figures. Default false. */
  crash?: boolean
  /** Repository root, for the crash test's child bundle. Default: the working directory. */
  repoRoot?: string
  log?: (line: string) => void
}

export interface OutboxBenchFigures {
  outbox_fanout_rows_per_s: number
  outbox_raw_rows_per_s: number
  outbox_fanout_ratio_to_raw: number
  /** Raw inserts into a bare table without indexes or constraints, for scale. */
  outbox_raw_bare_rows_per_s: number
  dispatch_concurrency: number
  dispatch_msgs_per_s: number
  dispatch_raw_per_s: number
  /** Median over rounds of (dispatch ÷ raw) measured back to back. */
  dispatch_ratio_to_raw: number
}

const TEXT =
  'ALLERTA ARANCIONE neve su Empoli e Vinci dalle 14:00 di sabato. Evita gli spostamenti. Info https://example.org/a'

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits
const numbers = (count: number, prefix = '+39333') =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(1_000_000 + i).padStart(7, '0')}`)

function workspace(dir: string, name: string): Db {
  return openDatabase(join(dir, `${name}.sqlite`))
}

function draftFor(db: Db, accountId: number, recipients: string[]) {
  const alerts = createAlertsService({
    db,
    audit: createAuditLog(db, () => new Date()),
    resolveRecipients: () => ({
      recipients: recipients.map((address, i) => ({
        contactId: i + 1,
        address,
        name: `Genitore ${i + 1}`,
      })),
      skipped: [],
    }),
  })
  const alert = alerts.createDraft(
    {
      kind: 'neve',
      level: 'arancione',
      comuni: [{ name: 'Empoli', istatCode: '048014' }],
      validFrom: '2026-02-07T14:00:00+01:00',
      validTo: '2026-02-08T14:00:00+01:00',
      headline: 'Allerta arancione per neve',
      texts: { sms: TEXT },
      targets: { accountIds: [accountId], listIds: [1] },
    },
    'bench',
  )
  return { alerts, alert }
}

function addGatewayAccount(db: Db, settings: Record<string, unknown> = {}): number {
  return createChannelAccountsRepository(db).create({
    kind: 'sms_gateway',
    name: 'Gateway',
    enabled: true,
    settings,
    secrets: {},
    now: new Date().toISOString(),
  })
}

/** One fan-out through `confirm()` and the same rows inserted raw; rows per second of each. */
function measureFanout(dir: string, run: number, recipients: string[]) {
  const db = workspace(dir, `fanout-${run}`)
  const accountId = addGatewayAccount(db)
  const { alerts, alert } = draftFor(db, accountId, recipients)
  const t0 = performance.now()
  const { rows } = alerts.confirm(alert.id, 'bench', { cancelWindowSeconds: 0 })
  const fanoutMs = performance.now() - t0
  if (rows !== recipients.length)
    throw new Error(`fan-out wrote ${rows} rows, expected ${recipients.length}`)
  db.close()

  // The same rows, the same schema (indexes included), one prepared statement, one transaction.
  const raw = workspace(dir, `raw-${run}`)
  const rawAccount = addGatewayAccount(raw)
  const { alert: rawAlert } = draftFor(raw, rawAccount, recipients)
  raw
    .prepare(
      "UPDATE alerts SET status = 'scheduled', confirmed_at = ?, send_after = 0 WHERE id = ?",
    )
    .run(new Date().toISOString(), rawAlert.id)
  const keys = recipients.map((r) => idempotencyKeyFor(rawAlert.identifier, rawAccount, r))
  const insert = raw.prepare(
    `INSERT INTO outbox (alert_id, account_id, contact_id, destination_type, address, recipient_name,
       idempotency_key, state, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, 'person', ?, ?, ?, 'queued', 0, ?, ?, ?)`,
  )
  const now = Date.now()
  const t1 = performance.now()
  raw.transaction(() => {
    recipients.forEach((r, i) =>
      insert.run(rawAlert.id, rawAccount, i + 1, r, `Genitore ${i + 1}`, keys[i], now, now, now),
    )
  })()
  const rawMs = performance.now() - t1
  raw.close()

  const bare = workspace(dir, `bare-${run}`)
  bare.exec(`CREATE TABLE rows (alert_id INTEGER, account_id INTEGER, contact_id INTEGER, destination_type TEXT,
    address TEXT, recipient_name TEXT, idempotency_key TEXT, state TEXT, attempts INTEGER,
    next_attempt_at INTEGER, created_at INTEGER, updated_at INTEGER)`)
  const bareInsert = bare.prepare(
    "INSERT INTO rows VALUES (?, ?, ?, 'person', ?, ?, ?, 'queued', 0, ?, ?, ?)",
  )
  const t2 = performance.now()
  bare.transaction(() => {
    recipients.forEach((r, i) =>
      bareInsert.run(1, 1, i + 1, r, `Genitore ${i + 1}`, keys[i], now, now, now),
    )
  })()
  const bareMs = performance.now() - t2
  bare.close()

  const perSecond = (ms: number) => (recipients.length / ms) * 1000
  return { fanout: perSecond(fanoutMs), raw: perSecond(rawMs), bare: perSecond(bareMs) }
}

async function login(fake: FakeSmsGateway): Promise<{ userKey: string; sessionKey: string }> {
  const query = new URLSearchParams({ username: fake.username, password: fake.password })
  const res = await fetch(`${fake.baseUrl}login?${query.toString()}`)
  const [userKey = '', sessionKey = ''] = (await res.text()).trim().split(';')
  return { userKey, sessionKey }
}

/** `count` SMS posted straight to the fake with fetch, `concurrency` at a time; per second. */
async function measureRawHttp(
  fake: FakeSmsGateway,
  count: number,
  concurrency: number,
  tag: string,
): Promise<number> {
  const session = await login(fake)
  const headers = {
    'Content-Type': 'application/json',
    user_key: session.userKey,
    Session_key: session.sessionKey,
  }
  const recipients = numbers(count, '+39347')
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const res = await fetch(`${fake.baseUrl}sms`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          message_type: 'GP',
          message: TEXT,
          recipient: [recipients[i]],
          sender: 'ProtCivile',
          order_id: orderIdFor(`${tag}:${i}`),
          returnCredits: true,
        }),
      })
      if (res.status !== 201)
        throw new Error(`raw request ${i} answered ${res.status}: ${await res.text()}`)
      await res.text()
    }
  }
  const t0 = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return (count / (performance.now() - t0)) * 1000
}

/** `count` rows of a confirmed alert dispatched to the fake; messages per second and the concurrency used. */
async function measureDispatch(dir: string, run: number, fake: FakeSmsGateway, count: number) {
  const db = workspace(dir, `dispatch-${run}`)
  // A rate high enough that only the account's concurrency paces the send.
  const settings = {
    baseUrl: fake.baseUrl,
    username: fake.username,
    sender: 'ProtCivile',
    ratePerSecond: 100_000,
  }
  const accountId = addGatewayAccount(db, settings)
  const { alerts, alert } = draftFor(db, accountId, numbers(count, `+3933${run}`))
  const adapter = createSmsGatewayAdapter(
    { accountId, name: 'Gateway', settings, secrets: { password: fake.password } },
    { timeoutMs: 5_000 },
  )
  let finish: () => void = () => undefined
  const done = new Promise<void>((resolve) => {
    finish = resolve
  })
  const dispatcher = createDispatcher({
    db,
    adapterFor: () => adapter,
    receipts: { firstPollMs: 3_600_000 },
    onAlertChange: (c) => {
      if (c.alertId === alert.id && c.status === 'done') finish()
    },
  })
  alerts.confirm(alert.id, 'bench', { cancelWindowSeconds: 0 })
  const t0 = performance.now()
  dispatcher.start()
  await done
  const ms = performance.now() - t0
  await dispatcher.stop()
  const sent = db
    .prepare<[number], { n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE alert_id = ? AND state = 'sent'",
    )
    .get(alert.id)?.n
  db.close()
  if (sent !== count) throw new Error(`dispatch sent ${sent ?? 0} of ${count}`)
  return { perSecond: (count / ms) * 1000, concurrency: adapter.limits().concurrency }
}

/** Runs the outbox benchmarks (and optionally the crash test) and prints a table. */
export async function runOutboxBench(
  options: OutboxBenchOptions = {},
): Promise<OutboxBenchFigures & Partial<CrashFigures>> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`))
  const repeat = Math.max(1, options.repeat ?? 3)
  const fanoutRows = options.fanoutRows ?? 100_000
  const dispatchMessages = options.dispatchMessages ?? 3_000
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-bench-outbox-'))
  try {
    const recipients = numbers(fanoutRows)
    // The first round warms up and is not counted.
    const fanouts = Array.from({ length: repeat + 1 }, (_, run) =>
      measureFanout(dir, run, recipients),
    ).slice(1)
    const fanout = median(fanouts.map((f) => f.fanout))
    const raw = median(fanouts.map((f) => f.raw))
    const bare = median(fanouts.map((f) => f.bare))

    // Separate fakes, so neither side pays for the other's orders in the fake's books. One
    // unmeasured round warms both paths up; then the two alternate which goes first, and the
    // ratio is the median of each round's ratio, so a neighbour's load shifts both sides alike.
    const dispatchRates: number[] = []
    const rawRates: number[] = []
    const ratios: number[] = []
    let concurrency = 0
    for (let run = 0; run <= repeat; run++) {
      const forDispatch = await startFakeSmsGateway()
      const forRaw = await startFakeSmsGateway()
      try {
        const count = run === 0 ? Math.min(500, dispatchMessages) : dispatchMessages
        const rawFirst = run % 2 === 1
        const rawRate = rawFirst
          ? await measureRawHttp(forRaw, count, concurrency || 4, `raw-${run}`)
          : 0
        const d = await measureDispatch(dir, run, forDispatch, count)
        concurrency = d.concurrency
        const r = rawFirst
          ? rawRate
          : await measureRawHttp(forRaw, count, concurrency, `raw-${run}`)
        if (run === 0) continue
        dispatchRates.push(d.perSecond)
        rawRates.push(r)
        ratios.push(d.perSecond / r)
      } finally {
        await forDispatch.close()
        await forRaw.close()
      }
    }
    const dispatch = median(dispatchRates)
    const rawHttp = median(rawRates)

    const figures: OutboxBenchFigures & Partial<CrashFigures> = {
      outbox_fanout_rows_per_s: round(fanout),
      outbox_raw_rows_per_s: round(raw),
      outbox_fanout_ratio_to_raw: round(fanout / raw, 3),
      outbox_raw_bare_rows_per_s: round(bare),
      dispatch_concurrency: concurrency,
      dispatch_msgs_per_s: round(dispatch),
      dispatch_raw_per_s: round(rawHttp),
      dispatch_ratio_to_raw: round(median(ratios), 3),
    }
    const row = (label: string, value: string) => log(`  ${label.padEnd(58)} ${value}`)
    log('Outbox')
    row(
      `fan-out of ${fanoutRows} SMS recipients (confirm)`,
      `${figures.outbox_fanout_rows_per_s} rows/s`,
    )
    row('raw inserts of the same rows, same schema', `${figures.outbox_raw_rows_per_s} rows/s`)
    row(
      'raw inserts into a bare table (no indexes), for scale',
      `${figures.outbox_raw_bare_rows_per_s} rows/s`,
    )
    row('fan-out / raw (goal >= 0.4)', String(figures.outbox_fanout_ratio_to_raw))
    row(
      `dispatch to the loopback gateway, concurrency ${concurrency}`,
      `${figures.dispatch_msgs_per_s} msg/s`,
    )
    row(
      'raw HTTP requests to the same fake, same concurrency',
      `${figures.dispatch_raw_per_s} req/s`,
    )
    row('dispatch / raw (goal >= 0.5)', String(figures.dispatch_ratio_to_raw))

    if (options.crash) {
      const crash = await runOutboxCrashTest({ repoRoot: options.repoRoot ?? process.cwd() })
      Object.assign(figures, crash)
      row(
        `crash test: ${crash.crash_kills} SIGKILLs, ${crash.crash_rows} rows`,
        `lost ${crash.crash_lost}, duplicates ${crash.crash_duplicates}, uncertain ${crash.crash_uncertain}`,
      )
    }
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  runOutboxBench({ crash: process.argv.includes('--crash') }).then(
    (figures) => process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
      process.exitCode = 1
    },
  )
}
