import { afterEach, describe, expect, it } from 'vitest'
import { createTwilioAdapter } from '../../../src/main/core/channels/adapters/twilio'
import { createDispatcher, type Dispatcher } from '../../../src/main/core/outbox/dispatcher'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio-fake'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  phones,
  stateCounts,
  type Workspace,
} from './support'

/**
 * Delivery receipts of an SMS alert through Twilio, polled by the dispatcher
 * within the account's budget: sending goes first, receipts take what it
 * leaves, the message list settles many rows per request, and a 429 on it
 * pauses receipts while sending goes on.
 */

let ws: Workspace | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
})

const RECEIPTS = { firstPollMs: 10_000, minIntervalMs: 10_000, maxIntervalMs: 60_000 }

async function twilioRoom(ratePerSecond: number) {
  ws = openWorkspace()
  const w = ws
  const fake = await startFakeTwilio({
    progress: { sentAfterMs: 2_000, finalAfterMs: 25_000 },
    now: w.clock.now,
  })
  cleanups.push(() => fake.close())
  const settings = {
    baseUrl: fake.url,
    accountSid: fake.accountSid,
    from: '+15005550006',
    ratePerSecond,
  }
  const accountId = addAccount(w, 'sms_twilio', 'SMS Twilio', settings)
  const adapter = createTwilioAdapter(
    {
      accountId,
      name: 'SMS Twilio',
      settings,
      secrets: { authToken: fake.authToken },
      now: w.clock.now,
    },
    { timeoutMs: 5_000 },
  )
  const dispatcher = createDispatcher({
    db: w.db,
    adapterFor: () => adapter,
    now: w.clock.now,
    receipts: RECEIPTS,
  })
  cleanups.push(() => dispatcher.stop())
  let lists = 0
  const alertTo = (count: number, offset: number) => {
    const alerts = alertsService(w, listsResolver({ [++lists]: { sms: phones(count, offset) } }))
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [accountId], listIds: [lists] } }),
      'Maria',
    )
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
    dispatcher.wake()
    return alert.id
  }
  return { w, fake, dispatcher, alertTo }
}

const receipts = (fake: FakeTwilio) => fake.receiptRequests().length
const posts = (fake: FakeTwilio) => fake.requests.filter((r) => r.method === 'POST').length

/** Ticks, a second apart on the test clock, until `done` or `limit` ticks. */
async function tickUntil(
  w: Workspace,
  dispatcher: Dispatcher,
  done: () => boolean,
  limit = 2_000,
): Promise<void> {
  for (let i = 0; i < limit && !done(); i++) {
    await dispatcher.tick()
    w.clock.advance(1_000)
  }
}

describe('Twilio receipts through the dispatcher', () => {
  it('settles 300 messages with far fewer status requests than messages', async () => {
    const { w, fake, dispatcher, alertTo } = await twilioRoom(50)
    fake.undeliverable('+393331000007', 30003)
    fake.neverFinal('+393331000011')
    const alertId = alertTo(300, 0)
    await tickUntil(w, dispatcher, () => {
      const s = stateCounts(w.db, alertId)
      return (s.delivered ?? 0) + (s.failed ?? 0) === 299
    })

    expect(stateCounts(w.db, alertId)).toEqual({ delivered: 298, failed: 1, sent: 1 })
    expect(posts(fake)).toBe(300)
    // A page shows a thousand messages: a handful of requests settles them all.
    expect(receipts(fake)).toBeLessThan(300 / 10)
    // The one with no final receipt keeps being asked about, but from the list, not one by one.
    const before = receipts(fake)
    for (let i = 0; i < 120; i++) {
      await dispatcher.tick()
      w.clock.advance(1_000)
    }
    expect(receipts(fake) - before).toBeLessThanOrEqual(4)
  })

  it('polls nothing while the account still has messages to send', async () => {
    const { w, fake, dispatcher, alertTo } = await twilioRoom(4)
    const first = alertTo(40, 0)
    await tickUntil(w, dispatcher, () => (stateCounts(w.db, first).sent ?? 0) === 40)
    w.clock.advance(30_000)
    // Receipts are due for all 40; a second alert keeps the account busy sending.
    const second = alertTo(60, 1_000)
    const sendingTicks: number[] = []
    for (let i = 0; i < 100; i++) {
      const queued = stateCounts(w.db, second).queued ?? 0
      const before = receipts(fake)
      await dispatcher.tick()
      w.clock.advance(1_000)
      if (queued > 4) sendingTicks.push(receipts(fake) - before)
    }
    expect(sendingTicks.length).toBeGreaterThan(5)
    expect(sendingTicks.every((n) => n === 0)).toBe(true)
    expect(stateCounts(w.db, second)).toEqual({ delivered: 60 })
    expect(stateCounts(w.db, first)).toEqual({ delivered: 40 })
  })

  it('backs off after a 429 on the list while sending goes on, then settles', async () => {
    const { w, fake, dispatcher, alertTo } = await twilioRoom(20)
    const first = alertTo(50, 0)
    await tickUntil(w, dispatcher, () => (stateCounts(w.db, first).sent ?? 0) === 50)
    w.clock.advance(30_000)
    fake.rateLimitReceiptsNext(1, 60)
    const asked = receipts(fake)
    await dispatcher.tick()
    expect(receipts(fake)).toBe(asked + 1)

    // During the minute Twilio asked for, a new alert is sent in full and no receipt is asked.
    const second = alertTo(30, 1_000)
    for (let i = 0; i < 50; i++) {
      await dispatcher.tick()
      w.clock.advance(1_000)
    }
    expect(posts(fake)).toBe(80)
    expect(stateCounts(w.db, second)).toEqual({ sent: 30 })
    expect(receipts(fake)).toBe(asked + 1)

    w.clock.advance(15_000)
    await tickUntil(w, dispatcher, () => (stateCounts(w.db, second).delivered ?? 0) === 30)
    expect(stateCounts(w.db, first)).toEqual({ delivered: 50 })
    expect(stateCounts(w.db, second)).toEqual({ delivered: 30 })
    expect(receipts(fake)).toBeLessThan(10)
  })
})
