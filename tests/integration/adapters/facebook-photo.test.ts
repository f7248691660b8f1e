import { describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createFacebookAdapter } from '../../../src/main/core/channels/adapters/facebook'
import { startFakeFacebook } from '../../fakes/facebook-fake'
import type { MultipartBody } from '../../fakes/http-fake'
import { mapImage } from '../../support/map-image'
import { expectFailure, expectNoSecrets, toPage, track } from './http-helpers'

async function setup(timeoutMs = 2_000) {
  const fake = track(await startFakeFacebook())
  const config: AdapterConfig = {
    accountId: 4,
    name: 'Pagina Facebook',
    settings: { baseUrl: fake.url, apiVersion: 'v23.0', pageId: fake.pageId },
    secrets: { pageAccessToken: fake.pageToken },
  }
  return { fake, adapter: createFacebookAdapter(config, { timeoutMs }) }
}

describe('Facebook Page posts with the map card', () => {
  it('publishes a photo post with the text as message and the alt text, token in the form', async () => {
    const { fake, adapter } = await setup()
    const image = mapImage()
    const outcome = await adapter.send(toPage('Allerta arancione su Empoli e Vinci', { image }))
    expect(outcome).toEqual({ status: 'sent', providerId: `${fake.pageId}_100000` })
    const req = fake.requests[0]
    expect(req?.path).toBe(`/v23.0/${fake.pageId}/photos`)
    expect(req?.query).toEqual({})
    const form = req?.body as MultipartBody
    expect(form.fields).toEqual({
      message: 'Allerta arancione su Empoli e Vinci',
      alt_text_custom: image.alt,
      access_token: fake.pageToken,
    })
    expect(form.files.source?.bytes.equals(Buffer.from(image.png))).toBe(true)
    expect(fake.posts[0]?.photo?.altText).toBe(image.alt)
  })

  it('posts the text on the feed with a warning when Facebook refuses the photo', async () => {
    const { fake, adapter } = await setup()
    const broken = { ...mapImage(), png: new Uint8Array([1, 2, 3]) }
    const outcome = await adapter.send(toPage('Allerta rossa', { image: broken }))
    expect(outcome).toMatchObject({ status: 'sent', providerId: `${fake.pageId}_100000` })
    if (outcome.status !== 'sent') throw new Error('expected sent')
    expect(outcome.warning).toMatch(/^mappa non allegata: /)
    expect(fake.posts).toEqual([{ id: `${fake.pageId}_100000`, message: 'Allerta rossa' }])
    expectNoSecrets(outcome, [fake.pageToken])
  })

  it('never posts twice: a photo post that may have gone out is uncertain, not followed by text', async () => {
    const { fake, adapter } = await setup(150)
    fake.delayNext(1, 400)
    const failure = expectFailure(await adapter.send(toPage('Allerta', { image: mapImage() })))
    expect(failure).toMatchObject({ retry: 'uncertain', code: 'timeout' })
    expect(fake.requests.filter((r) => r.path.endsWith('/feed'))).toHaveLength(0)
  })

  it('does not fall back to text when the page itself refuses (the text would fail the same)', async () => {
    const { fake, adapter } = await setup()
    fake.revokePermission()
    const failure = expectFailure(await adapter.send(toPage('Allerta', { image: mapImage() })))
    expect(failure.code).toBe('permission')
    expect(fake.requests.filter((r) => r.path.endsWith('/feed'))).toHaveLength(0)
  })
})
