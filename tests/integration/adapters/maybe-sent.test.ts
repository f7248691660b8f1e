import { describe, expect, it } from 'vitest'
import type { ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createBlueskyAdapter } from '../../../src/main/core/channels/adapters/bluesky'
import { createFacebookAdapter } from '../../../src/main/core/channels/adapters/facebook'
import { createMastodonAdapter } from '../../../src/main/core/channels/adapters/mastodon'
import { createSmsGatewayAdapter } from '../../../src/main/core/channels/adapters/sms-gateway'
import { createTelegramAdapter } from '../../../src/main/core/channels/adapters/telegram'
import { createTwilioAdapter } from '../../../src/main/core/channels/adapters/twilio'
import { createXAdapter } from '../../../src/main/core/channels/adapters/x'
import { startFakeBluesky } from '../../fakes/bluesky-fake'
import { startFakeFacebook } from '../../fakes/facebook-fake'
import type { FakeHttpServer } from '../../fakes/http-fake'
import { startFakeMastodon } from '../../fakes/mastodon-fake'
import { startFakeSmsGateway } from '../../fakes/sms-gateway-fake'
import { startFakeTelegram } from '../../fakes/telegram-fake'
import { startFakeTwilio } from '../../fakes/twilio-fake'
import { startFakeX } from '../../fakes/x-fake'
import { expectFailure, toPage, toPerson, track } from './http-helpers'

/**
 * Each adapter sorts every failure of its provider into "not sent for sure"
 * (`transient` or `permanent`) or "maybe sent" (`uncertain`), and says whether
 * a resend with the same key is harmless (`idempotent`). The outbox trusts
 * that sorting: an uncertain row on a channel without an idempotency key is
 * never resent on its own, so a citizen never gets the SMS twice. Here every
 * HTTP adapter meets the same faults from its own loopback provider.
 */

const GARBLED = 'a proxy page instead of the answer, with HTTP 200'
const NOW = () => Date.parse('2026-12-03T03:00:00Z')
const TIMEOUT_MS = 250

interface Subject {
  fake: FakeHttpServer
  adapter: ChannelAdapter
  /** Messages the provider actually published or queued. */
  delivered(): number
}

type Start = () => Promise<Subject>

interface Spec {
  idempotent: boolean
  start: Start
  /** Where the adapter settles a fault itself, by asking the provider afterwards. */
  settles?: Partial<Record<string, 'sent' | 'transient' | 'uncertain'>>
}

