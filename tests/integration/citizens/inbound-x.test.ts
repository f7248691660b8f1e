import { afterEach, describe, expect, it } from 'vitest'
import { createXInbound } from '../../../src/main/core/citizens/inbound/x'
import { HOSTILE_TEXTS } from '../../fakes/inbound/hostile-texts'
import { startFakeXMentions, type FakeXMentions } from '../../fakes/inbound/x-mentions'
import { inboundContext, openInbox, wirePolling, type Inbox } from './support'

let fake: FakeXMentions | undefined
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
  fake = await startFakeXMentions({ now: () => box.now().getTime() })
  const accountId = box.addAccount('x')
  const poller = createXInbound(
    { id: accountId, kind: 'x', settings: { baseUrl: fake.url, handle: 'pcempolese' } },
    inboundContext(box, { accessToken: token ?? fake.token }),
  )
  return { fake, inbox: box, poller, polling: wirePolling(box, poller), accountId }
}

const mentionRequests = (fake: FakeXMentions) =>
  fake.requests.filter((r) => r.path.endsWith('/mentions'))

describe('X mentions', () => {
  it('asks who we are once, then reads mentions with their authors and threads', async () => {
    const { fake, inbox, polling } = await setup()
    const root = fake.mention({
      text: '@pcempolese scuole chiuse domani a Empoli?',
      username: 'giulia',
      name: 'Giulia N.',
    })
    fake.mention({
      text: '@pcempolese anche a Vinci? <3 & grazie',
      username: 'marco',
      conversationId: root,
      repliedTo: root,
    })
    await polling.poll()
    await polling.poll()
    expect(fake.requests.filter((r) => r.path === '/2/users/me')).toHaveLength(1)
    const first = mentionRequests(fake)[0]
    expect(first?.path).toBe(`/2/users/${fake.userId}/mentions`)
    expect(first?.query).toMatchObject({
      expansions: 'author_id',
      'tweet.fields': expect.stringContaining('created_at,conversation_id,in_reply_to_user_id'),
    })
    expect(first?.query.since_id).toBeUndefined()
    expect(mentionRequests(fake)[1]?.query.since_id).toBe(String(BigInt(root) + 1n))
    const [a, b] = inbox.service.page({}).items.reverse()
    expect(a).toMatchObject({
      family: 'x',
      externalId: root,
      authorHandle: '@giulia',
      authorName: 'Giulia N.',
      threadId: root,
    })
    expect(b).toMatchObject({
      text: '@pcempolese anche a Vinci? <3 & grazie',
      threadId: root,
      inReplyTo: root,
    })
    expect(b?.flags.permalink).toBe(`https://x.com/marco/status/${String(BigInt(root) + 1n)}`)
  })

  it('does not store a mention twice when polls overlap', async () => {
    const { fake, inbox, poller } = await setup()
    fake.mention({ text: 'uno' })
    fake.mention({ text: 'due' })
    // Two polls from the same cursor (as after a crash before the cursor was saved).
    const a = await poller.poll(null)
    const b = await poller.poll(null)
    expect(inbox.service.ingest(a.messages)).toHaveLength(2)
    expect(inbox.service.ingest(b.messages)).toHaveLength(0)
  })

  it('pages back down to the cursor when more than a page arrived', async () => {
    const { fake, inbox, polling } = await setup()
    fake.mention({ text: 'prima' })
    await polling.poll()
    for (let i = 0; i < 230; i++) fake.mention({ text: `raffica ${i}` })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', fetched: 230, received: 230 })
    expect(
      mentionRequests(fake)
        .slice(1)
        .map((r) => r.query.pagination_token !== undefined),
    ).toEqual([false, true, true])
    expect(inbox.service.counts().nuovo).toBe(231)
  })

  it('honours 429 and x-rate-limit-reset, keeping the cursor', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    fake.mention({ text: 'uno' })
    await polling.poll()
    const cursor = polling.store.get(accountId)?.cursor
    fake.rateLimitNext(1, 600)
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    // The reset (10 minutes) is longer than the first backoff step (one interval): it wins.
    expect(Date.parse(report.nextPollAt ?? '') - inbox.now().getTime()).toBe(600_000)
    expect(polling.store.get(accountId)).toMatchObject({ cursor, errorCount: 1 })
    expect(polling.errors).toHaveLength(1)
  })

  it('stores hostile tweets as text', async () => {
    const { fake, inbox, polling } = await setup()
    fake.mention({ text: HOSTILE_TEXTS.scriptTag })
    fake.mention({ text: HOSTILE_TEXTS.bidiOverride })
    await polling.poll()
    const [script, bidi] = inbox.service.page({}).items.reverse()
    expect(script?.text).toBe(HOSTILE_TEXTS.scriptTag)
    expect(script?.flags.suspicious).toContain('markup')
    expect(bidi?.flags.suspicious).toContain('bidi_control')
  })

  it('fails with auth on a refused token and never says the token', async () => {
    const { poller } = await setup('stolen-looking-token-999')
    const err = await poller.poll(null).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'auth' })
    expect(String((err as Error).message)).not.toContain('stolen-looking-token-999')
  })
})
