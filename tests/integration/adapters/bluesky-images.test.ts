import { describe, expect, it, vi } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import {
  BLUESKY_MAX_IMAGE_BYTES,
  createBlueskyAdapter,
} from '../../../src/main/core/channels/adapters/bluesky'
import { startFakeBluesky, type FakeBlueskyOptions } from '../../fakes/bluesky-fake'
import type { RecordedRequest } from '../../fakes/http-fake'
import { mapImage } from '../../support/map-image'
import { expectFailure, toPage, track } from './http-helpers'

const NOW = Date.parse('2026-01-23T10:00:00Z')
const clock = () => NOW

async function setup(fakeOptions: FakeBlueskyOptions = {}, timeoutMs = 2_000) {
  const fake = track(await startFakeBluesky({ now: clock, ...fakeOptions }))
  const config: AdapterConfig = {
    accountId: 7,
    name: 'Bluesky',
    settings: { baseUrl: fake.url, handle: `@${fake.handle}` },
    secrets: { appPassword: fake.appPassword },
    now: clock,
  }
  return { fake, adapter: createBlueskyAdapter(config, { timeoutMs }) }
}

const uploads = (fake: { requests: RecordedRequest[] }) =>
  fake.requests.filter((r) => r.path === '/xrpc/com.atproto.repo.uploadBlob')

interface Embedded {
  $type: string
  images: {
    image: { ref: { $link: string }; mimeType: string }
    alt: string
    aspectRatio: unknown
  }[]
}

describe('Bluesky posts with the map card', () => {
  it('uploads the PNG as a blob and embeds it with its alt text and aspect ratio', async () => {
    const { fake, adapter } = await setup()
    const image = mapImage()
    const outcome = await adapter.send(toPage('Allerta arancione su Empoli e Vinci', { image }))
    expect(outcome).toEqual({ status: 'sent', providerId: fake.posts[0]?.uri })
    const [upload] = uploads(fake)
    expect(upload?.headers['content-type']).toBe('image/png')
    expect(upload?.rawBytes.equals(Buffer.from(image.png))).toBe(true)
    const embed = fake.posts[0]?.value.embed as Embedded
    expect(embed.$type).toBe('app.bsky.embed.images')
    expect(embed.images).toHaveLength(1)
    expect(embed.images[0]?.alt).toBe(image.alt)
    expect(embed.images[0]?.aspectRatio).toEqual({ width: 1200, height: 675 })
    expect(fake.blobs.get(embed.images[0]!.image.ref.$link)?.mimeType).toBe('image/png')
    // The card is far below Bluesky's limit for an image.
    expect(image.png.length).toBeLessThan(BLUESKY_MAX_IMAGE_BYTES / 4)
  })

  it('posts the text alone with a warning when the upload fails', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 503)
    const outcome = await adapter.send(toPage('Allerta rossa', { image: mapImage() }))
    expect(outcome).toMatchObject({ status: 'sent', providerId: fake.posts[0]?.uri })
    if (outcome.status !== 'sent') throw new Error('expected sent')
    expect(outcome.warning).toMatch(/^mappa non allegata: /)
    expect(fake.posts[0]?.value.embed).toBeUndefined()
    expect(fake.posts[0]?.value.text).toBe('Allerta rossa')
  })

  it('does not upload an image over 1,000,000 bytes: the post goes without it, saying why', async () => {
    const { fake, adapter } = await setup()
    const big = { ...mapImage(), png: new Uint8Array(BLUESKY_MAX_IMAGE_BYTES + 1) }
    const outcome = await adapter.send(toPage('Allerta', { image: big }))
    if (outcome.status !== 'sent') throw new Error('expected sent')
    expect(outcome.warning).toContain('oltre il limite di Bluesky (1000 kB)')
    expect(uploads(fake)).toHaveLength(0)
    expect(fake.posts).toHaveLength(1)
  })

  it('renews an expired session for the upload', async () => {
    const { fake, adapter } = await setup()
    await adapter.send(toPage('Prima'))
    fake.expireAccessTokens()
    const outcome = await adapter.send(toPage('Allerta', { image: mapImage() }))
    expect(outcome).toEqual({ status: 'sent', providerId: fake.posts[1]?.uri })
    expect(fake.refreshes).toBe(1)
    expect(fake.posts[1]?.value.embed).toBeDefined()
  })

  it('never posts twice: a post that timed out is found at its record key on the retry', async () => {
    const { fake, adapter } = await setup({}, 150)
    fake.passNext(1) // the upload
    fake.delayNext(1, 400) // the post: written, but the answer comes too late
    const message = toPage('Evacuazione', { image: mapImage() })
    expect(expectFailure(await adapter.send(message))).toMatchObject({ code: 'timeout' })
    await vi.waitFor(() => expect(fake.posts).toHaveLength(1))
    const again = await adapter.send(message)
    expect(again).toEqual({ status: 'sent', providerId: fake.posts[0]?.uri })
    expect(fake.posts).toHaveLength(1)
    expect(fake.blobs.size).toBe(1)
  })
})