const ADAPTERS: Record<string, Spec> = {
  'Twilio (SMS)': {
    idempotent: false,
    async start() {
      const fake = track(await startFakeTwilio())
      const adapter = createTwilioAdapter(
        {
          accountId: 1,
          name: 'SMS Twilio',
          settings: { baseUrl: fake.url, accountSid: fake.accountSid, from: '+15005550006' },
          secrets: { authToken: fake.authToken },
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.messages.length }
    },
  },
  'gateway SMS (order id)': {
    idempotent: true,
    // An unreadable success is checked against the order itself.
    settles: { [GARBLED]: 'sent' },
    async start() {
      const fake = track(await startFakeSmsGateway())
      const adapter = createSmsGatewayAdapter(
        {
          accountId: 2,
          name: 'SMS scuole',
          settings: {
            baseUrl: fake.baseUrl,
            username: fake.username,
            sender: 'ProtCivile',
            messageType: 'GP',
          },
          secrets: { password: fake.password },
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.orders.length }
    },
  },
  Telegram: {
    idempotent: false,
    async start() {
      const fake = track(await startFakeTelegram())
      const adapter = createTelegramAdapter(
        {
          accountId: 3,
          name: 'Canale Telegram',
          settings: { baseUrl: fake.url, chatId: '@pc_empolese' },
          secrets: { botToken: fake.token },
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.messages.length }
    },
  },
  Facebook: {
    idempotent: false,
    async start() {
      const fake = track(await startFakeFacebook())
      const adapter = createFacebookAdapter(
        {
          accountId: 4,
          name: 'Pagina Facebook',
          settings: { baseUrl: fake.url, apiVersion: 'v23.0', pageId: fake.pageId },
          secrets: { pageAccessToken: fake.pageToken },
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.posts.length }
    },
  },
  X: {
    idempotent: false,
    async start() {
      const fake = track(await startFakeX({ now: NOW }))
      const adapter = createXAdapter(
        {
          accountId: 5,
          name: 'Profilo X',
          settings: { baseUrl: fake.url, handle: 'PCEmpolese' },
          secrets: { accessToken: fake.token },
          now: NOW,
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.tweets.length }
    },
  },
  'Mastodon (Idempotency-Key)': {
    idempotent: true,
    async start() {
      const fake = track(await startFakeMastodon({ now: NOW }))
      const adapter = createMastodonAdapter(
        {
          accountId: 6,
          name: 'Mastodon',
          settings: { baseUrl: fake.url, visibility: 'public' },
          secrets: { accessToken: fake.token },
          now: NOW,
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.statuses.length }
    },
  },
  'Bluesky (record key)': {
    idempotent: true,
    // After a 5xx it reads the record at its own key: absent means nothing was written.
    // An unreadable success is checked the same way.
    settles: {
      'HTTP 500 (may come after the message was accepted)': 'transient',
      [GARBLED]: 'sent',
    },
    async start() {
      const fake = track(await startFakeBluesky({ now: NOW }))
      const adapter = createBlueskyAdapter(
        {
          accountId: 7,
          name: 'Bluesky',
          settings: { baseUrl: fake.url, handle: `@${fake.handle}` },
          secrets: { appPassword: fake.appPassword },
          now: NOW,
        },
        { timeoutMs: TIMEOUT_MS },
      )
      return { fake, adapter, delivered: () => fake.posts.length }
    },
  },
}

function messageFor(adapter: ChannelAdapter) {
  return adapter.kind === 'sms_twilio' || adapter.kind === 'sms_gateway'
    ? toPerson('+393331234567', 'Allerta rossa: salite ai piani alti')
    : toPage('Allerta rossa: salite ai piani alti')
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 20))
}

/** A fault, and the bucket it belongs to whatever the provider. */
const FAULTS: {
  name: string
  arrange(subject: Subject): Promise<void> | void
  retry: 'transient' | 'uncertain'
}[] = [
  {
    name: 'connection refused (nothing left)',
    retry: 'transient',
    arrange: ({ fake }) => fake.close(),
  },
  {
    name: 'no answer in time, the provider did the work',
    retry: 'uncertain',
    arrange: ({ fake }) => fake.delayNext(1, TIMEOUT_MS * 3),
  },
  {
    name: 'connection reset after the provider did the work',
    retry: 'uncertain',
    arrange: ({ fake }) => fake.dropAfterNext(1),
  },
  {
    name: 'connection reset with the request written',
    retry: 'uncertain',
    arrange: ({ fake }) => fake.dropNext(1),
  },
  {
    name: GARBLED,
    retry: 'uncertain',
    arrange: ({ fake }) => fake.garbleNext(1),
  },
  {
    name: 'HTTP 500 (may come after the message was accepted)',
    retry: 'uncertain',
    arrange: ({ fake }) => fake.failNext(1, 500),
  },
  {
    name: 'HTTP 503 (the request was not processed)',
    retry: 'transient',
    arrange: ({ fake }) => fake.failNext(1, 503),
  },
  {
    name: 'HTTP 429 (rate limited)',
    retry: 'transient',
    arrange: ({ fake }) => fake.rateLimitNext(1, 3),
  },
]

describe.each(Object.entries(ADAPTERS))('%s: sent, not sent for sure, or maybe sent', (_, spec) => {
  it(`declares itself ${spec.idempotent ? 'idempotent' : 'not idempotent'}`, async () => {
    const { adapter } = await spec.start()
    expect(adapter.idempotent).toBe(spec.idempotent)
  })

  it.each(FAULTS)('$name → $retry', async (fault) => {
    const subject = await spec.start()
    await fault.arrange(subject)
    const expected = spec.settles?.[fault.name] ?? fault.retry
    const sent = await subject.adapter.send(messageFor(subject.adapter))
    if (expected === 'sent') {
      expect(sent.status).toBe('sent')
      expect(subject.delivered()).toBe(1)
      return
    }
    const outcome = expectFailure(sent)
    expect(outcome.retry).toBe(expected)
    if (expected === 'uncertain') {
      // The operator reads why the row waits for a decision.
      expect(outcome.reason).toMatch(/potrebbe/)
    } else {
      // "Not sent for sure" must be true: the provider published nothing.
      await new Promise((r) => setTimeout(r, TIMEOUT_MS))
      expect(subject.delivered()).toBe(0)
    }
    if (fault.name.startsWith('no answer')) await until(() => subject.delivered() === 1)
  })
})
