import { afterEach, describe, expect, it } from 'vitest'
import { createTelegramInbound } from '../../../src/main/core/citizens/inbound/telegram'
import { createInboundPoller } from '../../../src/main/core/citizens/inbound/scheduler'
import { createInboundCursorsRepository } from '../../../src/main/core/citizens/inbound/cursors-repository'
import { HOSTILE_TEXTS } from '../../fakes/inbound/hostile-texts'
import {
  startFakeTelegramUpdates,
  type FakeTelegramUpdates,
} from '../../fakes/inbound/telegram-updates'
import { inboundContext, openInbox, wirePolling, type Inbox } from './support'

let fake: FakeTelegramUpdates | undefined
let inbox: Inbox | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
  inbox?.dispose()
  inbox = undefined
})

async function setup(token?: string) {
  inbox = openInbox()
  const box = inbox
  fake = await startFakeTelegramUpdates({ now: () => box.now().getTime() })
  const accountId = box.addAccount('telegram')
  const poller = createTelegramInbound(
    { id: accountId, kind: 'telegram', settings: { baseUrl: fake.url, chatId: '@pc_empolese' } },
    inboundContext(box, { botToken: token ?? fake.token }),
  )
  return { fake, inbox: box, poller, polling: wirePolling(box, poller), accountId }
}

describe('Telegram bot messages', () => {
  it('reads messages to the bot and confirms them with the next offset', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    fake.message({
      text: 'Il ponte di Fucecchio è aperto?',
      firstName: 'Anna',
      lastName: 'Rossi',
      username: 'annar',
    })
    fake.message({ location: { latitude: 43.72, longitude: 10.8 }, chatId: 777 })
    fake.message({ photo: true, caption: 'Frana sulla SP 4', chatId: 888 })
    fake.message({ text: 'sono un bot', isBot: true })
    fake.otherUpdate('channel_post')
    const last = fake.message({ photo: true, chatId: 999 })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', fetched: 4, received: 4 })
    expect(polling.store.get(accountId)?.cursor).toBe(String(last + 1))
    const texts = inbox.service.page({}).items.reverse()
    expect(texts.map((m) => [m.externalId, m.authorName, m.authorHandle, m.text])).toEqual([
      ['4242:1', 'Anna Rossi', '@annar', 'Il ponte di Fucecchio è aperto?'],
      [
        '777:1',
        'Mario',
        null,
        '[posizione 43.72, 10.8] https://www.openstreetmap.org/?mlat=43.72&mlon=10.8#map=17/43.72/10.8',
      ],
      ['888:1', 'Mario', null, 'Frana sulla SP 4'],
      ['999:1', 'Mario', null, '[foto]'],
    ])
    expect(texts[0]?.flags.chatId).toBe('4242')
    // Nothing is confirmed until the next poll asks with the new offset.
    expect(fake.pending()).toBe(6)
    await polling.poll()
    expect(fake.requests.at(-1)?.query.offset).toBe(String(last + 1))
    expect(fake.pending()).toBe(0)
  })

  it('fetches the same updates again when storing them failed, so none is lost', async () => {
    const { fake, inbox, poller, accountId } = await setup()
    fake.message({ text: 'Aiuto, acqua in casa' })
    const store = createInboundCursorsRepository(inbox.db)
    let failOnce = true
    const scheduler = createInboundPoller({
      sources: [accountId],
      pollers: () => poller,
      store,
      onMessages: (messages) => {
        if (failOnce) {
          failOnce = false
          throw new Error('database is locked')
        }
        return inbox.service.ingest(messages)
      },
    })
    expect(await scheduler.pollNow(accountId)).toMatchObject({
      outcome: 'error',
      error: { code: 'internal' },
    })
    expect(store.get(accountId)?.cursor ?? null).toBeNull()
    expect(await scheduler.pollNow(accountId)).toMatchObject({ outcome: 'ok', received: 1 })
    expect(inbox.service.page({}).items.map((m) => m.text)).toEqual(['Aiuto, acqua in casa'])
  })

  it('stores hostile messages as text', async () => {
    const { fake, inbox, polling } = await setup()
    fake.message({ text: HOSTILE_TEXTS.tagSmuggling })
    fake.message({ text: HOSTILE_TEXTS.zalgo })
    await polling.poll()
    const [smuggled, zalgo] = inbox.service.page({}).items.reverse()
    expect(smuggled?.text).toBe(HOSTILE_TEXTS.tagSmuggling)
    expect(smuggled?.flags.suspicious).toEqual(['invisible'])
    expect(zalgo?.flags.suspicious).toContain('flood')
  })

  it('honours retry_after on 429', async () => {
    const { fake, inbox, polling } = await setup()
    fake.rateLimitNext(1, 35)
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    expect(Date.parse(report.nextPollAt ?? '') - inbox.now().getTime()).toBe(60_000)
    fake.rateLimitNext(1, 3600)
    const long = await polling.poll()
    expect(Date.parse(long.nextPollAt ?? '') - inbox.now().getTime()).toBe(3_600_000)
  })

  it('explains a webhook conflict and a bad token, and the token never reaches the journal', async () => {
    const { fake, polling, accountId, inbox } = await setup()
    fake.setWebhook(true)
    expect(await polling.poll()).toMatchObject({ error: { code: 'conflict' } })
    await fake.close()
    const secretPart = 'AAInboundFakeToken_SecretPart_xyz'
    // The server is gone: the network error must not quote the URL (which holds the token).
    const gone = await polling.poll()
    expect(gone).toMatchObject({ error: { code: 'network' } })
    const state = polling.store.get(accountId)
    expect(state?.lastError).not.toContain(secretPart)
    expect(JSON.stringify(polling.reports)).not.toContain(secretPart)
    const wrong = await setupWrongToken(inbox)
    expect(wrong).toMatchObject({ code: 'auth' })
    expect((wrong as Error).message).not.toContain('not-the-real-token-123')
  })
})

async function setupWrongToken(box: Inbox): Promise<unknown> {
  const other = await startFakeTelegramUpdates()
  try {
    const poller = createTelegramInbound(
      { id: box.addAccount('telegram'), kind: 'telegram', settings: { baseUrl: other.url } },
      inboundContext(box, { botToken: 'not-the-real-token-123' }),
    )
    return await poller.poll(null).catch((e: unknown) => e)
  } finally {
    await other.close()
  }
}
