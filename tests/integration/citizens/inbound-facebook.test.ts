import { afterEach, describe, expect, it } from 'vitest'
import { createFacebookInbound } from '../../../src/main/core/citizens/inbound/facebook'
import { HOSTILE_TEXTS, megabyteComment } from '../../fakes/inbound/hostile-texts'
import {
  startFakeFacebookComments,
  type FakeFacebookComments,
} from '../../fakes/inbound/facebook-comments'
import { MAX_STORED_TEXT } from '../../../src/shared/citizens/types'
import { inboundContext, openInbox, wirePolling, type Inbox } from './support'

let fake: FakeFacebookComments | undefined
let inbox: Inbox | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
  inbox?.dispose()
  inbox = undefined
})

const NOW = '2026-02-07T12:00:00.000Z'
const ago = (hours: number) => new Date(Date.parse(NOW) - hours * 3600_000).toISOString()

async function setup(pageSize?: number) {
  inbox = openInbox()
  inbox.setNow(NOW)
  const box = inbox
  fake = await startFakeFacebookComments(pageSize === undefined ? {} : { pageSize })
  const accountId = box.addAccount('facebook_page')
  const poller = createFacebookInbound(
    {
      id: accountId,
      kind: 'facebook_page',
      settings: { baseUrl: fake.url, apiVersion: 'v23.0', pageId: fake.pageId },
    },
    inboundContext(box, { pageAccessToken: fake.token }),
  )
  return { fake, inbox: box, poller, polling: wirePolling(box, poller), accountId }
}

describe('Facebook Page comments', () => {
  it('reads comments on recent posts, leaving out our own and old posts, with the token in a header', async () => {
    const { fake, inbox, polling } = await setup()
    const post = fake.post(ago(20))
    const old = fake.post(ago(24 * 30))
    const c1 = fake.comment(post, {
      message: 'Quando riaprono le scuole?',
      fromName: 'Rosa Verdi',
      createdAt: ago(3),
    })
    fake.comment(post, {
      message: 'Domani alle 8',
      fromId: fake.pageId,
      fromName: 'Protezione Civile',
      createdAt: ago(2),
    })
    const reply = fake.comment(post, { message: 'Grazie!', createdAt: ago(1), parentId: c1 })
    fake.comment(old, { message: 'vecchio', createdAt: ago(1) })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 2 })
    const req = fake.requests[0]
    expect(req?.headers.authorization).toBe(`Bearer ${fake.token}`)
    expect(req?.query.access_token).toBeUndefined()
    expect(req?.path).toBe(`/v23.0/${fake.pageId}/feed`)
    expect(req?.query.fields).toContain('comments')
    const [first, second] = inbox.service.page({}).items.reverse()
    expect(first).toMatchObject({
      family: 'facebook',
      externalId: c1,
      authorName: 'Rosa Verdi',
      threadId: post,
      inReplyTo: post,
    })
    expect(second).toMatchObject({ externalId: reply, inReplyTo: c1 })
  })

  it('moves the cursor to the newest comment and later reads only newer ones', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    const post = fake.post(ago(5))
    fake.comment(post, { message: 'primo', createdAt: ago(4) })
    await polling.poll()
    expect(polling.store.get(accountId)?.cursor).toBe(ago(4))
    inbox.setNow(new Date(Date.parse(NOW) + 3600_000).toISOString())
    fake.comment(post, { message: 'secondo', createdAt: NOW })
    // A small overlap re-reads the newest comment already held; the inbox drops it.
    expect(await polling.poll()).toMatchObject({ fetched: 2, received: 1 })
    expect(polling.store.get(accountId)?.cursor).toBe(NOW)
  })

  it('follows the feed pages', async () => {
    const { fake, inbox, polling } = await setup(2)
    for (let i = 0; i < 5; i++) {
      const post = fake.post(ago(10 + i))
      fake.comment(post, { message: `commento ${i}`, createdAt: ago(1 + i / 10) })
    }
    expect(await polling.poll()).toMatchObject({ received: 5 })
    expect(fake.requests).toHaveLength(3)
    expect(inbox.service.counts().nuovo).toBe(5)
  })

  it('stores a 1 MB comment bounded, and hostile comments as text', async () => {
    const { fake, inbox, polling } = await setup()
    const post = fake.post(ago(5))
    fake.comment(post, { message: megabyteComment(), createdAt: ago(3) })
    fake.comment(post, { message: HOSTILE_TEXTS.imgOnerror, createdAt: ago(2) })
    fake.comment(post, { createdAt: ago(1) })
    await polling.poll()
    const [huge, img, empty] = inbox.service.page({}).items.reverse()
    expect(huge?.text.length).toBeLessThanOrEqual(MAX_STORED_TEXT)
    expect(huge?.flags.truncatedFrom).toBe(megabyteComment().length)
    expect(img?.text).toBe(HOSTILE_TEXTS.imgOnerror)
    expect(empty?.text).toBe('[commento senza testo]')
  })

  it('reads the Graph rate limit (#32) and waits until access returns', async () => {
    const { fake, inbox, polling } = await setup()
    fake.rateLimitNext(1, 30 * 60)
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    expect(Date.parse(report.nextPollAt ?? '') - inbox.now().getTime()).toBe(30 * 60_000)
  })

  it('tells an expired token apart, without saying it', async () => {
    const { fake, polling, accountId } = await setup()
    fake.expireToken()
    expect(await polling.poll()).toMatchObject({ error: { code: 'auth' } })
    expect(polling.store.get(accountId)?.lastError).not.toContain(fake.token)
  })
})
