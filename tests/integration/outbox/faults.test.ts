import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelAdapter, SendOutcome } from '../../../src/main/core/channels/adapter'
import {
  createSimulatedAdapter,
  type SimulatedChannelAdapter,
} from '../../../src/main/core/channels/adapters/simulated'
import { backupDatabase, restoreWorkspace } from '../../../src/main/core/backup'
import { createAuditLog } from '../../../src/main/core/audit/audit-log'
import { openDatabase } from '../../../src/main/core/db/open'
import { createDispatcher } from '../../../src/main/core/outbox/dispatcher'
import { workspaceFile } from '../../../src/main/core/workspace'
import {
  addAccount,
  alertsService,
  createClock,
  draftInput,
  listsResolver,
  openWorkspace,
  outboxRows,
  phones,
  stateCounts,
  type Workspace,
} from './support'

let ws: Workspace | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
})

const FAST = { ratePerSecond: 1000, burst: 1000, concurrency: 4 }

/**
 * A provider whose answers get lost: the message reaches it (the twin records
 * it), then the adapter sees a timeout, as when a gateway accepts an SMS and
 * the connection dies before its reply.
 */
function losingAnswers(twin: SimulatedChannelAdapter, lose: (n: number) => boolean) {
  let n = 0
  const adapter: ChannelAdapter = Object.create(twin) as ChannelAdapter
  adapter.send = async (message, signal): Promise<SendOutcome> => {
    const outcome = await twin.send(message, signal)
    if (outcome.status === 'failed' || !lose(n++)) return outcome
    return {
      status: 'failed',
      retry: 'uncertain',
      code: 'timeout',
      reason: 'Il gateway non ha risposto in tempo; il messaggio potrebbe essere stato accettato',
    }
  }
  return adapter
}

function setup(
  recipients: number,
  twinOptions: Parameters<typeof createSimulatedAdapter>[1] = {},
  wrap: (twin: SimulatedChannelAdapter) => ChannelAdapter = (t) => t,
) {
  ws ??= openWorkspace()
  const w = ws
  const accountId = addAccount(w, 'sms_gateway', `Gateway ${Math.random()}`, {
    baseUrl: 'https://x.example',
  })
  const twin = createSimulatedAdapter('sms_gateway', {
    now: w.clock.now,
    limits: FAST,
    ...twinOptions,
  })
  const adapter = wrap(twin)
  const dispatcher = createDispatcher({ db: w.db, adapterFor: () => adapter, now: w.clock.now })
  const alerts = alertsService(w, listsResolver({ 1: { sms: phones(recipients) } }), {
    events: {
      rowsChanged: () => undefined,
      // As the composition root does: a stopped alert's claimed rows go back at once.
      alertChanged: (c) => {
        if (c.status === 'stopped' || c.status === 'cancelled') dispatcher.forgetAlert(c.alertId)
      },
    },
  })
  const alert = alerts.createDraft(
    draftInput({ targets: { accountIds: [accountId], listIds: [1] } }),
    'Maria',
  )
  alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
  return { accountId, twin, alerts, alert, dispatcher }
}

/** Counts by state, with sent and delivered together (receipts arrive as the clock moves). */
function outcomes(alertId: number): Record<string, number> {
  const { sent = 0, delivered = 0, ...rest } = stateCounts(ws!.db, alertId)
  return { ...rest, sent: sent + delivered }
}

/** Addresses the provider accepted more than once. */
function twice(twin: SimulatedChannelAdapter): string[] {
  const seen = new Map<string, number>()
  for (const s of twin.sent) {
    const to = s.message.destination.type === 'person' ? s.message.destination.address : 'page'
    seen.set(to, (seen.get(to) ?? 0) + 1)
  }
  return [...seen].filter(([, n]) => n > 1).map(([a]) => a)
}

describe('a send that timed out after it reached the provider', () => {
  it('is never sent again where the channel cannot drop a repeat: it waits as uncertain', async () => {
    const { twin, dispatcher, alert, alerts } = setup(10, { idempotent: false }, (t) =>
      losingAnswers(t, (n) => n % 3 === 0),
    )
    await dispatcher.tick()
    for (let i = 0; i < 5; i++) {
      ws!.clock.advance(30 * 60_000)
      await dispatcher.tick()
    }
    expect(twin.sent).toHaveLength(10)
    expect(twice(twin)).toEqual([])
    expect(twin.attempts).toBe(10)
    expect(outcomes(alert.id)).toEqual({ sent: 6, uncertain: 4 })
    const uncertain = outboxRows(ws!.db, alert.id).filter((r) => r.state === 'uncertain')
    expect(uncertain[0]).toMatchObject({ last_error_code: 'timeout' })
    expect(uncertain[0]?.last_error).toMatch(/potrebbe essere stato accettato/)
    // The operator decides: the board offers resend and mark-as-sent.
    expect(alerts.get(alert.id).status).toBe('done')
    expect(alerts.resolveUncertain(uncertain[0]!.id, 'mark_sent', 'Luca').state).toBe('sent')
  })

  it('is retried where the provider drops a repeat by key, and nobody gets it twice', async () => {
    const { twin, dispatcher, alert } = setup(10, { idempotent: true }, (t) =>
      losingAnswers(t, (n) => n % 3 === 0),
    )
    for (let i = 0; i < 6; i++) {
      await dispatcher.tick()
      ws!.clock.advance(10 * 60_000)
    }
    expect(twin.sent).toHaveLength(10)
    expect(twice(twin)).toEqual([])
    expect(outcomes(alert.id)).toEqual({ sent: 10 })
  })
})

