import { readFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { parseAtomCapIndex } from '../../../src/main/core/feeds/parsers/atom-cap-index'
import { parseCap } from '../../../src/main/core/feeds/parsers/cap'
import { parseNewsFeed } from '../../../src/main/core/feeds/parsers/news-feed'
import { decodeXmlBytes } from '../../../src/main/core/feeds/xml/decode-text'

const SPECS = path.resolve(__dirname, '../../../../shared/specs')
const xee = readFileSync(path.join(SPECS, 'cap/xee.cap'), 'utf8')

function failure(run: () => unknown): FeedError {
  try {
    run()
  } catch (err) {
    if (err instanceof FeedError) return err
    throw err
  }
  throw new Error('expected a FeedError')
}

describe('entity declarations are refused (XXE)', () => {
  // A loopback peer standing in for the attacker's server: it must never be contacted.
  let hits = 0
  let server: http.Server
  let base = ''
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits++
      res.end('<!ENTITY leaked "secret">')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('rejects xee.cap without expanding &xxe; or fetching anything', async () => {
    const probe = xee
      .replaceAll('http://localhost:8080', base)
      .replaceAll('http://http://localhost:8080', base)
    const err = failure(() => parseCap(probe))
    expect(err.code).toBe('doctype')
    expect(err.message).toContain('XXE')
    // Give a (wrongly) started request time to land before checking the peer saw nothing.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(hits).toBe(0)
  })

  it('rejects internal entities too (billion laughs) in every XML parser', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
      <feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id><title>&b;</title></entry></feed>`
    expect(failure(() => parseNewsFeed(bomb)).code).toBe('doctype')
    expect(failure(() => parseAtomCapIndex(bomb)).code).toBe('doctype')
  })

  it('tolerates a bare DOCTYPE without declarations (old RSS 0.91)', () => {
    const rss = `<?xml version="1.0"?>
      <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><title>t</title><item><title>Uno</title><link>https://e.it/1</link></item></channel></rss>`
    expect(parseNewsFeed(rss).map((b) => b.headline)).toEqual(['Uno'])
  })
})

describe('decodeXmlBytes', () => {
  const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>Città è</a>', 'latin1')

  it('follows the XML declaration', () => {
    expect(decodeXmlBytes(latin1)).toContain('Città è')
  })

  it('prefers the declaration to a wrong HTTP charset', () => {
    expect(decodeXmlBytes(latin1, 'utf-8')).toContain('Città è')
  })

  it('uses the HTTP charset when the document declares none', () => {
    const bytes = Buffer.from('<a>Città</a>', 'latin1')
    expect(decodeXmlBytes(bytes, 'iso-8859-1')).toBe('<a>Città</a>')
  })

  it('honours a UTF-16 byte-order mark', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>Città</a>', 'utf16le')])
    expect(decodeXmlBytes(utf16)).toBe('<a>Città</a>')
  })

  it('fails clearly when bytes do not match the declared encoding', () => {
    const lying = Buffer.from('<?xml version="1.0" encoding="UTF-8"?><a>Città</a>', 'latin1')
    const err = failure(() => decodeXmlBytes(lying))
    expect(err.code).toBe('encoding')
    expect(err.message).toContain('"UTF-8"')
  })

  it('fails clearly on an unknown encoding name', () => {
    const err = failure(() =>
      decodeXmlBytes(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>')),
    )
    expect(err.code).toBe('encoding')
    expect(err.message).toContain('x-klingon')
  })
})
