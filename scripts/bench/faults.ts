/**
 * The faults benchmark: the real dispatcher, real adapters and their loopback
 * fakes, a real SQLite file, under the faults a flood night brings. Each
 * figure is a promise of the README counted, not assumed:
 *
 * - `fault_timeouts_duplicates`: people who got an SMS twice when 20% of the
 *   requests reach Twilio and then time out (goal 0), with
 *   `fault_timeouts_uncertain`, the rows left for the operator to decide;
 * - `fault_sent_after_stop`: requests that left after Stop returned, over 20
 *   Stops at random moments (goal 0);
 * - `fault_restore_resent`: requests made after restoring a backup taken
 *   mid-send (goal 0);
 * - `fault_outage_delivered_ratio` / `fault_outage_failed`: after a 30-minute
 *   outage of the gateway (connections refused) on a simulated clock
 *   (goals 1.0 and 0);
 * - `fault_red_first_sms_ms`: from confirming a red alert to its first request
 *   while 50,000 yellow rows wait on the same 1 msg/s Twilio sender, beside
 *   `fault_red_rate_interval_ms` (goal ≤ one interval);
 * - `fault_stall_alarm_ms`: from the database turning unwritable to the
 *   "invio fermo" alarm (goal < 5,000).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import type { AlertLevel } from '../../src/shared/templates/alert-kinds'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import { backupDatabase, restoreWorkspace } from '../../src/main/core/backup'
import type { ChannelAdapter } from '../../src/main/core/channels/adapter'
import { createChannelAccountsRepository } from '../../src/main/core/channels/accounts-repository'
import { createSmsGatewayAdapter } from '../../src/main/core/channels/adapters/sms-gateway'
import { createTwilioAdapter } from '../../src/main/core/channels/adapters/twilio'
import { openDatabase, type Db } from '../../src/main/core/db/open'
import { createDispatcher, type Dispatcher } from '../../src/main/core/outbox/dispatcher'
import { workspaceFile } from '../../src/main/core/workspace'
import { startFakeSmsGateway } from '../../tests/fakes/sms-gateway-fake'
import { startFakeTwilio, type FakeTwilio } from '../../tests/fakes/twilio-fake'

export interface FaultFigures {
  fault_timeouts_requests: number
  fault_timeouts_late: number
  fault_timeouts_duplicates: number
  fault_timeouts_uncertain: number
  fault_stops: number
  fault_sent_after_stop: number
  fault_stops_mid_send: number
  fault_restore_resent: number
  fault_restore_open_rows: number
  fault_outage_delivered_ratio: number
  fault_outage_failed: number
  fault_red_first_sms_ms: number
  fault_red_rate_interval_ms: number
  fault_red_yellow_queued: number
  fault_stall_alarm_ms: number
}

const TEXT =
  'ALLERTA ROSSA idraulica su Empoli: allontanatevi dagli argini. Info https://example.org/a'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const numbers = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(1_000_000 + i).padStart(7, '0')}`)

/** A seeded draw, so a run can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Bench {
  db: Db
  dir: string
  addAccount(kind: 'sms_twilio' | 'sms_gateway', settings: Record<string, unknown>): number
  confirm(accountId: number, recipients: string[], level?: AlertLevel): number
  states(alertId: number): Record<string, number>
  close(): void
}

function bench(dir: string, name: string, now: () => number = Date.now): Bench {
  const db = openDatabase(join(dir, `${name}.sqlite`))
  let lists: Record<number, string[]> = {}
  const alerts = createAlertsService({
    db,
    audit: createAuditLog(db, () => new Date(now())),
    now,
    resolveRecipients: (listIds) => ({
      recipients: listIds.flatMap((id) =>
        (lists[id] ?? []).map((address, i) => ({ contactId: i + 1, address, name: `P${i}` })),
      ),
      skipped: [],
    }),
  })
  let nextList = 1
  return {
    db,
    dir,
    addAccount: (kind, settings) =>
      createChannelAccountsRepository(db).create({
        kind,
        name: `${kind} ${Math.random()}`,
        enabled: true,
        settings,
        secrets: {},
        now: new Date(now()).toISOString(),
      }),
    confirm(accountId, recipients, level = 'rosso') {
      const listId = nextList++
      lists = { ...lists, [listId]: recipients }
      const validFrom = new Date(now()).toISOString()
      const validTo = new Date(now() + 24 * 3_600_000).toISOString()
      const alert = alerts.createDraft(
        {
          kind: 'idraulico',
          level,
          comuni: [{ name: 'Empoli', istatCode: '048014' }],
          validFrom,
          validTo,
          headline: 'Allerta idraulica',
          texts: { sms: TEXT },
          targets: { accountIds: [accountId], listIds: [listId] },
        },
        'bench',
      )
      alerts.confirm(alert.id, 'bench', { cancelWindowSeconds: 0 })
      return alert.id
    },
    states(alertId) {
      const rows = db
        .prepare<[number], { state: string; n: number }>(
          'SELECT state, count(*) AS n FROM outbox WHERE alert_id = ? GROUP BY state',
        )
        .all(alertId)
      return Object.fromEntries(rows.map((r) => [r.state, r.n]))
    },
    close: () => db.close(),
  }
  // `stop` is reached through the service in `stopAlert` below.
}

function twilioFor(fake: FakeTwilio, accountId: number, timeoutMs = 2_000) {
  return createTwilioAdapter(
    {
      accountId,
      name: 'Twilio',
      settings: {
        baseUrl: fake.url,
        accountSid: fake.accountSid,
        from: '+15005550006',
        ratePerSecond: 1_000,
      },
      secrets: { authToken: fake.authToken },
    },
    { timeoutMs },
  )
}

function twilioSettings(fake: FakeTwilio, ratePerSecond: number) {
  return { baseUrl: fake.url, accountSid: fake.accountSid, from: '+15005550006', ratePerSecond }
}

async function until(check: () => boolean, timeoutMs: number, label: string): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`faults bench: timed out waiting for ${label}`)
    await sleep(5)
  }
}

const open = (s: Record<string, number>) => (s.queued ?? 0) + (s.sending ?? 0)

/** 20% of the requests reach Twilio, are carried out, and their answer comes too late. */
async function timeouts(dir: string) {
  const b = bench(dir, 'timeouts')
  const fake = await startFakeTwilio()
  const recipients = numbers(300, '+39347')
  const random = seeded(7)
  let late = 0
  for (let i = 0; i < recipients.length; i++) {
    if (random() < 0.2) {
      fake.delayNext(1, 600)
      late++
    } else fake.passNext(1)
  }
  const accountId = b.addAccount('sms_twilio', twilioSettings(fake, 1_000))
  const adapter = twilioFor(fake, accountId, 300)
  const dispatcher = createDispatcher({ db: b.db, adapterFor: () => adapter })
  const alertId = b.confirm(accountId, recipients)
  dispatcher.start()
  await until(() => open(b.states(alertId)) === 0, 120_000, 'the timeouts run')
  // Let the late answers arrive, and any (wrong) retry a chance to happen.
  await sleep(1_500)
  await dispatcher.stop()
  const perPerson = new Map<string, number>()
  for (const m of fake.messages) perPerson.set(m.to, (perPerson.get(m.to) ?? 0) + 1)
  const duplicates = [...perPerson.values()].filter((n) => n > 1).length
  const uncertain = b.states(alertId).uncertain ?? 0
  await fake.close()
  b.close()
  return { requests: fake.requests.length, late, duplicates, uncertain }
}

