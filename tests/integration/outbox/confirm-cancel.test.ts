import { afterEach, describe, expect, it } from 'vitest'
import { createSimulatedAdapter } from '../../../src/main/core/channels/adapters/simulated'
import { createDispatcher } from '../../../src/main/core/outbox/dispatcher'
import {
  addAccount,
  alertsService,
  draftInput,
  eventLog,
  listsResolver,
  openWorkspace,
  phones,
  stateCounts,
  type Workspace,
} from './support'

let ws: Workspace
afterEach(() => ws?.dispose())

function setup(recipients = 50) {
  ws = openWorkspace()
  const sms = addAccount(ws, 'sms_gateway', 'Gateway')
  const page = addAccount(ws, 'mastodon', 'Mastodon', { baseUrl: 'https://m.example' })
  const log = eventLog()
  const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(recipients) } }), {
    events: log.events,
  })
  const alert = alerts.createDraft(
    draftInput({ targets: { accountIds: [sms, page], listIds: [1], partnerIds: [1, 2] } }),
    'Maria',
  )
  const twins = new Map([
    [
      sms,
      createSimulatedAdapter('sms_gateway', {
        now: ws.clock.now,
        limits: { ratePerSecond: 1000, burst: 1000, concurrency: 50 },
      }),
    ],
    [page, createSimulatedAdapter('mastodon', { now: ws.clock.now })],
  ])
  const dispatcher = createDispatcher({
    db: ws.db,
    adapterFor: (id) => twins.get(id)!,
    now: ws.clock.now,
  })
  return { sms, page, alerts, alert, twins, dispatcher, log }
}

const sentCount = (twins: Map<number, { sent: readonly unknown[] }>) =>
  [...twins.values()].reduce((n, t) => n + t.sent.length, 0)

describe('confirmation and fan-out', () => {
  it('writes one row per account and destination, each with its own idempotency key, before anything is sent', () => {
    const { sms, page, alerts, alert, twins, log } = setup(50)
    const result = alerts.confirm(alert.id, 'Maria Rossi', { cancelWindowSeconds: 30 })

    expect(result.rows).toBe(51)
    expect(result.alert).toMatchObject({
      status: 'scheduled',
      confirmedBy: 'Maria Rossi',
      sendAfter: ws.clock.now() + 30_000,
    })
    const keys = ws.db
      .prepare<[], { account_id: number; address: string; idempotency_key: string }>(
        'SELECT account_id, address, idempotency_key FROM outbox ORDER BY id',
      )
      .all()
    expect(new Set(keys.map((k) => k.idempotency_key)).size).toBe(51)
    expect(keys[0]?.idempotency_key).toBe(`${alert.identifier}:${sms}:${keys[0]?.address}`)
    expect(keys.find((k) => k.account_id === page)?.idempotency_key).toBe(
      `${alert.identifier}:${page}:page`,
    )
    expect(stateCounts(ws.db, alert.id)).toEqual({ queued: 51 })
    expect(sentCount(twins)).toBe(0)
    expect(alerts.relays(alert.id).map((r) => [r.partnerId, r.status])).toEqual([
      [1, 'requested'],
      [2, 'requested'],
    ])
    expect(ws.audit.recent(1)[0]).toMatchObject({
      actor: 'Maria Rossi',
      action: 'alerts.confirm',
      detail: { rows: 51, cancelWindowSeconds: 30 },
    })
    expect(log.alerts.at(-1)).toEqual({
      alertId: alert.id,
      status: 'scheduled',
      change: 'confirmed',
    })
  })

  it('writes nothing when the fan-out fails half-way', () => {
    const { alerts, alert } = setup(300)
    // The disk "fills up" after 120 rows: SQLite aborts the statement.
    ws.db.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON outbox
      WHEN (SELECT count(*) FROM outbox) >= 120 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    expect(() => alerts.confirm(alert.id, 'Maria')).toThrow(/disk is full/)
    expect(stateCounts(ws.db, alert.id)).toEqual({})
    expect(alerts.get(alert.id)).toMatchObject({ status: 'draft', confirmedAt: null })
    expect(alerts.relays(alert.id)).toEqual([])
    expect(ws.audit.recent(5).some((e) => e.action === 'alerts.confirm')).toBe(false)

    ws.db.exec('DROP TRIGGER disk_full')
    expect(alerts.confirm(alert.id, 'Maria').rows).toBe(301)
  })

  it('refuses a cancel window out of range', () => {
    const { alerts, alert } = setup(1)
    expect(() => alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: -1 })).toThrow(
      /not valid/,
    )
    expect(() => alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 601 })).toThrow(
      /not valid/,
    )
    expect(() => alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 1.5 })).toThrow(
      /not valid/,
    )
    expect(alerts.get(alert.id).status).toBe('draft')
  })
})

