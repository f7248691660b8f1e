import { afterEach, describe, expect, it } from 'vitest'
import { createMastodonInbound } from '../../../src/main/core/citizens/inbound/mastodon'
import { InboundError } from '../../../src/main/core/citizens/inbound/errors'
import { toDisplayTokens } from '../../../src/shared/citizens/safe-text'
import { HOSTILE_TEXTS } from '../../fakes/inbound/hostile-texts'
import {
  startFakeMastodonInbox,
  type FakeMastodonInbox,
} from '../../fakes/inbound/mastodon-notifications'
import { inboundContext, openInbox, wirePolling, type Inbox } from './support'

let fake: FakeMastodonInbox | undefined
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
  fake = await startFakeMastodonInbox({ now: () => box.now().getTime() })
  const accountId = box.addAccount('mastodon')
  const poller = createMastodonInbound(
    { id: accountId, kind: 'mastodon', settings: { baseUrl: fake.url, visibility: 'public' } },
    inboundContext(box, { accessToken: token ?? fake.token }),
  )
  return { fake, inbox: box, poller, polling: wirePolling(box, poller), accountId }
}

describe('Mastodon mentions', () => {
  it('reads mentions only, as plain text, with the author reachable for a reply', async () => {
    const { fake, inbox, polling } = await setup()
    fake.other('favourite')
    const [, statusId] = fake.mention({
      html: '<p><span class="h-card"><a href="https://mastodon.example/@pcempolese" class="u-url mention">@<span>pcempolese</span></a></span> la SP 13 è chiusa?</p><p>Grazie &amp; buona serata</p>',
      acct: 'luca@mastodon.uno',
      displayName: 'Luca',
      inReplyTo: '113000000000000001',
    })
    fake.mention({ html: '<p>ciao</p>', acct: 'locale', spoiler: 'allerta' })
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'ok', fetched: 2, received: 2 })
    const req = fake.requests[0]
    expect(req?.query).toMatchObject({ 'types[]': 'mention' })
    expect(req?.headers.authorization).toBe(`Bearer ${fake.token}`)
    const [first, second] = inbox.service.page({}).items.reverse()
    expect(first).toMatchObject({
      family: 'mastodon',
      externalId: statusId,
      inReplyTo: '113000000000000001',
      authorName: 'Luca',
      authorHandle: '@luca@mastodon.uno',
      text: '@pcempolese la SP 13 è chiusa?\n\nGrazie & buona serata',
      flags: { acct: 'luca@mastodon.uno' },
    })
    // A local account gets the instance's host, so a reply can mention it.
    expect(second?.flags.acct).toBe(`locale@${new URL(fake.url).host}`)
    expect(second?.text).toBe('[CW: allerta]\nciao')
  })

  it('keeps no markup from hostile statuses, and shows links by their real target', async () => {
    const { fake, inbox, polling } = await setup()
    fake.mention({ html: HOSTILE_TEXTS.misleadingAnchor })
    fake.mention({ html: `<p>${HOSTILE_TEXTS.scriptTag}</p>` })
    fake.mention({ html: `<p>${HOSTILE_TEXTS.entities}</p>` })
    fake.mention({ html: '<<<<<<'.repeat(5_000) + '<p>fine</p>' })
    await polling.poll()
    const texts = inbox.service
      .page({})
      .items.reverse()
      .map((m) => m.text)
    expect(texts[0]).toBe('https://comune.empoli.fi.it')
    // A script's content is never text: only what a reader would see is kept.
    expect(texts[1]).toBe('Aiuto!')
    expect(texts[2]).toBe('<b>grassetto</b> & \u202Erovescio')
    expect(texts[3]?.endsWith('fine')).toBe(true)
    // The decoded "<b>" and the override are text for the display, never markup.
    const view = toDisplayTokens(texts[2] ?? '')
    expect(view.tokens).toEqual([{ type: 'text', text: '<b>grassetto</b> & rovescio' }])
    expect(view.suspicious).toEqual(['markup', 'bidi_control'])
  })

  it('moves its cursor forward and reads a burst larger than a page without gaps', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    fake.mention({ html: '<p>prima</p>' })
    await polling.poll()
    expect(polling.store.get(accountId)?.cursor).toMatch(/^\d+$/)
    const ids: string[] = []
    for (let i = 0; i < 95; i++) ids.push(fake.mention({ html: `<p>burst ${i}</p>` })[1])
    const report = await polling.poll()
    expect(report).toMatchObject({ outcome: 'ok', fetched: 95, received: 95 })
    // Three pages (40 + 40 + 15), each asked from the previous one's newest id.
    expect(fake.requests.slice(1).map((r) => r.query.min_id !== undefined)).toEqual([
      true,
      true,
      true,
    ])
    const again = await polling.poll()
    expect(again).toMatchObject({ fetched: 0, received: 0 })
    expect(inbox.service.counts().nuovo).toBe(96)
    expect(
      inbox.service
        .page({ limit: 500 })
        .items.map((m) => m.externalId)
        .slice(0, 95),
    ).toEqual(ids.reverse())
  })

  it('waits as long as a 429 says, then resumes from the same cursor', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    fake.mention({ html: '<p>uno</p>' })
    await polling.poll()
    const cursor = polling.store.get(accountId)?.cursor
    fake.rateLimitNext(1, 900)
    const limited = await polling.poll()
    expect(limited).toMatchObject({ outcome: 'error', error: { code: 'rate_limited' } })
    const nowMs = inbox.now().getTime()
    expect(Date.parse(limited.nextPollAt ?? '') - nowMs).toBe(900_000)
    expect(polling.store.get(accountId)).toMatchObject({
      cursor,
      errorCount: 1,
      lastErrorCode: 'rate_limited',
    })
    fake.mention({ html: '<p>due</p>' })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 1 })
    expect(polling.store.get(accountId)?.errorCount).toBe(0)
  })

  it('reports a refused token and an HTML error page without leaking either', async () => {
    const { fake, poller } = await setup('wrong-token-123456')
    const refused = await poller.poll(null).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(InboundError)
    expect(refused).toMatchObject({ code: 'auth' })
    expect((refused as Error).message).not.toContain('wrong-token-123456')
    fake.failNext(1, 502)
    const good = createMastodonInbound(
      { id: poller.accountId, kind: 'mastodon', settings: { baseUrl: fake.url } },
      inboundContext(inbox!, { accessToken: fake.token }),
    )
    const down = await good.poll(null).catch((e: unknown) => e)
    expect(down).toMatchObject({ code: 'provider_unavailable' })
    expect((down as Error).message).not.toContain('<')
  })
})
