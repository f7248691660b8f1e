import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import type { AlertDocument, ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createWebsiteAdapter } from '../../../src/main/core/channels/adapters/website'
import { parseFeedEntries } from '../../../src/main/core/channels/adapters/website/atom'

const BASE = 'https://allerte.empolese.example.it/cap'

let dir: string
let www: string
let adapter: ChannelAdapter

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-atom-'))
  www = path.join(dir, 'www')
  adapter = createWebsiteAdapter({
    accountId: 9,
    name: 'Protezione civile Empolese Valdelsa',
    settings: {
      outputDir: www,
      publicBaseUrl: BASE,
      senderId: 'protezionecivile@empolese.example.it',
    },
    secrets: {},
  })
})

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

function alert(
  identifier: string,
  sent: string,
  overrides: Partial<AlertDocument> = {},
): AlertDocument {
  return {
    identifier,
    sent,
    status: 'Actual',
    msgType: 'Alert',
    references: [],
    event: 'Pioggia',
    level: 'giallo',
    headline: `Allerta gialla ${identifier}`,
    description: 'Piogge intense.',
    instruction: 'Evitare i sottopassi.',
    onset: sent,
    expires: '2030-01-01T00:00:00Z',
    areas: [{ name: 'Certaldo' }],
    ...overrides,
  }
}

async function publish(doc: AlertDocument): Promise<void> {
  const outcome = await adapter.send({
    idempotencyKey: doc.identifier,
    destination: { type: 'page' },
    text: '',
    alert: doc,
  })
  expect(outcome.status).toBe('sent')
}

interface AtomFeed {
  feed: {
    '@_xmlns': string
    id: string
    title: string
    updated: string
    link: { '@_rel': string; '@_href': string }[]
    entry?: {
      id: string
      title: string
      updated: string
      link: { '@_rel': string; '@_type': string; '@_href': string }[]
      summary: { '#text'?: string }
    }[]
  }
}

function readFeed(): AtomFeed {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    isArray: (name) => name === 'entry' || name === 'link',
  })
  return parser.parse(fs.readFileSync(path.join(www, 'feed.xml'), 'utf8')) as AtomFeed
}

describe('website adapter: Atom feed', () => {
  it('lists each alert once, newest first, linking to its CAP file', async () => {
    await publish(alert('a1', '2025-01-10T08:00:00Z'))
    await publish(alert('a3', '2025-01-12T08:00:00Z'))
    await publish(alert('a2', '2025-01-11T08:00:00Z'))
    const { feed } = readFeed()
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom')
    expect(feed.id).toBe(`${BASE}/feed.xml`)
    expect(feed.link.find((l) => l['@_rel'] === 'self')?.['@_href']).toBe(`${BASE}/feed.xml`)
    expect(feed.entry?.map((e) => e.title)).toEqual([
      'Allerta gialla a3',
      'Allerta gialla a2',
      'Allerta gialla a1',
    ])
    expect(feed.entry?.[0]?.link[0]).toEqual({
      '@_rel': 'alternate',
      '@_type': 'application/cap+xml',
      '@_href': `${BASE}/a3.xml`,
    })
    expect(feed.updated).toBe(feed.entry?.[0]?.updated)
    for (const entry of feed.entry ?? []) {
      const file = path.join(www, path.basename(entry.link[0]!['@_href']))
      expect(fs.existsSync(file)).toBe(true)
    }
  })

  it('replaces the entry when the same alert is published again, and titles follow-ups', async () => {
    await publish(alert('a1', '2025-01-10T08:00:00Z'))
    await publish(alert('a1', '2025-01-10T08:00:00Z', { headline: 'Allerta gialla corretta' }))
    await publish(
      alert('a1-rev', '2025-01-10T20:00:00Z', {
        msgType: 'Cancel',
        references: ['protezionecivile@empolese.example.it,a1,2025-01-10T09:00:00+01:00'],
      }),
    )
    const entries = readFeed().feed.entry ?? []
    expect(entries.map((e) => e.title)).toEqual([
      'Cessata allerta: Allerta gialla a1-rev',
      'Allerta gialla corretta',
    ])
  })

  it('keeps at most 50 entries, dropping the oldest', async () => {
    for (let i = 0; i < 53; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0')
      const month = String(1 + Math.floor(i / 28)).padStart(2, '0')
      await publish(alert(`n${i}`, `2025-${month}-${day}T08:00:00Z`))
    }
    const entries = readFeed().feed.entry ?? []
    expect(entries).toHaveLength(50)
    expect(entries[0]?.id).toBe(`${BASE}/n52.xml`)
    expect(entries.map((e) => e.id)).not.toContain(`${BASE}/n0.xml`)
    // Old CAP files stay where they are: links from elsewhere keep working.
    expect(fs.existsSync(path.join(www, 'n0.xml'))).toBe(true)
  })

  it('round-trips awkward text in titles and summaries', async () => {
    const headline = 'Ponte "Leonardo" & via <Roma> chiusi 🚧'
    await publish(
      alert('testo', '2025-01-10T08:00:00Z', { headline, description: 'Acqua > 1 m & fango 💧' }),
    )
    await publish(alert('dopo', '2025-01-11T08:00:00Z'))
    const entry = readFeed().feed.entry?.find((e) => e.id.endsWith('/testo.xml'))
    expect(entry?.title).toBe(headline)
    expect(entry?.summary['#text']).toBe('Acqua > 1 m & fango 💧')
  })

  it('writes atomically, leaving no temporary files behind', async () => {
    await Promise.all([
      publish(alert('p1', '2025-01-10T08:00:00Z')),
      publish(alert('p2', '2025-01-11T08:00:00Z')),
    ])
    expect(fs.readdirSync(www).sort()).toEqual(['feed.xml', 'p1.xml', 'p2.xml'])
    expect(readFeed().feed.entry).toHaveLength(2)
  })

  it('starts a fresh feed when the old one is unreadable, without blocking the alert', async () => {
    fs.mkdirSync(www, { recursive: true })
    fs.writeFileSync(path.join(www, 'feed.xml'), '<feed><entry><id>rotto')
    await publish(alert('dopo-guasto', '2025-01-10T08:00:00Z'))
    expect(readFeed().feed.entry?.map((e) => e.id)).toEqual([`${BASE}/dopo-guasto.xml`])
  })

  it('reads entries from a public CAP Atom index (NWS sample)', () => {
    const xml = fs.readFileSync(
      path.resolve(__dirname, '../../../../shared/specs/cap/weather_index.atom'),
      'utf8',
    )
    const entries = parseFeedEntries(xml)
    expect(entries).toHaveLength(2)
    expect(entries[0]?.link).toMatch(/^http:\/\/www\.weather\.gov\/alerts-beta\/wwacapget\.php\?x=/)
    expect(entries[0]?.title).toContain('Air Quality Alert')
  })
})
