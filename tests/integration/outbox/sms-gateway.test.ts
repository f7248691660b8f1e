import { afterEach, describe, expect, it } from 'vitest'
import { createAdapterFactory } from '../../../src/main/core/channels/adapters'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import { accountAdapterResolver } from '../../../src/main/core/outbox/account-adapters'
import { createDispatcher, type DispatcherOptions } from '../../../src/main/core/outbox/dispatcher'
import { startFakeSmsGateway, type FakeSmsGateway } from '../../fakes/sms-gateway-fake'
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
let fake: FakeSmsGateway | undefined
afterEach(async () => {
  await fake?.close()
  ws?.dispose()
  fake = undefined
  ws = undefined
})

/** A workspace with one real gateway account pointed at the loopback fake, and a confirmed alert. */
async function gatewayAlert(
  recipients: string[],
  clock = createClock(),
  extra: Partial<DispatcherOptions> = {},
) {
  fake = await startFakeSmsGateway()
  ws = openWorkspace(clock)
  const accountId = addAccount(ws, 'sms_gateway', 'Gateway scuole', {
    baseUrl: fake.baseUrl,
    username: fake.username,
    sender: 'ProtCivile',
    messageType: 'GP',
    ratePerSecond: 1000,
  })
  const repo = createChannelAccountsRepository(ws.db)
  const password = fake.password
  const adapterFor = accountAdapterResolver(
    { get: (id) => repo.get(id), secretsFor: () => ({ password }) },
    createAdapterFactory('real', { http: { timeoutMs: 5_000 } }),
  )
  const alerts = alertsService(ws, listsResolver({ 1: { sms: recipients } }))
  const alert = alerts.createDraft(
    draftInput({ targets: { accountIds: [accountId], listIds: [1] } }),
    'Maria',
  )
  alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
  const dispatcher = createDispatcher({
    db: ws.db,
    adapterFor,
    now: clock.now,
    audit: ws.audit,
    receipts: { firstPollMs: 10_000, minIntervalMs: 10_000 },
    ...extra,
  })
  return { fake, ws, accountId, alerts, alert, dispatcher, adapterFor, clock }
}

const smsPosts = (gateway: FakeSmsGateway) =>
  gateway.requests.filter((r) => r.method === 'POST').length

describe('outbox through the real SMS gateway adapter and its loopback fake', () => {
  it('texts every recipient once and follows receipts to delivered or to the gateway’s reason', async () => {
    const numbers = phones(13)
    const { fake, ws, alert, alerts, dispatcher, clock } = await gatewayAlert(numbers)
    fake.blacklist(numbers[5]!)

    let sent = 0
    for (let i = 0; i < 10 && sent < 13; i++) sent += (await dispatcher.tick()).sent
    expect(sent).toBe(13)
    expect(fake.orders.map((o) => o.recipients[0]).sort()).toEqual([...numbers].sort())
    expect(new Set(fake.orders.map((o) => o.orderId)).size).toBe(13)
    expect(
      fake.orders.every((o) => o.sender === 'ProtCivile' && o.message === alert.texts.sms),
    ).toBe(true)

    for (let i = 0; i < 20 && stateCounts(ws.db, alert.id).sent; i++) {
      clock.advance(10_000)
      await dispatcher.tick()
    }
    expect(stateCounts(ws.db, alert.id)).toEqual({ delivered: 12, failed: 1 })
    const blacklisted = outboxRows(ws.db, alert.id).find((r) => r.address === numbers[5])
    expect(blacklisted).toMatchObject({
      state: 'failed',
      last_error_code: 'BLACKLISTED',
      last_error: 'Numero in lista nera: il destinatario non riceve SMS',
    })

    // A retry after a failed delivery is a new order: the gateway must not swallow it as a duplicate.
    alerts.retryFailed(alert.id, 'Luca')
    expect((await dispatcher.tick()).sent).toBe(1)
    expect(fake.orders).toHaveLength(14)
    expect(fake.orders[13]?.recipients).toEqual([numbers[5]])
    expect(
      outboxRows(ws.db, alert.id).find((r) => r.address === numbers[5])?.idempotency_key,
    ).toMatch(/~2$/)
  })

  it('waits at least as long as the gateway’s Retry-After before sending again', async () => {
    const { fake, ws, alert, dispatcher, clock } = await gatewayAlert(phones(1))
    fake.rateLimitNext(1, 7)
    expect((await dispatcher.tick()).retried).toBe(1)
    const row = outboxRows(ws.db, alert.id)[0]!
    expect(row.last_error_code).toBe('rate_limited')
    expect(row.next_attempt_at - clock.now()).toBeGreaterThanOrEqual(7_000)
    clock.advance(6_999)
    expect((await dispatcher.tick()).claimed).toBe(0)
    clock.advance(1)
    expect((await dispatcher.tick()).sent).toBe(1)
    expect(fake.orders).toHaveLength(1)
  })

  it('after a crash, resends with the same order id: the gateway refuses the duplicate and nobody is texted twice', async () => {
    const numbers = phones(5)
    const { fake, ws, alert, adapterFor, clock } = await gatewayAlert(numbers)
    // A process leased three rows; two reached the gateway; then the power went.
    const leased = ws.db
      .prepare<[number, number], { id: number; idempotency_key: string; address: string }>(
        `UPDATE outbox SET state = 'sending', attempts = 1, lease_until = ?, updated_at = ?
         WHERE id IN (SELECT id FROM outbox WHERE alert_id = ${alert.id} ORDER BY id LIMIT 3)
         RETURNING id, idempotency_key, address`,
      )
      .all(clock.now() + 120_000, clock.now())
    const before = adapterFor(outboxRows(ws.db, alert.id)[0]!.account_id)
    for (const row of leased.slice(0, 2)) {
      const outcome = await before.send({
        idempotencyKey: row.idempotency_key,
        destination: { type: 'person', address: row.address },
        text: alert.texts.sms,
      })
      expect(outcome.status).toBe('sent')
    }

    clock.advance(120_001)
    const restarted = createDispatcher({ db: ws.db, adapterFor, now: clock.now, audit: ws.audit })
    let summary = await restarted.tick()
    expect(summary.requeued).toBe(3)
    while (summary.claimed > 0) summary = await restarted.tick()

    expect(stateCounts(ws.db, alert.id)).toEqual({ sent: 5 })
    expect(fake.orders.map((o) => o.recipients[0]).sort()).toEqual([...numbers].sort())
    // Two resends were refused by the gateway as known orders.
    expect(smsPosts(fake)).toBe(7)
  })

  it('runs on its own timers from start() to stop()', async () => {
    const { fake, ws, alert, alerts, dispatcher } = await gatewayAlert(phones(30), {
      now: Date.now,
      advance() {},
      set() {},
    })
    dispatcher.start()
    expect(dispatcher.running).toBe(true)
    for (let i = 0; i < 500 && alerts.get(alert.id).status !== 'done'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await dispatcher.stop()
    expect(dispatcher.running).toBe(false)
    expect(alerts.get(alert.id).status).toBe('done')
    expect(stateCounts(ws.db, alert.id)).toEqual({ sent: 30 })
    expect(fake.orders).toHaveLength(30)
  })
})
