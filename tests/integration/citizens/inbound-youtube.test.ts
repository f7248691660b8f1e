import { afterEach, describe, expect, it } from 'vitest'
import { createYoutubeInbound } from '../../../src/main/core/citizens/inbound/youtube'
import { msUntilQuotaReset } from '../../../src/main/core/channels/adapters/youtube-api'
import { startFakeYoutube, type FakeYoutube } from '../../fakes/youtube-fake'
import { inboundContext, openInbox, wirePolling, type Inbox } from './support'

// The fake follows Google's published YouTube Data API v3 reference (no spec file exists).

let fake: FakeYoutube | undefined
let inbox: Inbox | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
  inbox?.dispose()
  inbox = undefined
})

const NOW = '2026-12-04T12:00:00.000Z'
const ago = (minutes: number, from = NOW) =>
  new Date(Date.parse(from) - minutes * 60_000).toISOString()

async function setup(options: { pageSize?: number; budget?: number; apiKey?: boolean } = {}) {
  inbox = openInbox()
  inbox.setNow(NOW)
  const box = inbox
  fake = await startFakeYoutube(
    options.pageSize === undefined ? {} : { pageSize: options.pageSize },
  )
  const accountId = box.addAccount('youtube')
  const poller = createYoutubeInbound(
    {
      id: accountId,
      kind: 'youtube',
      settings: {
        baseUrl: fake.url,
        tokenUrl: fake.tokenUrl,
        channelId: fake.channelId,
        clientId: fake.clientId,
        ...(options.budget === undefined ? {} : { dailyQuotaUnits: options.budget }),
      },
    },
    inboundContext(
      box,
      options.apiKey
        ? { apiKey: fake.apiKey }
        : { clientSecret: fake.clientSecret, refreshToken: fake.refreshToken },
    ),
  )
  return { fake, inbox: box, polling: wirePolling(box, poller), accountId }
}

const listCalls = (f: FakeYoutube) =>
  f.requests.filter((r) => r.path === '/youtube/v3/commentThreads')

