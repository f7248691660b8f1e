import { FeedError } from '../errors'
import type { Bulletin, BulletinArea, Geocode, LevelKind, WarningLevel } from '../types'
import { decodeXmlBytes } from '../xml/decode-text'
import { parseXml } from '../xml/parse-xml'
import { children, childText, type XmlNode } from '../xml/xml-nodes'
import { capProblems, splitReferences } from './cap-validate'
import { CAP_LEVEL_PARAMETERS, isMeteoAlarm, levelFromParameter, levelFromSeverity } from './levels'

const CAP_NAMESPACE = /^urn:oasis:names:tc:emergency:cap:1\.[0-2]$/

export interface CapParseOptions {
  /** Charset from the HTTP Content-Type, used when the document does not declare one. */
  charset?: string | null
  /** Language to prefer among several `info` blocks (default Italian, then English). */
  preferredLanguages?: readonly string[]
  /** The feed it came from is MeteoAlarm's (decided by the source URL): its colours are weather warnings. */
  meteoAlarm?: boolean
}

const DEFAULT_LANGUAGES = ['it', 'en']

/** CAP says a missing `language` means en-US. */
function languageOf(info: XmlNode): string {
  return childText(info, 'language') ?? 'en-US'
}

/** The info blocks in the best language: it-IT first, then English, then whatever comes first. */
function chooseInfos(infos: XmlNode[], preferred: readonly string[]): XmlNode[] {
  for (const wanted of preferred) {
    const match = infos.filter((info) => languageOf(info).toLowerCase().split('-')[0] === wanted)
    if (match.length > 0) return match
  }
  const first = infos[0]
  return first === undefined ? [] : infos.filter((info) => languageOf(info) === languageOf(first))
}

function readGeocodes(area: XmlNode): Geocode[] {
  return children(area, 'geocode').flatMap((g) => {
    const valueName = childText(g, 'valueName')
    const value = childText(g, 'value')
    return valueName !== null && value !== null ? [{ valueName, value }] : []
  })
}

/** Areas of several info blocks (one per language or per audience), each listed once. */
function readAreas(infos: XmlNode[]): BulletinArea[] {
  const seen = new Set<string>()
  const areas: BulletinArea[] = []
  for (const info of infos) {
    for (const area of children(info, 'area')) {
      const read = { name: childText(area, 'areaDesc') ?? '', geocodes: readGeocodes(area) }
      const key = JSON.stringify(read)
      if (!seen.has(key)) {
        seen.add(key)
        areas.push(read)
      }
    }
  }
  return areas
}

function parameter(info: XmlNode | undefined, name: string): string | null {
  const found = children(info, 'parameter').find(
    (p) => childText(p, 'valueName')?.toLowerCase() === name,
  )
  return found === undefined ? null : childText(found, 'value')
}

/**
 * The colour of a CAP message and what it means: a level parameter first (MeteoAlarm's
 * `awareness_level` or a regional one), else its `severity`. Only MeteoAlarm's is a
 * `meteo_warning`.
 */
export function capLevel(
  named: (name: string) => string | null,
  severity: string | null,
  meteoAlarm: boolean,
): { level: WarningLevel; levelKind: LevelKind } | Record<string, never> {
  for (const name of CAP_LEVEL_PARAMETERS) {
    const level = levelFromParameter(named(name))
    if (level) return { level, levelKind: meteoAlarm ? 'meteo_warning' : 'cap_level' }
  }
  const level = levelFromSeverity(severity)
  return level ? { level, levelKind: 'cap_severity' } : {}
}

/**
 * Reads a parsed `<alert>` element. Used for standalone CAP files and for CAP embedded in
 * Atom entries. Throws `invalid_cap` listing every rule broken.
 */
export function capFromNode(alert: XmlNode, options: CapParseOptions = {}): Bulletin {
  const problems = capProblems(alert)
  if (problems.length > 0) {
    throw new FeedError('invalid_cap', `messaggio CAP non valido: ${problems.join('; ')}`, {
      details: problems,
    })
  }
  const identifier = childText(alert, 'identifier') ?? ''
  const infos = chooseInfos(
    children(alert, 'info'),
    options.preferredLanguages ?? DEFAULT_LANGUAGES,
  )
  const main = infos[0]
  const meteoAlarm =
    options.meteoAlarm === true ||
    isMeteoAlarm(childText(alert, 'sender'), childText(main, 'web'), identifier)
  const level = capLevel((name) => parameter(main, name), childText(main, 'severity'), meteoAlarm)
  const references = childText(alert, 'references')
  return {
    sourceId: null,
    externalId: identifier,
    capIdentifier: identifier,
    sender: childText(alert, 'sender'),
    sent: childText(alert, 'sent'),
    msgType: childText(alert, 'msgType'),
    status: childText(alert, 'status'),
    references: references === null ? [] : (splitReferences(references) ?? []),
    event: childText(main, 'event'),
    severity: childText(main, 'severity'),
    urgency: childText(main, 'urgency'),
    certainty: childText(main, 'certainty'),
    onset: childText(main, 'onset'),
    effective: childText(main, 'effective'),
    expires: childText(main, 'expires'),
    headline: childText(main, 'headline'),
    description: childText(main, 'description'),
    instruction: childText(main, 'instruction'),
    web: childText(main, 'web'),
    areas: readAreas(infos),
    ...level,
    language: main === undefined ? null : languageOf(main),
    rawKind: 'cap',
  }
}

/** True when the root namespaces say CAP 1.0, 1.1 or 1.2. */
export function isCapNamespace(namespaces: readonly string[]): boolean {
  return namespaces.some((ns) => CAP_NAMESPACE.test(ns))
}

/**
 * Parses one CAP 1.2/1.1 message (bytes in any declared encoding, or text) into a Bulletin,
 * choosing the it-IT info when several languages are present.
 */
export function parseCap(input: string | Uint8Array, options: CapParseOptions = {}): Bulletin {
  const text = typeof input === 'string' ? input : decodeXmlBytes(input, options.charset)
  const doc = parseXml(text)
  if (doc.rootName !== 'alert' || !isCapNamespace(doc.namespaces)) {
    throw new FeedError(
      'not_a_feed',
      `il documento non è un messaggio CAP (elemento radice <${doc.rootName}>, atteso <alert> CAP 1.x)`,
    )
  }
  return capFromNode(doc.root, options)
}