describe('cancel window', () => {
  it('sends nothing before the window closes, and nothing at all once cancelled within it', async () => {
    const { alerts, alert, twins, dispatcher } = setup(20)
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 10 })
    ws.clock.advance(9_999)
    expect((await dispatcher.tick()).claimed).toBe(0)

    const cancelled = alerts.cancel(alert.id, 'Luca')
    expect(cancelled.status).toBe('cancelled')
    expect(stateCounts(ws.db, alert.id)).toEqual({ cancelled: 21 })
    ws.clock.advance(60_000)
    expect((await dispatcher.tick()).claimed).toBe(0)
    expect(sentCount(twins)).toBe(0)
    expect(ws.audit.recent(1)[0]).toMatchObject({
      actor: 'Luca',
      action: 'alerts.cancel',
      detail: { rows: 21 },
    })
  })

  it('refuses to cancel once the window has closed: the operator stops it instead', async () => {
    const { alerts, alert, twins, dispatcher } = setup(20)
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 10 })
    ws.clock.advance(10_000)
    expect(() => alerts.cancel(alert.id, 'Luca')).toThrow(/cancel window .* has closed/)
    const summary = await dispatcher.tick()
    expect(summary.sent).toBeGreaterThan(0)
    expect(sentCount(twins)).toBe(summary.sent)
  })
})

describe('stop', () => {
  it('cancels what is still queued; what was in flight finishes', async () => {
    ws = openWorkspace()
    const sms = addAccount(ws, 'sms_gateway', 'Gateway')
    const log = eventLog()
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(30) } }), {
      events: log.events,
    })
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [sms], listIds: [1] } }),
      'Maria',
    )
    // The gateway's pace: a burst of 5 tokens, so the first pass sends 5.
    const twin = createSimulatedAdapter('sms_gateway', { now: ws.clock.now })
    const dispatcher = createDispatcher({ db: ws.db, adapterFor: () => twin, now: ws.clock.now })
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
    expect((await dispatcher.tick()).sent).toBe(5)
    expect(alerts.get(alert.id).status).toBe('sending')

    const { alert: stopped, cancelledRows } = alerts.stop(alert.id, 'Luca')
    expect(stopped.status).toBe('stopped')
    expect(cancelledRows).toBe(25)
    ws.clock.advance(60_000)
    expect((await dispatcher.tick()).claimed).toBe(0)
    expect(twin.sent).toHaveLength(5)
    const counts = stateCounts(ws.db, alert.id)
    expect(counts.cancelled).toBe(25)
    // Receipts still arrive for what did go out.
    expect((counts.sent ?? 0) + (counts.delivered ?? 0)).toBe(5)
    expect(counts.delivered).toBeGreaterThan(0)
    expect(ws.audit.recent(1)[0]).toMatchObject({
      actor: 'Luca',
      action: 'alerts.stop',
      detail: { cancelledRows: 25 },
    })
    expect(() => alerts.stop(alert.id, 'Luca')).toThrow(/not sending/)
    expect(log.alerts.map((a) => a.change)).toEqual(['created', 'confirmed', 'stopped'])
  })
})