describe('a provider outage', () => {
  it('is waited out: after 30 minutes down, every row is delivered once', async () => {
    const { twin, dispatcher, alert, alerts } = setup(50, { idempotent: false })
    const t0 = ws!.clock.now()
    twin.setFault({ kind: 'down', until: t0 + 30 * 60_000 })
    // A simulated clock moving 20 s per pass: two hours in a few hundred passes.
    for (let i = 0; i < 400 && alerts.get(alert.id).status !== 'done'; i++) {
      await dispatcher.tick()
      ws!.clock.advance(20_000)
    }
    expect(outcomes(alert.id)).toEqual({ sent: 50 })
    expect(twin.sent).toHaveLength(50)
    expect(twice(twin)).toEqual([])
    // Capped backoff: the last rows left within minutes of the provider coming back.
    const last = Math.max(...twin.sent.map((s) => s.at))
    expect(last - (t0 + 30 * 60_000)).toBeLessThanOrEqual(5 * 60_000 + 20_000)
  })
})

describe('Stop', () => {
  it('means stop: after it returns no request of that alert leaves, and claimed rows are cancelled', async () => {
    const { twin, dispatcher, alert, alerts } = setup(60, {
      idempotent: true,
      latencyMs: 20,
      limits: { ratePerSecond: 10_000, burst: 10_000, concurrency: 2 },
    })
    // Idempotent lanes claim ahead (concurrency × 4): the rows Stop used to miss.
    dispatcher.start()
    cleanups.push(() => dispatcher.stop())
    while (twin.sent.length < 6) await new Promise((r) => setTimeout(r, 2))
    const { cancelledRows } = alerts.stop(alert.id, 'Luca')
    const attemptsAtStop = twin.attempts
    await new Promise((r) => setTimeout(r, 300))
    expect(twin.attempts).toBe(attemptsAtStop)
    const counts = stateCounts(ws!.db, alert.id)
    expect(counts.queued ?? 0).toBe(0)
    expect(counts.sending ?? 0).toBe(0)
    expect(counts.sent).toBe(twin.sent.length)
    // Every row not sent was cancelled: those still queued by Stop, those claimed ahead soon after.
    expect(counts.cancelled).toBe(60 - twin.sent.length)
    expect(counts.cancelled).toBeGreaterThan(cancelledRows)
  })

  it('is checked before every send, even for a row claimed a moment before', async () => {
    const { twin, alert, alerts } = setup(3, {
      idempotent: true,
      limits: { ratePerSecond: 1000, burst: 1000, concurrency: 1 },
    })
    // A dispatcher nobody tells about the Stop: only its own check before each request can hold.
    const unaware = createDispatcher({ db: ws!.db, adapterFor: () => twin, now: ws!.clock.now })
    const pass = unaware.tick() // claims all three (one slot, two ahead), starts the first
    alerts.stop(alert.id, 'Luca')
    await pass
    await unaware.tick()
    expect(twin.attempts).toBe(1)
    expect(stateCounts(ws!.db, alert.id)).toEqual({ sent: 1, cancelled: 2 })
  })
})

describe('restoring a backup taken mid-send', () => {
  it('never resends: open alerts are stopped, queued rows cancelled, in-flight rows uncertain', async () => {
    const { twin, alert } = setup(20, { idempotent: false })
    const w = ws!
    // Mid-send: 5 sent, 3 leased to a process, the rest queued.
    await createDispatcher({
      db: w.db,
      adapterFor: () =>
        createSimulatedAdapter('sms_gateway', { limits: { ...FAST, burst: 5 }, now: w.clock.now }),
      now: w.clock.now,
    }).tick()
    w.db
      .prepare(
        `UPDATE outbox SET state = 'sending', attempts = 1, lease_until = ? WHERE id IN
         (SELECT id FROM outbox WHERE alert_id = ? AND state = 'queued' ORDER BY id LIMIT 3)`,
      )
      .run(w.clock.now() + 60_000, alert.id)
    expect(stateCounts(w.db, alert.id)).toEqual({ sent: 5, sending: 3, queued: 12 })
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-restore-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const backup = join(dir, 'mid-send.sqlite')
    await backupDatabase(w.db, backup)

    const target = join(dir, 'restored')
    mkdirSync(target)
    const { frozen } = await restoreWorkspace(target, backup, new Date(w.clock.now()))
    expect(frozen).toEqual({ stoppedAlerts: [alert.id], cancelledRows: 12, uncertainRows: 3 })

    const db = openDatabase(workspaceFile(target))
    cleanups.push(() => {
      db.close()
    })
    const clock = createClock(w.clock.now() + 120_000)
    const restarted = createDispatcher({ db, adapterFor: () => twin, now: clock.now })
    twin.reset()
    await restarted.tick()
    clock.advance(3_600_000)
    await restarted.tick()
    expect(twin.attempts).toBe(0)
    expect(stateCounts(db, alert.id)).toEqual({ sent: 5, cancelled: 12, uncertain: 3 })
    const status = db.prepare('SELECT status FROM alerts WHERE id = ?').pluck().get(alert.id)
    expect(status).toBe('stopped')
    const journal = createAuditLog(db, () => new Date()).recent(5)
    expect(journal[0]).toMatchObject({
      action: 'workspace.restore',
      detail: { backup: 'mid-send.sqlite', cancelledRows: 12, uncertainRows: 3 },
    })
  })
})

