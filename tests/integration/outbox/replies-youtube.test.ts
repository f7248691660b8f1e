import { afterEach, describe, expect, it } from 'vitest'
import { createAdapterFactory } from '../../../src/main/core/channels/adapters'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import { createCitizensService } from '../../../src/main/core/citizens/citizens-service'
import { accountAdapterResolver } from '../../../src/main/core/outbox/account-adapters'
import { createDirectMessages } from '../../../src/main/core/outbox/direct-messages'
import { createDispatcher } from '../../../src/main/core/outbox/dispatcher'
import { startFakeYoutube, type FakeYoutube } from '../../fakes/youtube-fake'
import { addAccount, openWorkspace, type Workspace } from './support'

// The fake follows Google's published YouTube Data API v3 reference (no spec file exists).

let ws: Workspace | undefined
let fake: FakeYoutube | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
  ws?.dispose()
  ws = undefined
})

/** A workspace with one YouTube account on the fake, the inbox, the outbox and a dispatcher. */
async function room(timeoutMs = 5_000) {
  ws = openWorkspace()
  const w = ws
  const yt = (fake = await startFakeYoutube())
  const repo = createChannelAccountsRepository(w.db)
  const account = addAccount(w, 'youtube', 'Canale YouTube', {
    baseUrl: yt.url,
    tokenUrl: yt.tokenUrl,
    channelId: yt.channelId,
    clientId: yt.clientId,
  })
  const adapterFor = accountAdapterResolver(
    {
      get: (id) => repo.get(id),
      secretsFor: () => ({ clientSecret: yt.clientSecret, refreshToken: yt.refreshToken }),
    },
    createAdapterFactory('real', { http: { timeoutMs } }),
  )
  const direct = createDirectMessages(w.db, {
    partners: { get: () => null },
    contacts: { get: () => null },
    ente: () => 'Protezione civile Empolese Valdelsa',
    onRowsChanged: () => undefined,
    onQueued: () => undefined,
    now: w.clock.now,
  })
  const citizens = createCitizensService({
    db: w.db,
    enqueueReply: direct.enqueueReply,
    now: () => new Date(w.clock.now()),
  })
  const dispatcher = createDispatcher({
    db: w.db,
    adapterFor,
    now: w.clock.now,
    audit: w.audit,
    onChange: () => undefined,
    receipts: { firstPollMs: 3_600_000 },
  })
  const row = (id: number) =>
    w.db
      .prepare<[number], Record<string, unknown>>(
        'SELECT state, in_reply_to, provider_id, last_error_code FROM outbox WHERE id = ?',
      )
      .get(id)
  return { w, yt, account, citizens, dispatcher, row }
}

const inserts = (f: FakeYoutube) => f.requests.filter((r) => r.path === '/youtube/v3/comments')

describe('answers to YouTube comments through the outbox', () => {
  it('a reply inside a thread goes under the thread’s top comment, with parentId', async () => {
    const r = await room()
    const top = r.yt.addComment({
      videoId: 'vidAllerta1',
      text: 'Il ponte è chiuso?',
      publishedAt: '2026-12-04T08:00:00Z',
    })
    const answer = r.yt.addComment({
      parentId: top,
      text: 'Anche la strada per Vinci?',
      author: 'Luca Neri',
      publishedAt: '2026-12-04T08:05:00Z',
    })
    const [stored] = r.citizens.ingest([
      {
        family: 'youtube',
        accountId: r.account,
        externalId: answer,
        threadId: top,
        inReplyTo: top,
        authorName: 'Luca Neri',
        text: 'Anche la strada per Vinci?',
      },
    ])
    const { outboxId } = await r.citizens.reply(stored!.id, 'Sì, chiusa fino alle 18.', 'Anna')
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    expect(inserts(r.yt)[0]?.body).toEqual({
      snippet: { parentId: top, textOriginal: 'Sì, chiusa fino alle 18.' },
    })
    const reply = r.yt.comments.at(-1)
    expect(reply).toMatchObject({ parentId: top, authorChannelId: r.yt.channelId })
    expect(r.row(outboxId)).toMatchObject({
      state: 'sent',
      in_reply_to: top,
      provider_id: reply?.id,
    })
  })

  it('a timeout after the reply left leaves the row uncertain, and it is not inserted again', async () => {
    const r = await room(300)
    const top = r.yt.addComment({
      text: 'Domani scuole aperte?',
      publishedAt: '2026-12-04T08:00:00Z',
    })
    const [stored] = r.citizens.ingest([
      {
        family: 'youtube',
        accountId: r.account,
        externalId: top,
        threadId: top,
        text: 'Domani scuole aperte?',
      },
    ])
    const { outboxId } = await r.citizens.reply(stored!.id, 'Sì, sono aperte.', 'Anna')
    r.yt.delayNext(1, 800)
    expect(await r.dispatcher.tick()).toMatchObject({ uncertain: 1, sent: 0 })
    expect(r.row(outboxId)).toMatchObject({ state: 'uncertain', last_error_code: 'timeout' })
    await new Promise((resolve) => setTimeout(resolve, 700))
    r.w.clock.advance(3_600_000)
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 0 })
    expect(inserts(r.yt)).toHaveLength(1)
    expect(r.yt.comments.filter((c) => c.parentId === top)).toHaveLength(1)
  })
})
