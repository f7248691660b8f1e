import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryStatus } from '../../../src/main/core/channels/adapter'
import {
  createTwilioAdapter,
  type TwilioAdapter,
} from '../../../src/main/core/channels/adapters/twilio'
import { recordingFetch, startPrism, type PrismMock, type PrismVerdict } from '../../fakes/prism'
import { startFakeTwilio, type FakeTwilio } from '../../fakes/twilio-fake'
import { createClock } from '../outbox/support'
import { toPerson, track } from './http-helpers'

/**
 * Twilio receipts read from the account's message list: one page answers for
 * up to a thousand messages, `next_page_uri` is followed only while a message
 * asked about is still unseen, what was read is remembered, a message the
 * list cannot show yet is asked about directly, and a 429 pauses receipts.
 */

const FROM = '+15005550006'

async function setup(progress = { sentAfterMs: 1_000, finalAfterMs: 5_000 }) {
  const clock = createClock()
  const fake = track(await startFakeTwilio({ progress, now: clock.now }))
  const adapter = createTwilioAdapter(
    {
      accountId: 1,
      name: 'SMS Twilio',
      settings: { baseUrl: fake.url, accountSid: fake.accountSid, from: FROM },
      secrets: { authToken: fake.authToken },
      now: clock.now,
    },
    { timeoutMs: 5_000 },
  )
  return { clock, fake, adapter }
}

async function sendMany(adapter: TwilioAdapter, count: number): Promise<string[]> {
  const sids: string[] = []
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, i) =>
      adapter.send(
        toPerson(`+39333${String(1_000_000 + start + i).padStart(7, '0')}`, 'Allerta neve'),
      ),
    )
    for (const outcome of await Promise.all(batch)) {
      if (outcome.status === 'failed' || !outcome.providerId) throw new Error('send failed')
      sids.push(outcome.providerId)
    }
  }
  return sids
}

/** Polls asked at the same moment, as the dispatcher launches them in one pass. */
const pollTogether = (adapter: TwilioAdapter, sids: string[]): Promise<DeliveryStatus[]> =>
  Promise.all(sids.map((sid) => adapter.fetchStatus(sid)))

const receiptCount = (fake: FakeTwilio) => fake.receiptRequests().length