describe('a database that cannot be written', () => {
  it('raises "invio fermo" with the reason, retries with backoff, and resumes losing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-readonly-'))
    cleanups.push(() => {
      chmodSync(dir, 0o700)
      rmSync(dir, { recursive: true, force: true })
    })
    const clock = createClock()
    const file = join(dir, 'workspace.sqlite')
    const db = openDatabase(file)
    ws = {
      db,
      file,
      clock,
      audit: createAuditLog(db, () => new Date(clock.now())),
      dispose: () => (db.open ? db.close() : undefined),
    }
    const { twin, alert } = setup(8, { idempotent: false, limits: { ...FAST, burst: 4 } })
    const stalls: (string | null)[] = []
    const errors: unknown[] = []
    const dispatcher = createDispatcher({
      db,
      adapterFor: () => twin,
      now: clock.now,
      onStall: (reason) => stalls.push(reason),
      onError: (err) => errors.push(err),
    })
    expect((await dispatcher.tick()).sent).toBe(4)
    // The disk turns read-only under a running process: every write fails.
    db.pragma('query_only = ON')
    clock.advance(1_000)
    await dispatcher.tick()
    expect(stalls).toHaveLength(1)
    expect(stalls[0]).toMatch(/sola lettura|errore interno/)
    expect(errors.length).toBeGreaterThan(0)
    // Said once while it lasts, not on every pass.
    clock.advance(1_000)
    await dispatcher.tick()
    expect(stalls).toHaveLength(1)
    db.pragma('query_only = OFF')
    clock.advance(1_000)
    for (let i = 0; i < 3; i++) {
      await dispatcher.tick()
      clock.advance(1_000)
    }
    expect(stalls).toEqual([stalls[0], null])
    expect(stateCounts(db, alert.id)).toEqual({ sent: 8 })
    expect(twin.sent).toHaveLength(8)
  })
})

describe('claim order', () => {
  it('sends a new red alert first even behind thousands of queued yellow rows, and a follow-up before the rows it replaces', async () => {
    ws = openWorkspace()
    const w = ws
    const accountId = addAccount(w, 'sms_gateway', 'Gateway lento', {
      baseUrl: 'https://x.example',
    })
    const twin = createSimulatedAdapter('sms_gateway', {
      now: w.clock.now,
      limits: { ratePerSecond: 1, burst: 1, concurrency: 1 },
    })
    const dispatcher = createDispatcher({ db: w.db, adapterFor: () => twin, now: w.clock.now })
    const alerts = alertsService(
      w,
      listsResolver({ 1: { sms: phones(3_000) }, 2: { sms: phones(5, 900_000) } }),
    )
    const confirm = (level: 'giallo' | 'rosso', listId: number) => {
      const a = alerts.createDraft(
        draftInput({ level, targets: { accountIds: [accountId], listIds: [listId] } }),
        'Maria',
      )
      alerts.confirm(a.id, 'Maria', { cancelWindowSeconds: 0 })
      return a
    }
    const yellow = confirm('giallo', 1)
    await dispatcher.tick()
    w.clock.advance(60_000)
    const red = confirm('rosso', 2)
    await dispatcher.tick()
    const alertOf = (s: (typeof twin.sent)[number]) =>
      w.db
        .prepare('SELECT alert_id FROM outbox WHERE idempotency_key = ?')
        .pluck()
        .get(s.message.idempotencyKey)
    // One token per second: the very next message is the red alert's.
    expect(twin.sent.map(alertOf)).toEqual([yellow.id, red.id])

    // "Cessato" of the yellow alert, replacing it: its queued rows are cancelled, not sent.
    const cessato = alerts.createFollowUp(
      yellow.id,
      { msgType: 'Cancel', changes: { texts: { sms: 'CESSATA ALLERTA neve su Empoli e Vinci.' } } },
      'Maria',
    )
    const { replacedRows } = alerts.confirm(cessato.id, 'Maria', {
      cancelWindowSeconds: 0,
      replacePrevious: true,
    })
    expect(replacedRows).toBe(2_999)
    expect(stateCounts(w.db, yellow.id)).toMatchObject({ cancelled: 2_999 })
  })
})
