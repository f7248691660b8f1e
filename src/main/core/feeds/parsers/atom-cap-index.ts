import { FeedError } from '../errors'
import type { Bulletin, BulletinArea, Geocode } from '../types'
import { decodeXmlBytes } from '../xml/decode-text'
import { parseXml } from '../xml/parse-xml'
import { attr, child, children, childText, type XmlNode } from '../xml/xml-nodes'
import { capFromNode, capLevel, isCapNamespace } from './cap'
import { contentHash } from './content-hash'
import { htmlToOptionalText } from '../../../../shared/text/html-to-text'

/** One alert listed in an Atom index of CAP messages (MeteoAlarm, NWS style). */
export interface CapIndexEntry {
  /** De-duplication key: the cap:identifier, else the Atom id. Several entries may share it. */
  key: string
  /** Where the full CAP message lives, when the entry links to it. */
  detailUrl: string | null
  /** The CAP message carried inside the entry's <content>, when there is one. */
  embedded: Bulletin | null
  /** What the index itself says (cap:* fields), used when the detail cannot be read. */
  summary: Bulletin
}

export interface AtomCapIndexParseOptions {
  charset?: string | null
  /** The index URL, to resolve relative detail links. */
  baseUrl?: string
  /** The index is MeteoAlarm's (decided by its URL): its colours are weather warnings. */
  meteoAlarm?: boolean
}

function resolve(href: string | null, base: string | undefined): string | null {
  if (href === null) return null
  try {
    return new URL(href, base).href
  } catch {
    return null
  }
}

/** The CAP detail link: typed application/cap+xml, else a plain link (no rel, no hreflang). */
function detailHref(entry: XmlNode): string | null {
  const links = children(entry, 'link')
  const typed = links.find((l) => /cap\+xml|application\/xml|text\/xml/.test(attr(l, 'type') ?? ''))
  const plain = links.find((l) => {
    const rel = attr(l, 'rel')
    return (rel === null || rel === 'alternate') && attr(l, 'hreflang') === null
  })
  return attr(typed ?? plain, 'href')
}

/** MeteoAlarm puts the EMMA_ID of the area in a link: `?geocode=EMMA_ID:IT009`. */
function emmaIdFromLinks(entry: XmlNode): Geocode[] {
  return children(entry, 'link').flatMap((l) => {
    const match = /[?&]geocode=EMMA_ID:([A-Za-z0-9]+)/.exec(attr(l, 'href') ?? '')
    return match?.[1] ? [{ valueName: 'EMMA_ID', value: match[1] }] : []
  })
}

function indexGeocodes(entry: XmlNode): Geocode[] {
  const listed = children(entry, 'geocode').flatMap((g) => {
    const valueName = childText(g, 'valueName')
    // NWS lists several codes in one value, separated by spaces.
    const values = (childText(g, 'value') ?? '').split(/\s+/).filter(Boolean)
    return valueName === null ? [] : values.map((value) => ({ valueName, value }))
  })
  return [...listed, ...emmaIdFromLinks(entry)]
}

function indexAreas(entry: XmlNode): BulletinArea[] {
  const name = childText(entry, 'areaDesc')
  const geocodes = indexGeocodes(entry)
  return name === null && geocodes.length === 0 ? [] : [{ name: name ?? '', geocodes }]
}

/** A level the index names, as an element (`cap:awareness_level`) or a `parameter`. */
function namedInIndex(entry: XmlNode, name: string): string | null {
  const direct = childText(entry, name)
  if (direct !== null) return direct
  const param = children(entry, 'parameter').find(
    (p) => childText(p, 'valueName')?.toLowerCase() === name,
  )
  return param === undefined ? null : childText(param, 'value')
}

function summaryOf(
  entry: XmlNode,
  key: string,
  capId: string | null,
  meteoAlarm: boolean,
): Bulletin {
  const level = capLevel(
    (name) => namedInIndex(entry, name),
    childText(entry, 'severity'),
    meteoAlarm,
  )
  const title = htmlToOptionalText(childText(entry, 'title'))
  return {
    sourceId: null,
    externalId: key,
    capIdentifier: capId,
    sender: childText(child(entry, 'author'), 'name'),
    sent: childText(entry, 'sent') ?? childText(entry, 'published') ?? childText(entry, 'updated'),
    msgType: childText(entry, 'msgType') ?? childText(entry, 'message_type'),
    status: childText(entry, 'status'),
    references: [],
    event: childText(entry, 'event') ?? title,
    severity: childText(entry, 'severity'),
    urgency: childText(entry, 'urgency'),
    certainty: childText(entry, 'certainty'),
    onset: childText(entry, 'onset'),
    effective: childText(entry, 'effective'),
    expires: childText(entry, 'expires'),
    headline: title,
    description: htmlToOptionalText(childText(entry, 'summary')),
    instruction: null,
    web: null,
    areas: indexAreas(entry),
    ...level,
    language: attr(child(entry, 'link'), 'hreflang'),
    rawKind: 'atom_cap_index',
  }
}

function embeddedCap(entry: XmlNode, meteoAlarm: boolean): Bulletin | null {
  const alert = child(child(entry, 'content'), 'alert')
  if (alert === undefined) return null
  const namespaces = typeof alert === 'object' ? [String(alert['@_xmlns'] ?? '')] : []
  if (!isCapNamespace(namespaces)) return null
  return capFromNode(alert, { meteoAlarm })
}

/**
 * Parses an Atom index of CAP alerts. Entries for the same CAP message (MeteoAlarm lists one
 * entry per area) are merged into one, with all their areas.
 */
export function parseAtomCapIndex(
  input: string | Uint8Array,
  options: AtomCapIndexParseOptions = {},
): CapIndexEntry[] {
  const text = typeof input === 'string' ? input : decodeXmlBytes(input, options.charset)
  const doc = parseXml(text)
  if (doc.rootName !== 'feed') {
    throw new FeedError(
      'not_a_feed',
      `il documento non è un indice Atom (elemento radice <${doc.rootName}>)`,
    )
  }
  const byKey = new Map<string, CapIndexEntry>()
  for (const entry of children(doc.root, 'entry')) {
    const capId = childText(entry, 'identifier')
    const detailUrl = resolve(detailHref(entry), options.baseUrl)
    const key =
      capId ?? childText(entry, 'id') ?? detailUrl ?? `sha256:${contentHash(JSON.stringify(entry))}`
    const existing = byKey.get(key)
    if (existing) {
      existing.summary.areas.push(...indexAreas(entry))
      continue
    }
    let embedded: Bulletin | null = null
    let note: string | undefined
    try {
      embedded = embeddedCap(entry, options.meteoAlarm === true)
    } catch (err) {
      note = err instanceof Error ? err.message : String(err)
    }
    const summary = summaryOf(entry, key, capId, options.meteoAlarm === true)
    byKey.set(key, { key, detailUrl, embedded, summary: note ? { ...summary, note } : summary })
  }
  return [...byKey.values()]
}