/** Wraps an adapter to record when each request left. */
function timed(adapter: ChannelAdapter, starts: number[]): ChannelAdapter {
  const t: ChannelAdapter = Object.create(adapter) as ChannelAdapter
  t.send = (message, signal) => {
    starts.push(performance.now())
    return adapter.send(message, signal)
  }
  return t
}

/** 20 Stops at random moments of a send, on an idempotent lane (rows claimed ahead) and on Twilio. */
async function stops(dir: string) {
  const random = seeded(11)
  const gateway = await startFakeSmsGateway()
  const twilio = await startFakeTwilio()
  let after = 0
  let midSend = 0
  const runs = 20
  for (let run = 0; run < runs; run++) {
    const b = bench(dir, `stop-${run}`)
    // The alerts service tells the dispatcher about Stop, as app.ts wires it.
    const wiring: { dispatcher?: Dispatcher } = {}
    const alerts = createAlertsService({
      db: b.db,
      audit: createAuditLog(b.db, () => new Date()),
      resolveRecipients: () => ({ recipients: [], skipped: [] }),
      events: {
        rowsChanged: () => undefined,
        alertChanged: (c) => c.status === 'stopped' && wiring.dispatcher?.forgetAlert(c.alertId),
      },
    })
    const starts: number[] = []
    let adapter: ChannelAdapter
    let accountId: number
    if (run % 2 === 0) {
      const settings = {
        baseUrl: gateway.baseUrl,
        username: gateway.username,
        sender: 'ProtCivile',
        ratePerSecond: 2_000,
      }
      accountId = b.addAccount('sms_gateway', settings)
      adapter = createSmsGatewayAdapter(
        { accountId, name: 'Gateway', settings, secrets: { password: gateway.password } },
        { timeoutMs: 5_000 },
      )
    } else {
      accountId = b.addAccount('sms_twilio', twilioSettings(twilio, 2_000))
      adapter = twilioFor(twilio, accountId)
    }
    const probe = timed(adapter, starts)
    const dispatcher = createDispatcher({ db: b.db, adapterFor: () => probe })
    wiring.dispatcher = dispatcher
    const alertId = b.confirm(accountId, numbers(400, `+3933${run % 10}`))
    dispatcher.start()
    await sleep(5 + Math.floor(random() * 60))
    alerts.stop(alertId, 'bench')
    const stoppedAt = performance.now()
    if (starts.length > 0 && starts.length < 400) midSend++
    await sleep(300)
    await dispatcher.stop()
    after += starts.filter((t) => t > stoppedAt).length
    b.close()
  }
  await gateway.close()
  await twilio.close()
  return { runs, after, midSend }
}

