import { FeedError } from '../errors'
import type { Bulletin } from '../types'
import { decodeXmlBytes } from '../xml/decode-text'
import { parseXml } from '../xml/parse-xml'
import { attr, child, children, childText, textOf, type XmlNode } from '../xml/xml-nodes'
import { contentHash } from './content-hash'
import { htmlToOptionalText } from '../../../../shared/text/html-to-text'

export interface NewsFeedParseOptions {
  charset?: string | null
  /** The feed URL, to resolve relative links. */
  baseUrl?: string
}

function absolute(href: string | null, base: string | undefined): string | null {
  if (href === null) return null
  try {
    return new URL(href, base).href
  } catch {
    return href
  }
}

function atomLink(entry: XmlNode): string | null {
  const links = children(entry, 'link')
  const alternate = links.find((l) => (attr(l, 'rel') ?? 'alternate') === 'alternate') ?? links[0]
  return attr(alternate, 'href')
}

function newsBulletin(
  fields: Omit<
    Bulletin,
    | 'externalId'
    | 'sourceId'
    | 'capIdentifier'
    | 'references'
    | 'msgType'
    | 'status'
    | 'event'
    | 'severity'
    | 'urgency'
    | 'certainty'
    | 'onset'
    | 'effective'
    | 'expires'
    | 'instruction'
    | 'areas'
  >,
  id: string | null,
): Bulletin {
  const externalId =
    id ??
    fields.web ??
    `sha256:${contentHash(`${fields.headline}|${fields.sent}|${fields.description}`)}`
  return {
    sourceId: null,
    externalId,
    capIdentifier: null,
    msgType: null,
    status: null,
    references: [],
    event: null,
    severity: null,
    urgency: null,
    certainty: null,
    onset: null,
    effective: null,
    expires: null,
    instruction: null,
    areas: [],
    ...fields,
  }
}

function readAtom(feed: XmlNode, base: string | undefined): Bulletin[] {
  const feedTitle = htmlToOptionalText(childText(feed, 'title'))
  const language = attr(feed, 'xml:lang')
  return children(feed, 'entry').map((entry) =>
    newsBulletin(
      {
        sender: childText(child(entry, 'author'), 'name') ?? feedTitle,
        sent: childText(entry, 'published') ?? childText(entry, 'updated'),
        headline: htmlToOptionalText(childText(entry, 'title')),
        description: htmlToOptionalText(childText(entry, 'content') ?? childText(entry, 'summary')),
        web: absolute(atomLink(entry), base),
        language: attr(entry, 'xml:lang') ?? language,
        rawKind: 'atom',
      },
      childText(entry, 'id'),
    ),
  )
}

function readRss(channel: XmlNode, items: XmlNode[], base: string | undefined): Bulletin[] {
  const channelTitle = htmlToOptionalText(childText(channel, 'title'))
  const language = childText(channel, 'language')
  return items.map((item) =>
    newsBulletin(
      {
        sender: childText(item, 'creator') ?? childText(item, 'author') ?? channelTitle,
        sent: childText(item, 'pubDate') ?? childText(item, 'date'),
        headline: htmlToOptionalText(childText(item, 'title')),
        // content:encoded is the full text when present; description is often a teaser.
        description: htmlToOptionalText(
          childText(item, 'encoded') ?? childText(item, 'description'),
        ),
        web: absolute(childText(item, 'link') ?? attr(item, 'rdf:about'), base),
        language,
        rawKind: 'rss',
      },
      textOf(child(item, 'guid')),
    ),
  )
}

/** Parses an RSS 2.0, RSS 1.0 (RDF) or Atom news feed into bulletins, newest as published. */
export function parseNewsFeed(
  input: string | Uint8Array,
  options: NewsFeedParseOptions = {},
): Bulletin[] {
  const text = typeof input === 'string' ? input : decodeXmlBytes(input, options.charset)
  const doc = parseXml(text)
  switch (doc.rootName) {
    case 'feed':
      return readAtom(doc.root, options.baseUrl)
    case 'rss': {
      const channel = child(doc.root, 'channel')
      return readRss(channel ?? '', children(channel, 'item'), options.baseUrl)
    }
    case 'RDF':
      return readRss(child(doc.root, 'channel') ?? '', children(doc.root, 'item'), options.baseUrl)
    default:
      throw new FeedError(
        'not_a_feed',
        `il documento non è un feed RSS o Atom (elemento radice <${doc.rootName}>)`,
      )
  }
}
