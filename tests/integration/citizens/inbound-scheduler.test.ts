import { afterEach, describe, expect, it } from 'vitest'
import { createTelegramInbound } from '../../../src/main/core/citizens/inbound/telegram'
import { createInboundCursorsRepository } from '../../../src/main/core/citizens/inbound/cursors-repository'
import {
  createInboundPoller,
  type InboundPollReport,
} from '../../../src/main/core/citizens/inbound/scheduler'
import {
  createInboundPollerFor,
  hasInbound,
} from '../../../src/main/core/citizens/inbound/registry'
import type { InboundPoller } from '../../../src/main/core/citizens/inbound/types'
import {
  startFakeTelegramUpdates,
  type FakeTelegramUpdates,
} from '../../fakes/inbound/telegram-updates'
import { inboundContext, openInbox, type Inbox } from './support'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function bot(box: Inbox): Promise<{ fake: FakeTelegramUpdates; poller: InboundPoller }> {
  const fake = await startFakeTelegramUpdates()
  cleanups.push(() => fake.close())
  const poller = createTelegramInbound(
    { id: box.addAccount('telegram'), kind: 'telegram', settings: { baseUrl: fake.url } },
    inboundContext(box, { botToken: fake.token }),
  )
  return { fake, poller }
}

function open(): Inbox {
  const box = openInbox()
  cleanups.push(() => box.dispose())
  return box
}

function schedulerFor(box: Inbox, pollers: InboundPoller[], intervalMs: number, now?: () => Date) {
  const store = createInboundCursorsRepository(box.db)
  const reports: InboundPollReport[] = []
  const scheduler = createInboundPoller({
    sources: pollers.map((p) => p.accountId),
    pollers: new Map(pollers.map((p) => [p.accountId, p])),
    store,
    intervalMs,
    onMessages: (messages) => box.service.ingest(messages),
    onPolled: (r) => reports.push(r),
    random: () => 0.5,
    ...(now ? { now } : {}),
  })
  cleanups.push(() => scheduler.stop())
  return { store, reports, scheduler }
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (predicate()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('inbound scheduler', () => {
  it('polls every account on its own timer; a failing one backs off without holding the others', async () => {
    const box = open()
    const good = await bot(box)
    const bad = await bot(box)
    bad.fake.failNext(1000, 503)
    good.fake.message({ text: 'prima' })
    const { reports, scheduler, store } = schedulerFor(box, [good.poller, bad.poller], 30)
    scheduler.start()
    const of = (p: InboundPoller) => reports.filter((r) => r.accountId === p.accountId)
    await until(() => of(good.poller).length >= 4 && of(bad.poller).length >= 2, 'polls')
    expect(of(good.poller).every((r) => r.outcome === 'ok')).toBe(true)
    expect(of(bad.poller).every((r) => r.outcome === 'error')).toBe(true)
    expect(box.service.counts().nuovo).toBe(1)
    expect(store.get(bad.poller.accountId)?.errorCount).toBeGreaterThanOrEqual(2)
    await scheduler.stop()
    const seen = [good.fake.requests.length, bad.fake.requests.length]
    await new Promise((r) => setTimeout(r, 120))
    expect([good.fake.requests.length, bad.fake.requests.length]).toEqual(seen)
    expect(scheduler.isRunning()).toBe(false)
  })

  it('doubles the wait after each failure and starts over after a success', async () => {
    const box = open()
    const { fake, poller } = await bot(box)
    const { scheduler, store } = schedulerFor(box, [poller], 60_000, () => box.now())
    fake.failNext(3, 503)
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const report = await scheduler.pollNow(poller.accountId)
      delays.push(Date.parse(report.nextPollAt ?? '') - box.now().getTime())
    }
    expect(delays).toEqual([60_000, 120_000, 240_000, 60_000])
    expect(store.get(poller.accountId)).toMatchObject({
      errorCount: 0,
      lastErrorCode: 'provider_unavailable',
    })
  })

  it('keeps a persisted wait across a restart, and polls the others at once', async () => {
    const box = open()
    const waiting = await bot(box)
    const fresh = await bot(box)
    const store = createInboundCursorsRepository(box.db)
    const later = new Date(box.now().getTime() + 3600_000).toISOString()
    store.recordFailure(waiting.poller.accountId, {
      at: box.now().toISOString(),
      code: 'rate_limited',
      message: 'x',
      nextPollAt: later,
    })
    const { reports, scheduler } = schedulerFor(box, [waiting.poller, fresh.poller], 60_000, () =>
      box.now(),
    )
    scheduler.start()
    await until(() => reports.length >= 1, 'the fresh account')
    expect(reports.map((r) => r.accountId)).toEqual([fresh.poller.accountId])
    expect(waiting.fake.requests).toHaveLength(0)
  })

  it('cancels a slow request on stop, keeping the cursor', async () => {
    const box = open()
    const { fake, poller } = await bot(box)
    const { scheduler, store } = schedulerFor(box, [poller], 60_000)
    fake.message({ text: 'lento' })
    fake.delayNext(1, 5_000)
    const pending = scheduler.pollNow(poller.accountId)
    // A second request for the same account joins the one in flight.
    expect(scheduler.pollNow(poller.accountId)).toBe(pending)
    await until(() => fake.requests.length === 1, 'the request')
    await scheduler.stop()
    expect(await pending).toMatchObject({ outcome: 'aborted' })
    expect(store.get(poller.accountId)).toBeUndefined()
    expect(box.service.counts().nuovo).toBe(0)
  })

  it('records an account without a poller as a configuration error', async () => {
    const box = open()
    const accountId = box.addAccount('sms_smpp')
    const store = createInboundCursorsRepository(box.db)
    const errors: unknown[] = []
    const scheduler = createInboundPoller({
      sources: [accountId],
      pollers: () => undefined,
      store,
      onMessages: () => [],
      onError: (e) => errors.push(e),
    })
    expect(await scheduler.pollNow(accountId)).toMatchObject({
      outcome: 'error',
      error: { code: 'config' },
    })
    expect(errors).toHaveLength(1)
    expect(store.get(accountId)?.lastErrorCode).toBe('config')
  })
})

describe('inbound registry', () => {
  it('builds pollers for the kinds that have replies to read', () => {
    const box = open()
    const ctx = inboundContext(box, {})
    expect(
      ['mastodon', 'x', 'telegram', 'facebook_page', 'sms_gateway'].every((k) =>
        hasInbound(k as never),
      ),
    ).toBe(true)
    expect(hasInbound('sms_smpp')).toBe(false)
    expect(hasInbound('email_smtp')).toBe(false)
    const poller = createInboundPollerFor(
      { id: 1, kind: 'x', settings: { baseUrl: 'http://127.0.0.1:9' } },
      ctx,
    )
    expect(poller?.kind).toBe('x')
    expect(createInboundPollerFor({ id: 2, kind: 'website', settings: {} }, ctx)).toBeUndefined()
  })

  it('fails a poll, not the app, when a secret is missing', async () => {
    const box = open()
    const poller = createInboundPollerFor(
      { id: 1, kind: 'mastodon', settings: { baseUrl: 'http://127.0.0.1:9' } },
      inboundContext(box, {}),
    ) as InboundPoller
    await expect(poller.poll(null)).rejects.toMatchObject({ code: 'config' })
  })
})