/** A backup taken while an alert is half sent, restored, then a dispatcher started on it. */
async function restore(dir: string) {
  const b = bench(dir, 'restore-source')
  const fake = await startFakeTwilio()
  const accountId = b.addAccount('sms_twilio', twilioSettings(fake, 200))
  const adapter = twilioFor(fake, accountId)
  const dispatcher = createDispatcher({ db: b.db, adapterFor: () => adapter })
  const alertId = b.confirm(accountId, numbers(400, '+39348'))
  dispatcher.start()
  await until(() => (b.states(alertId).sent ?? 0) >= 50, 30_000, 'half a send')
  const backup = join(dir, 'mid-send.sqlite')
  await backupDatabase(b.db, backup)
  await dispatcher.stop()
  const backedUp = openDatabase(backup)
  const openRows = backedUp
    .prepare<[], { n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sending')",
    )
    .get()!.n
  backedUp.close()
  b.close()
  const target = join(dir, 'restored')
  mkdirSync(target)
  await restoreWorkspace(target, backup)
  const postsBefore = fake.requests.filter((r) => r.method === 'POST').length
  const db = openDatabase(workspaceFile(target))
  const restarted = createDispatcher({ db, adapterFor: () => twilioFor(fake, accountId) })
  restarted.start()
  await sleep(2_000)
  await restarted.stop()
  db.close()
  const postsAfter = fake.requests.filter((r) => r.method === 'POST').length
  await fake.close()
  return { resent: postsAfter - postsBefore, openRows }
}

/** The gateway refuses connections for 30 simulated minutes, then comes back. */
async function outage(dir: string) {
  let t = Date.parse('2026-11-04T02:00:00Z')
  const now = () => t
  const b = bench(dir, 'outage', now)
  const fake = await startFakeSmsGateway()
  const settings = {
    baseUrl: fake.baseUrl,
    username: fake.username,
    sender: 'ProtCivile',
    ratePerSecond: 1_000,
  }
  const accountId = b.addAccount('sms_gateway', settings)
  const downUntil = t + 30 * 60_000
  // The network between Vedetta and the gateway is down: connections are refused.
  const fetchThroughOutage: typeof fetch = (input, init) => {
    if (t < downUntil) {
      const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1'), {
        code: 'ECONNREFUSED',
      })
      return Promise.reject(new TypeError('fetch failed', { cause }))
    }
    return fetch(input, init)
  }
  const adapter = createSmsGatewayAdapter(
    {
      accountId,
      name: 'Gateway',
      settings,
      secrets: { password: fake.password },
      fetch: fetchThroughOutage,
      now,
    },
    { timeoutMs: 5_000 },
  )
  const dispatcher = createDispatcher({
    db: b.db,
    adapterFor: () => adapter,
    now,
    receipts: { firstPollMs: 24 * 3_600_000 },
  })
  const total = 500
  const alertId = b.confirm(accountId, numbers(total, '+39349'))
  for (let i = 0; i < 2_000 && open(b.states(alertId)) > 0; i++) {
    await dispatcher.tick()
    t += 5_000
  }
  const s = b.states(alertId)
  await fake.close()
  b.close()
  return { ratio: ((s.sent ?? 0) + (s.delivered ?? 0)) / total, failed: s.failed ?? 0 }
}

