import { afterEach, describe, expect, it } from 'vitest'
import { youtubeClientFor } from '../../../src/main/core/channels/adapters/youtube'
import { createYoutubeLinks } from '../../../src/main/core/channels/adapters/youtube-links'
import { startFakeYoutube, type FakeYoutube } from '../../fakes/youtube-fake'
import { createTestCore, type TestCore } from '../../support/test-core'

// The fake follows Google's published YouTube Data API v3 reference (no spec file exists).

let fake: FakeYoutube | undefined
let t: TestCore | undefined
afterEach(async () => {
  t?.dispose()
  t = undefined
  await fake?.close()
  fake = undefined
})

const ctx = { operator: 'Anna' }
const calls = (f: FakeYoutube, resource: string) =>
  f.requests.filter((r) => r.path === `/youtube/v3/${resource}`)

function links(f: FakeYoutube, clock: { now: number }) {
  const client = youtubeClientFor({
    accountId: 1,
    name: 'YouTube',
    settings: { baseUrl: f.url, tokenUrl: f.tokenUrl, channelId: f.channelId },
    secrets: { apiKey: f.apiKey },
  })
  return createYoutubeLinks({ client, channelId: f.channelId, now: () => clock.now })
}

describe('the link an alert carries to the YouTube channel', () => {
  it('is the live stream when the channel is on air (search.list eventType=live, its own bucket)', async () => {
    const f = (fake = await startFakeYoutube())
    f.setLive('liveNeve2026')
    f.upload('oldVideo0001', '2026-12-01T10:00:00Z')
    const result = await links(f, { now: 0 }).current()
    expect(result).toEqual({
      ok: true,
      link: {
        kind: 'live',
        videoId: 'liveNeve2026',
        url: 'https://www.youtube.com/watch?v=liveNeve2026',
      },
      units: 0,
      searches: 1,
    })
    expect(calls(f, 'search')[0]?.query).toEqual({
      part: 'id',
      channelId: f.channelId,
      eventType: 'live',
      type: 'video',
      maxResults: '1',
    })
    // search.list draws on its own 100 calls a day, not on the 10,000 units.
    expect(f.unitsUsed()).toBe(0)
    expect(f.searchesUsed()).toBe(1)
  })

  it('else the latest upload, through the uploads playlist read once; an answer is reused for minutes', async () => {
    const f = (fake = await startFakeYoutube())
    f.upload('oldVideo0001', '2026-12-01T10:00:00Z')
    f.upload('newVideo0002', '2026-12-03T10:00:00Z')
    const clock = { now: 0 }
    const l = links(f, clock)
    expect(await l.current()).toMatchObject({
      ok: true,
      link: { kind: 'latest', url: 'https://www.youtube.com/watch?v=newVideo0002' },
      units: 2,
      searches: 1,
    })
    expect(calls(f, 'channels')[0]?.query).toEqual({ part: 'contentDetails', id: f.channelId })
    expect(calls(f, 'playlistItems')[0]?.query).toEqual({
      part: 'contentDetails',
      playlistId: `UU${f.channelId.slice(2)}`,
      maxResults: '1',
    })
    clock.now = 60_000
    expect(await l.current()).toMatchObject({ ok: true, units: 0 })
    expect(f.requests).toHaveLength(3)
    clock.now = 6 * 60_000
    f.setLive('liveOra00003')
    expect(await l.current()).toMatchObject({ link: { kind: 'live', videoId: 'liveOra00003' } })
    f.setLive(null)
    clock.now = 12 * 60_000
    await l.current()
    // The uploads playlist was asked for once.
    expect(calls(f, 'channels')).toHaveLength(1)
    expect(calls(f, 'playlistItems')).toHaveLength(2)
  })

  it('with the searches of the day spent, gives the latest video and says why, without keeping it', async () => {
    const f = (fake = await startFakeYoutube())
    f.upload('newVideo0002', '2026-12-03T10:00:00Z')
    f.setLive('liveNeve2026')
    f.exhaustSearchQuota()
    const l = links(f, { now: 0 })
    const result = await l.current()
    expect(result).toMatchObject({ ok: true, link: { kind: 'latest', videoId: 'newVideo0002' } })
    expect(result.ok ? result.warning : '').toContain('quotaExceeded')
    // Not reused: once the bucket is whole again, the live stream is found.
    f.resetQuota()
    expect(await l.current()).toMatchObject({ link: { kind: 'live', videoId: 'liveNeve2026' } })
  })

  it('says why when the whole quota is spent, and no link is invented', async () => {
    const f = (fake = await startFakeYoutube())
    f.exhaustQuota()
    f.exhaustSearchQuota()
    const result = await links(f, { now: 0 }).current()
    expect(result).toMatchObject({ ok: false })
    expect(result.ok ? '' : result.reason).toContain('quotaExceeded')
  })

  it('fills {{youtube}} when a draft takes a template that uses it', async () => {
    const f = (fake = await startFakeYoutube())
    f.setLive('liveNeve2026')
    t = createTestCore()
    const h = t.core.handlers
    const account = await h['channels:create'](
      {
        kind: 'youtube',
        name: 'Canale YouTube',
        enabled: true,
        settings: { baseUrl: f.url, tokenUrl: f.tokenUrl, channelId: f.channelId },
        secrets: { apiKey: f.apiKey },
      } as never,
      ctx,
    )
    const template = await h['templates:save'](
      {
        name: 'Neve con diretta',
        kind: 'neve',
        level: 'giallo',
        variants: {
          facebook: 'Neve a {{comuni}}. Segui la diretta: {{youtube}}',
          sms: 'Neve a {{comuni}}.',
        },
      } as never,
      ctx,
    )
    const draft = async () =>
      h['alerts:createDraft'](
        {
          draft: {
            kind: 'neve',
            level: 'giallo',
            comuni: [{ name: 'Empoli' }],
            validFrom: '2026-12-04T14:00:00+01:00',
            validTo: '2026-12-04T23:59:00+01:00',
            headline: 'Neve',
            targets: { accountIds: [account.id], listIds: [], partnerIds: [] },
          },
        } as never,
        ctx,
      )
    const alert = await draft()
    await h['alerts:applyTemplate']({ id: alert.id, templateId: template.id }, ctx)
    const filled = await h['alerts:get']({ id: alert.id }, ctx)
    expect(filled.texts.facebook).toBe(
      'Neve a Empoli. Segui la diretta: https://www.youtube.com/watch?v=liveNeve2026',
    )
    expect(calls(f, 'search')).toHaveLength(1)

    // A template without {{youtube}} spends nothing.
    const plain = await h['templates:save'](
      {
        name: 'Neve',
        kind: 'neve',
        level: 'giallo',
        variants: { sms: 'Neve a {{comuni}}.' },
      } as never,
      ctx,
    )
    await h['alerts:applyTemplate']({ id: (await draft()).id, templateId: plain.id }, ctx)
    expect(calls(f, 'search')).toHaveLength(1)
  })
})
