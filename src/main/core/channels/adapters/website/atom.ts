import { XMLBuilder, XMLParser } from 'fast-xml-parser'
import { xmlSafeText } from './xml-text'

/**
 * The Atom index of published CAP files (RFC 4287), the way public alerting
 * feeds (NWS, MeteoAlarm) list their CAP messages: one entry per alert, newest
 * first, each linking to its CAP file. The feed file is its own store: we read
 * back the entries we wrote, add or replace one, and write it again.
 */

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom'

/** Entries kept in the feed; older ones drop off (their CAP files stay). */
export const MAX_FEED_ENTRIES = 50

export interface FeedEntry {
  /** Stable entry id: the CAP file URL, so re-publishing the same alert replaces its entry. */
  id: string
  title: string
  /** RFC 3339 date-time (CAP `sent`). */
  updated: string
  /** URL of the CAP file. */
  link: string
  summary: string
  /** The text the operator wrote for the website ("Sito web"), when there is one. */
  content?: string
  /** Colour level, as an Atom category. */
  level?: string
  /** The alert map card published beside the CAP file: `<link rel="enclosure">`. */
  enclosure?: { href: string; type: string; length: number; title?: string }
}

export interface FeedHead {
  id: string
  title: string
  selfUrl: string
  siteUrl: string
  author: string
}

/** Adds or replaces an entry (same id), newest first by date, at most `max` entries. */
export function mergeEntries(
  existing: FeedEntry[],
  entry: FeedEntry,
  max = MAX_FEED_ENTRIES,
): FeedEntry[] {
  const time = (e: FeedEntry): number => Date.parse(e.updated) || 0
  return [entry, ...existing.filter((e) => e.id !== entry.id)]
    .map((e, order) => ({ e, order }))
    .sort((a, b) => time(b.e) - time(a.e) || a.order - b.order)
    .slice(0, max)
    .map(({ e }) => e)
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name) => name === 'entry' || name === 'link' || name === 'category',
  parseTagValue: false,
  // Our own file never declares entities; refusing DOCTYPE tricks costs nothing.
  processEntities: true,
  htmlEntities: false,
})

function textOf(value: unknown): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object' && '#text' in value)
    return String((value as { '#text': unknown })['#text'])
  return ''
}

function attr(value: unknown, name: string): string | undefined {
  if (value && typeof value === 'object' && `@_${name}` in value) {
    return String((value as Record<string, unknown>)[`@_${name}`])
  }
  return undefined
}

/**
 * Reads back the entries of a feed written by buildFeedXml. Anything unreadable
 * yields no entries (the next publish starts a fresh feed) rather than an error:
 * a broken index must never block an alert.
 */
export function parseFeedEntries(xml: string): FeedEntry[] {
  let parsed: unknown
  try {
    parsed = parser.parse(xml)
  } catch {
    return []
  }
  const feed = (parsed as { feed?: { entry?: unknown[] } } | undefined)?.feed
  if (!feed || !Array.isArray(feed.entry)) return []
  const entries: FeedEntry[] = []
  for (const raw of feed.entry) {
    if (!raw || typeof raw !== 'object') continue
    const record = raw as Record<string, unknown>
    const links = Array.isArray(record.link) ? record.link : []
    const link = links
      .filter((l) => attr(l, 'rel') !== 'enclosure')
      .map((l) => attr(l, 'href'))
      .find((href) => href !== undefined)
    const enclosureLink = links.find((l) => attr(l, 'rel') === 'enclosure')
    const enclosureHref = attr(enclosureLink, 'href')
    const title = attr(enclosureLink, 'title')
    const enclosure = enclosureHref
      ? {
          href: enclosureHref,
          type: attr(enclosureLink, 'type') ?? 'image/png',
          length: Number(attr(enclosureLink, 'length') ?? 0),
          ...(title ? { title } : {}),
        }
      : undefined
    const id = textOf(record.id)
    if (!id || !link) continue
    const level = (Array.isArray(record.category) ? record.category : []).map((c) =>
      attr(c, 'term'),
    )[0]
    const content = textOf(record.content)
    entries.push({
      id,
      title: textOf(record.title),
      updated: textOf(record.updated),
      link,
      summary: textOf(record.summary),
      ...(content ? { content } : {}),
      ...(level ? { level } : {}),
      ...(enclosure ? { enclosure } : {}),
    })
  }
  return entries
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
})

/** The feed XML. Its `updated` is the newest entry's date, so re-publishing changes nothing. */
export function buildFeedXml(head: FeedHead, entries: FeedEntry[]): string {
  const updated = entries[0]?.updated ?? new Date(0).toISOString()
  const feed = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    feed: {
      '@_xmlns': ATOM_NAMESPACE,
      '@_xml:lang': 'it',
      id: head.id,
      title: xmlSafeText(head.title),
      updated,
      author: { name: xmlSafeText(head.author) },
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': head.selfUrl },
        { '@_rel': 'alternate', '@_href': head.siteUrl },
      ],
      entry: entries.map((e) => ({
        id: e.id,
        title: xmlSafeText(e.title) || e.id,
        updated: e.updated,
        link: [
          { '@_rel': 'alternate', '@_type': 'application/cap+xml', '@_href': e.link },
          ...(e.enclosure
            ? [
                {
                  '@_rel': 'enclosure',
                  '@_type': e.enclosure.type,
                  '@_length': String(e.enclosure.length),
                  '@_href': e.enclosure.href,
                  ...(e.enclosure.title ? { '@_title': xmlSafeText(e.enclosure.title) } : {}),
                },
              ]
            : []),
        ],
        ...(e.level ? { category: [{ '@_term': e.level }] } : {}),
        summary: { '@_type': 'text', '#text': xmlSafeText(e.summary) },
        ...(e.content && xmlSafeText(e.content)
          ? { content: { '@_type': 'text', '#text': xmlSafeText(e.content) } }
          : {}),
      })),
    },
  }
  return builder.build(feed) as string
}