describe('YouTube comments in the citizens’ inbox', () => {
  it('reads the channel’s comment threads page after page, replies included, ours left out', async () => {
    const { fake, inbox, polling } = await setup({ pageSize: 2 })
    const old = fake.addComment({
      videoId: 'vidAllerta1',
      text: 'La strada per Vinci è chiusa?',
      author: 'Rosa Verdi',
      publishedAt: ago(50),
    })
    fake.addComment({
      videoId: 'vidAllerta1',
      parentId: old,
      text: 'Anche a me interessa',
      author: 'Luca Neri',
      publishedAt: ago(40),
    })
    fake.addComment({ videoId: 'vidAllerta1', text: 'Grazie per il video', publishedAt: ago(30) })
    fake.addComment({ videoId: 'vidAllerta2', text: 'Scuole aperte domani?', publishedAt: ago(20) })
    fake.addComment({ videoId: 'vidAllerta2', text: 'Acqua in via Roma', publishedAt: ago(10) })
    // Our own answer in a thread is not a citizen talking.
    fake.comments.push({
      id: `${old}.ours`,
      parentId: old,
      videoId: 'vidAllerta1',
      authorDisplayName: fake.channelTitle,
      authorChannelId: fake.channelId,
      textOriginal: 'Sì, fino alle 18',
      publishedAt: ago(35),
    })

    expect(await polling.poll()).toMatchObject({ outcome: 'ok', fetched: 5, received: 5 })
    const calls = listCalls(fake)
    expect(calls).toHaveLength(2)
    expect(calls[0]?.query).toEqual({
      part: 'snippet,replies',
      allThreadsRelatedToChannelId: fake.channelId,
      order: 'time',
      maxResults: '50',
    })
    expect(calls[1]?.query.pageToken).toBeTruthy()
    expect(calls[0]?.headers.authorization).toMatch(/^Bearer ya29\./)

    const items = inbox.service.page({}).items.reverse()
    expect(items.map((m) => m.text)).toEqual([
      'La strada per Vinci è chiusa?',
      'Anche a me interessa',
      'Grazie per il video',
      'Scuole aperte domani?',
      'Acqua in via Roma',
    ])
    expect(items[0]).toMatchObject({
      family: 'youtube',
      externalId: old,
      threadId: old,
      inReplyTo: 'vidAllerta1',
      authorName: 'Rosa Verdi',
      flags: { permalink: `https://www.youtube.com/watch?v=vidAllerta1&lc=${old}` },
    })
    expect(items[1]).toMatchObject({ threadId: old, inReplyTo: old, authorName: 'Luca Neri' })
  })

  it('keeps a cursor: the next poll reads one page and brings nothing new, then only newer comments', async () => {
    const { fake, inbox, polling, accountId } = await setup({ pageSize: 2 })
    for (let i = 5; i >= 1; i--)
      fake.addComment({ text: `commento ${i}`, publishedAt: ago(i * 60) })
    await polling.poll()
    expect(listCalls(fake)).toHaveLength(3)
    const cursor = JSON.parse(polling.store.get(accountId)?.cursor ?? '{}') as Record<
      string,
      unknown
    >
    expect(cursor).toMatchObject({ after: ago(60), day: '2026-12-04', units: 3 })

    inbox.setNow(ago(-1))
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 0 })
    // One page: its threads are already older than the cursor.
    expect(listCalls(fake)).toHaveLength(4)

    fake.addComment({ text: 'nuovo', publishedAt: ago(-0.5) })
    inbox.setNow(ago(-2))
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 1 })
    expect(inbox.service.page({}).items[0]?.text).toBe('nuovo')
  })

  it('with an API key reads textDisplay’s HTML as plain text, the key in a header', async () => {
    const { fake, inbox, polling } = await setup({ apiKey: true })
    fake.addComment({
      text: 'ignored',
      html: 'Il ponte è <b>chiuso</b>?<br>L&#39;acqua &quot;sale&quot; &amp; ciao <a href="https://www.youtube.com/watch?v=x&amp;t=1">1:00</a>',
      publishedAt: ago(5),
    })
    await polling.poll()
    expect(inbox.service.page({}).items[0]?.text).toBe(
      'Il ponte è chiuso?\nL\'acqua "sale" & ciao 1:00',
    )
    const req = listCalls(fake)[0]
    expect(req?.headers['x-goog-api-key']).toBe(fake.apiKey)
    expect(JSON.stringify(req?.query)).not.toContain(fake.apiKey)
  })

  it('refreshes the access token once on a 401, and keeps it between polls', async () => {
    const { fake, polling } = await setup()
    fake.addComment({ text: 'uno', publishedAt: ago(5) })
    await polling.poll()
    await polling.poll()
    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(1)
    fake.expireAccessTokens()
    fake.addComment({ text: 'due', publishedAt: ago(1) })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 1 })
    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(2)
  })

  it('keeps the access token across pollers, as the runtime builds one per poll', async () => {
    const { fake, inbox } = await setup()
    fake.addComment({ text: 'uno', publishedAt: ago(5) })
    const make = () =>
      createYoutubeInbound(
        {
          id: 1,
          kind: 'youtube',
          settings: {
            baseUrl: fake.url,
            tokenUrl: fake.tokenUrl,
            channelId: fake.channelId,
            clientId: fake.clientId,
          },
        },
        inboundContext(inbox, { clientSecret: fake.clientSecret, refreshToken: fake.refreshToken }),
      )
    await make().poll(null)
    await make().poll(null)
    expect(fake.requests.filter((r) => r.path === '/token')).toHaveLength(1)
    expect(listCalls(fake)).toHaveLength(2)
  })

  it('a quotaExceeded 403 stops polling until midnight Pacific time and says so', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    fake.addComment({ text: 'prima della quota', publishedAt: ago(5) })
    fake.exhaustQuota()
    const report = await polling.poll()
    const untilReset = msUntilQuotaReset(Date.parse(NOW))
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    expect(report.error?.message).toContain('quota giornaliera')
    expect(report.error?.message).toContain('quotaExceeded')
    // 12:00 UTC is 04:00 in Los Angeles: the reset is 20 hours on.
    expect(untilReset).toBe(20 * 3600_000)
    expect(Date.parse(report.nextPollAt ?? '') - inbox.now().getTime()).toBe(untilReset)
    // The room's channel health keeps the problem.
    expect(polling.store.get(accountId)).toMatchObject({
      lastErrorCode: 'rate_limited',
      nextPollAt: report.nextPollAt,
    })
    expect(polling.errors).toHaveLength(1)

    inbox.setNow(new Date(Date.parse(NOW) + untilReset + 1000).toISOString())
    fake.resetQuota()
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 1 })
  })

  it('stays within its daily budget: a cut poll keeps its cursor and the next one says why it waits', async () => {
    const { fake, inbox, polling, accountId } = await setup({ pageSize: 1, budget: 3 })
    for (let i = 5; i >= 1; i--) fake.addComment({ text: `c${i}`, publishedAt: ago(i * 10) })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 3 })
    expect(listCalls(fake)).toHaveLength(3)
    const cursor = JSON.parse(polling.store.get(accountId)?.cursor ?? '{}') as Record<
      string,
      unknown
    >
    // Not every page was read: the next page is kept, to go on from there after the reset.
    expect(cursor).toMatchObject({
      after: null,
      units: 3,
      resume: { pageToken: expect.any(String) },
    })

    inbox.setNow(ago(-1))
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    expect(report.error?.message).toContain('limite di 3 unità')
    expect(listCalls(fake)).toHaveLength(3)

    // A new quota day (midnight Pacific, 08:00 UTC): the older comments arrive, from page 4.
    inbox.setNow('2026-12-05T08:00:30.000Z')
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 2 })
    expect(listCalls(fake)).toHaveLength(5)
    expect(inbox.service.page({}).items).toHaveLength(5)
    const done = JSON.parse(polling.store.get(accountId)?.cursor ?? '{}') as Record<string, unknown>
    expect(done).toMatchObject({ after: ago(10), day: '2026-12-05', units: 2 })
    expect(done['resume']).toBeUndefined()
  })

  it('quota spent in the middle of paging: what was read arrives, then it waits for the reset', async () => {
    const { fake, inbox, polling, accountId } = await setup({ pageSize: 1 })
    for (let i = 3; i >= 1; i--) fake.addComment({ text: `c${i}`, publishedAt: ago(i * 10) })
    fake.allowUnits(1)
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 1 })
    expect(listCalls(fake)).toHaveLength(2)
    inbox.setNow(ago(-1))
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    // Google was not asked again.
    expect(listCalls(fake)).toHaveLength(2)
    expect(polling.store.get(accountId)?.lastErrorCode).toBe('rate_limited')
    // After the reset it goes on from the page the quota stopped.
    inbox.setNow('2026-12-05T08:00:30.000Z')
    fake.resetQuota()
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 2 })
    expect(listCalls(fake)[2]?.query.pageToken).toBe(listCalls(fake)[1]?.query.pageToken)
  })

  it('a revoked refresh token is an auth problem, without a secret in it', async () => {
    const { fake, polling } = await setup()
    fake.revokeRefreshToken()
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'auth' } })
    expect(report.error?.message).toContain('invalid_grant')
    expect(JSON.stringify(report)).not.toContain(fake.refreshToken)
    expect(JSON.stringify(report)).not.toContain(fake.clientSecret)
  })
})