/** 50,000 yellow rows wait on a 1 msg/s sender; a red alert is confirmed. */
async function redFirst(dir: string) {
  const b = bench(dir, 'red-first')
  const fake = await startFakeTwilio()
  const accountId = b.addAccount('sms_twilio', twilioSettings(fake, 1))
  const adapter = createTwilioAdapter({
    accountId,
    name: 'Twilio',
    settings: twilioSettings(fake, 1),
    secrets: { authToken: fake.authToken },
  })
  const redNumbers = new Set(numbers(10, '+39320'))
  let redLeftAt = 0
  const probe: ChannelAdapter = Object.create(adapter) as ChannelAdapter
  probe.send = (message, signal) => {
    const to = message.destination.type === 'person' ? message.destination.address : ''
    if (redLeftAt === 0 && redNumbers.has(to)) redLeftAt = performance.now()
    return adapter.send(message, signal)
  }
  const dispatcher = createDispatcher({ db: b.db, adapterFor: () => probe })
  const yellow = b.confirm(accountId, numbers(50_000, '+39340'), 'giallo')
  dispatcher.start()
  await until(() => fake.messages.length >= 2, 10_000, 'the yellow alert to start')
  const t0 = performance.now()
  b.confirm(accountId, [...redNumbers], 'rosso')
  await until(() => redLeftAt > 0, 30_000, 'the red alert’s first SMS')
  const ms = redLeftAt - t0
  const queued = b.states(yellow).queued ?? 0
  await dispatcher.stop()
  await fake.close()
  b.close()
  return { ms, interval: 1000 / adapter.limits().ratePerSecond, queued }
}

/** The workspace turns unwritable while sending: how soon does the room say so? */
async function stall(dir: string) {
  const b = bench(dir, 'stall')
  const fake = await startFakeTwilio()
  const accountId = b.addAccount('sms_twilio', twilioSettings(fake, 50))
  const adapter = twilioFor(fake, accountId)
  let alarmAt = 0
  const dispatcher = createDispatcher({
    db: b.db,
    adapterFor: () => adapter,
    onStall: (reason) => {
      if (reason !== null && alarmAt === 0) alarmAt = performance.now()
    },
  })
  const alertId = b.confirm(accountId, numbers(2_000, '+39341'))
  dispatcher.start()
  await until(() => fake.messages.length >= 20, 10_000, 'sending')
  const t0 = performance.now()
  b.db.pragma('query_only = ON')
  await until(() => alarmAt > 0, 10_000, 'the stall alarm')
  const ms = alarmAt - t0
  b.db.pragma('query_only = OFF')
  await dispatcher.stop()
  void alertId
  await fake.close()
  b.close()
  return { ms }
}

export async function runFaultsBench(log: (line: string) => void = () => undefined) {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-faults-'))
  try {
    log('timeouts…')
    const t = await timeouts(dir)
    log('stops…')
    const s = await stops(dir)
    log('restore…')
    const r = await restore(dir)
    log('outage…')
    const o = await outage(dir)
    log('red first…')
    const red = await redFirst(dir)
    log('stall…')
    const st = await stall(dir)
    const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits
    const figures: FaultFigures = {
      fault_timeouts_requests: t.requests,
      fault_timeouts_late: t.late,
      fault_timeouts_duplicates: t.duplicates,
      fault_timeouts_uncertain: t.uncertain,
      fault_stops: s.runs,
      fault_sent_after_stop: s.after,
      fault_stops_mid_send: s.midSend,
      fault_restore_resent: r.resent,
      fault_restore_open_rows: r.openRows,
      fault_outage_delivered_ratio: round(o.ratio, 3),
      fault_outage_failed: o.failed,
      fault_red_first_sms_ms: round(red.ms),
      fault_red_rate_interval_ms: red.interval,
      fault_red_yellow_queued: red.queued,
      fault_stall_alarm_ms: round(st.ms),
    }
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
