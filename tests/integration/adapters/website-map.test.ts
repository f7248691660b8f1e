import { createHash } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type {
  AlertDocument,
  ChannelAdapter,
  OutgoingMessage,
} from '../../../src/main/core/channels/adapter'
import { createWebsiteAdapter } from '../../../src/main/core/channels/adapters/website'
import { capSchemaErrors } from '../../support/cap-schema'
import { mapImage } from '../../support/map-image'

const BASE = 'https://allerte.empolese.example.it/cap'
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['info', 'area', 'entry', 'link', 'resource'].includes(name),
})

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-web-map-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

const www = () => path.join(dir, 'www')

function website(putUrl?: string): ChannelAdapter {
  return createWebsiteAdapter({
    accountId: 9,
    name: 'Protezione civile Empolese Valdelsa',
    settings: {
      outputDir: www(),
      publicBaseUrl: `${BASE}/`,
      senderId: 'protezionecivile@empolese.example.it',
      ...(putUrl ? { putUrl } : {}),
    },
    secrets: putUrl ? { putToken: 'web-put-token-0123' } : {},
  })
}

function doc(
  identifier = 'it.empolese.2025.0042',
  over: Partial<AlertDocument> = {},
): AlertDocument {
  return {
    identifier,
    sent: '2025-01-10T08:00:00.000Z',
    status: 'Actual',
    msgType: 'Alert',
    references: [],
    event: 'Idraulico',
    level: 'arancione',
    headline: 'Allerta arancione per rischio idraulico',
    description: "Possibile passaggio della piena dell'Arno.",
    instruction: 'Stai lontano dagli argini.',
    onset: '2025-01-10T18:00:00.000Z',
    expires: '2025-01-11T23:59:00.000Z',
    areas: [{ name: 'Empoli', geocode: { valueName: 'ISTAT', value: '048014' } }],
    ...over,
  }
}

const message = (d: AlertDocument, withImage = true): OutgoingMessage => ({
  idempotencyKey: `web-${d.identifier}`,
  destination: { type: 'page' },
  text: d.headline,
  alert: d,
  ...(withImage ? { image: mapImage() } : {}),
})

interface Resource {
  resourceDesc: string
  mimeType: string
  size: string
  uri: string
  digest: string
}
const capOf = (identifier: string) =>
  parser.parse(fs.readFileSync(path.join(www(), `${identifier}.xml`), 'utf8')) as {
    alert: { info: { resource?: Resource[] }[] }
  }
const feedLinks = () =>
  (
    parser.parse(fs.readFileSync(path.join(www(), 'feed.xml'), 'utf8')) as {
      feed: { entry: { id: string; link: Record<string, string>[] }[] }
    }
  ).feed.entry

describe('the website publishes the map card beside the CAP file', () => {
  it('writes the PNG and names it in the CAP resource (type, size, address, SHA-1, alt text)', async () => {
    const image = mapImage()
    const outcome = await website().send(message(doc()))
    expect(outcome).toEqual({ status: 'sent', providerId: `${BASE}/it.empolese.2025.0042.xml` })
    const png = fs.readFileSync(path.join(www(), 'it.empolese.2025.0042.png'))
    expect(png.equals(Buffer.from(image.png))).toBe(true)
    expect(capOf('it.empolese.2025.0042').alert.info[0]?.resource).toEqual([
      {
        resourceDesc: image.alt,
        mimeType: 'image/png',
        size: String(png.length),
        uri: `${BASE}/it.empolese.2025.0042.png`,
        digest: createHash('sha1').update(png).digest('hex'),
      },
    ])
    expect(capSchemaErrors(path.join(www(), 'it.empolese.2025.0042.xml'))).toBe('')
  })

  it('links it from the feed entry as an enclosure, kept when a later entry is added', async () => {
    const site = website()
    const image = mapImage()
    await site.send(message(doc()))
    await site.send(
      message(doc('it.empolese.2025.0043', { sent: '2025-01-11T08:00:00.000Z' }), false),
    )
    const entries = feedLinks()
    const first = entries.find((e) => e.id.endsWith('0042.xml'))!
    expect(first.link).toContainEqual({
      '@_rel': 'enclosure',
      '@_type': 'image/png',
      '@_length': String(image.png.length),
      '@_href': `${BASE}/it.empolese.2025.0042.png`,
      '@_title': image.alt,
    })
    const second = entries.find((e) => e.id.endsWith('0043.xml'))!
    expect(second.link.map((l) => l['@_rel'])).toEqual(['alternate'])
  })

  it('publishes without the card, saying why, when its file cannot be written', async () => {
    // A folder where the PNG should go: the rename over it fails, the CAP file does not.
    fs.mkdirSync(path.join(www(), 'it.empolese.2025.0042.png', 'occupata'), { recursive: true })
    const outcome = await website().send(message(doc()))
    expect(outcome).toMatchObject({ status: 'sent' })
    if (outcome.status !== 'sent') throw new Error('expected sent')
    expect(outcome.warning).toMatch(/^mappa non allegata: /)
    expect(capOf('it.empolese.2025.0042').alert.info[0]?.resource).toBeUndefined()
    expect(feedLinks()[0]?.link.map((l) => l['@_rel'])).toEqual(['alternate'])
  })
})

describe('the website uploads the card first when it publishes with PUT', () => {
  let server: http.Server
  let received: { url: string; contentType?: string; bytes: number }[]
  let refuse: (url: string) => boolean
  let putUrl: string

  beforeEach(async () => {
    received = []
    refuse = () => false
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        received.push({
          url: req.url ?? '',
          bytes: Buffer.concat(chunks).length,
          ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
        })
        res.writeHead(refuse(req.url ?? '') ? 507 : 201)
        res.end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    putUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dav/`
  })
  afterEach(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('PUTs the PNG, then the CAP file, then the feed', async () => {
    const outcome = await website(putUrl).send(message(doc()))
    expect(outcome.status).toBe('sent')
    expect(received.map((r) => [r.url, r.contentType])).toEqual([
      ['/dav/it.empolese.2025.0042.png', 'image/png'],
      ['/dav/it.empolese.2025.0042.xml', 'application/xml; charset=utf-8'],
      ['/dav/feed.xml', 'application/atom+xml; charset=utf-8'],
    ])
    expect(received[0]?.bytes).toBe(mapImage().png.length)
  })

  it('publishes the CAP without the resource when the site refuses the PNG', async () => {
    refuse = (url) => url.endsWith('.png')
    const outcome = await website(putUrl).send(message(doc()))
    if (outcome.status !== 'sent') throw new Error('expected sent')
    expect(outcome.warning).toMatch(/^mappa non allegata: /)
    expect(capOf('it.empolese.2025.0042').alert.info[0]?.resource).toBeUndefined()
  })
})