describe('Twilio receipts from the message list', () => {
  it('settles many messages per request, follows next_page_uri only while needed, and remembers what it read', async () => {
    const { clock, fake, adapter } = await setup()
    const sids = await sendMany(adapter, 1_500)
    clock.advance(10_000)

    // The three newest are on the first page: one request, however many messages it shows.
    const newest = await pollTogether(adapter, sids.slice(-3))
    expect(newest.map((s) => s.status)).toEqual(['delivered', 'delivered', 'delivered'])
    expect(receiptCount(fake)).toBe(1)
    const first = fake.receiptRequests()[0]!
    expect(first.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`)
    expect(first.query).toMatchObject({
      From: FROM,
      'DateSent>': '2026-02-07T00:00:00Z',
      PageSize: '1000',
    })

    // The two oldest are on the second page: the pass goes on where it stopped.
    const oldest = await pollTogether(adapter, sids.slice(0, 2))
    expect(oldest.map((s) => s.status)).toEqual(['delivered', 'delivered'])
    expect(receiptCount(fake)).toBe(2)
    expect(fake.receiptRequests()[1]?.query.PageToken).toMatch(/^PASM/)

    // Every message was on one of those two pages: a final status is never asked again.
    for (const sid of sids)
      expect(adapter.receiptBatching.observed(sid)?.status.status).toBe('delivered')
    await pollTogether(adapter, sids.slice(600, 610))
    expect(receiptCount(fake)).toBe(2)
  })

  it('reports non-final states as they are, and the carrier error of an undelivered message', async () => {
    const { clock, fake, adapter } = await setup()
    fake.undeliverable('+393330000001', 30003)
    fake.neverFinal('+393330000002')
    const plain = await sendMany(adapter, 6)
    const failed = await adapter.send(toPerson('+393330000001', 'Allerta'))
    const stuck = await adapter.send(toPerson('+393330000002', 'Allerta'))
    const ids = [failed, stuck].map((o) => (o.status === 'sent' ? (o.providerId ?? '') : ''))

    clock.advance(2_000)
    const early = await pollTogether(adapter, [plain[0]!, ...ids])
    expect(early.map((s) => s.status)).toEqual(['sent', 'sent', 'sent'])
    clock.advance(10_000)
    const later = await pollTogether(adapter, [plain[0]!, ...ids])
    expect(later).toEqual([
      expect.objectContaining({ status: 'delivered' }),
      { status: 'failed', code: '30003', reason: expect.stringContaining('non raggiungibile') },
      expect.objectContaining({ status: 'sent' }),
    ])
    expect(receiptCount(fake)).toBe(2)
  })

  it('asks directly about messages the list cannot show yet, never more requests than polls', async () => {
    const { clock, fake, adapter } = await setup({ sentAfterMs: 60_000, finalAfterMs: 120_000 })
    const sids = await sendMany(adapter, 6)
    clock.advance(1_000)
    // Still queued: no send date, so no list shows them.
    const first = await pollTogether(adapter, sids)
    expect(receiptCount(fake)).toBeLessThanOrEqual(6)
    expect(first.every((s) => s.status === 'pending' || s.status === 'unknown')).toBe(true)
    const direct = fake.receiptRequests().filter((r) => r.path.includes('/Messages/'))
    expect(direct.length).toBeGreaterThan(0)

    clock.advance(200_000)
    const before = receiptCount(fake)
    const settled = await pollTogether(adapter, sids)
    expect(settled.every((s) => s.status === 'delivered')).toBe(true)
    expect(receiptCount(fake) - before).toBeLessThanOrEqual(sids.length)
  })

  it('pauses receipts for as long as a 429 on the list says, without a request meanwhile', async () => {
    const { clock, fake, adapter } = await setup()
    const sids = await sendMany(adapter, 20)
    clock.advance(10_000)
    fake.rateLimitReceiptsNext(1, 30)

    expect((await pollTogether(adapter, sids)).every((s) => s.status === 'unknown')).toBe(true)
    expect(receiptCount(fake)).toBe(1)
    expect(adapter.receiptBatching.pausedUntil()).toBe(clock.now() + 30_000)

    clock.advance(29_000)
    expect((await pollTogether(adapter, sids)).every((s) => s.status === 'unknown')).toBe(true)
    expect(receiptCount(fake)).toBe(1)

    clock.advance(1_000)
    expect((await pollTogether(adapter, sids)).every((s) => s.status === 'delivered')).toBe(true)
    expect(receiptCount(fake)).toBe(2)
  })
})

describe('Twilio receipts list against Prism and the Twilio OpenAPI document', () => {
  const spec = path.resolve(__dirname, '../../../../shared/specs/openapi/twilio_api_v2010.json')
  const accountSid = `AC${'c'.repeat(32)}`
  let prism: PrismMock

  beforeAll(async () => {
    prism = await startPrism(spec)
  }, 90_000)

  afterAll(async () => {
    await prism?.close()
  })

  it('lists messages by sender and send date, with a page size, as the specification expects', async () => {
    const verdicts: PrismVerdict[] = []
    const urls: string[] = []
    const record = recordingFetch(verdicts)
    const adapter = createTwilioAdapter({
      accountId: 1,
      name: 'SMS Twilio',
      settings: { baseUrl: prism.url, accountSid, from: FROM },
      secrets: { authToken: 'prism-auth-token' },
      fetch: (input, init) => {
        urls.push(String(input))
        return record(input, init)
      },
    })
    const sids = Array.from({ length: 8 }, (_, i) => `SM${String(i).repeat(32)}`)
    await pollTogether(adapter, sids)
    const list = urls.findIndex((u) => u.includes('/Messages.json?'))
    expect(list).toBeGreaterThanOrEqual(0)
    expect(new URL(urls[list]!).searchParams.get('DateSent>')).toMatch(/T00:00:00Z$/)
    // Whatever Prism makes of its own example answer, the requests break nothing in the spec.
    for (const verdict of verdicts) expect(verdict.requestViolations).toEqual([])
    expect(verdicts.length).toBeLessThanOrEqual(sids.length)
  })
})
