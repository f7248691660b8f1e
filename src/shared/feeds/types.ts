/**
 * The shapes the feeds module speaks: sources, normalised bulletins and stored items.
 * Every parser (CAP, Atom index of CAP, Atom/RSS news, DPC JSON) produces `Bulletin`s.
 */

export const FEED_SOURCE_KINDS = [
  'cap',
  'atom_cap_index',
  'rss',
  'dpc_criticita',
  'dpc_vigilanza',
] as const

/**
 * How a source is read. `rss` covers RSS 2.0, RSS 1.0 and plain Atom news feeds;
 * `dpc_criticita` and `dpc_vigilanza` are the folders the Dipartimento della Protezione Civile
 * publishes its criticality and meteorological vigilance bulletins in (`files/…`), read over
 * HTTP or from a local folder (`file:` URL).
 */
export type PolledSourceKind = (typeof FEED_SOURCE_KINDS)[number]

/**
 * Every kind a stored source can have: the polled ones, and `manual`, the source avvisi
 * entered by hand (and notices turned into avvisi) are stored under; it is never polled.
 */
export type FeedSourceKind = PolledSourceKind | 'manual'

/** The Italian colour scale shared by MeteoAlarm awareness levels and civil-protection codes. */
export type WarningLevel = 'verde' | 'giallo' | 'arancione' | 'rosso'

export const WARNING_LEVELS: readonly WarningLevel[] = ['verde', 'giallo', 'arancione', 'rosso']

/**
 * What a level means, so the UI never shows one as the other:
 * - `meteo_warning`: MeteoAlarm `awareness_level` of a CAP message — a meteorological warning,
 *   NOT the official regional alert code;
 * - `criticita`: the civil-protection criticality/alert colour of the DPC bulletin;
 * - `cap_level`: the colour a CAP publisher other than MeteoAlarm gives in a parameter
 *   (`awareness_level`, `livello_allerta`…, see `CAP_LEVEL_PARAMETERS`);
 * - `cap_severity`: deduced from CAP `severity` when the message names no colour.
 */
export type LevelKind = 'meteo_warning' | 'criticita' | 'cap_level' | 'cap_severity'

/**
 * The document a bulletin was read from. `dpc_json` is kept only for items stored before the
 * DPC bulletins were read as published; nothing produces it any more.
 */
export type BulletinRawKind =
  'cap' | 'atom_cap_index' | 'atom' | 'rss' | 'dpc_criticita' | 'dpc_vigilanza' | 'dpc_json'

/** The risks a bulletin area's level can be for (DPC criticality names the first three). */
export const BULLETIN_RISKS = [
  'idraulico',
  'idrogeologico',
  'temporali',
  'neve',
  'ghiaccio',
  'vento',
  'mareggiate',
  'meteo',
] as const
export type BulletinRisk = (typeof BULLETIN_RISKS)[number]

export interface Geocode {
  valueName: string
  value: string
}

export interface BulletinArea {
  name: string
  geocodes: Geocode[]
  /** Per-area level when the source gives one (DPC bulletin zones). */
  level?: WarningLevel
  /** The risk the level is for, when the source gives one level per risk (DPC criticality). */
  risk?: BulletinRisk
  /** When this area's level applies (ISO 8601 UTC), when it differs from the bulletin's. */
  validFrom?: string
  validTo?: string
  /** The day named by the publisher: `today`, `tomorrow`, `aftertomorrow` (DPC). */
  day?: 'today' | 'tomorrow' | 'aftertomorrow'
  /** The alert zone's name as published ("Valdarno Inf."), when `name` says more. */
  zone?: string
  /** The comuni the publisher lists for this area, as written. */
  comuni?: string[]
  /** A description that is not a level (vigilance: "Deboli", "Moderati"). */
  label?: string
}

/** One CAP `references` entry: an earlier message this one updates or cancels. */
export interface CapReference {
  sender: string
  identifier: string
  sent: string
}

/** A bulletin normalised from any supported format. Absent fields are `null`, never guessed. */
export interface Bulletin {
  /** The feed source it came from; `null` until the poller assigns it. */
  sourceId: number | null
  /** De-duplication key within the source: CAP identifier, Atom id, RSS guid, URL or content hash. */
  externalId: string
  /** The CAP `identifier`, when the bulletin is (or links to) a CAP message. */
  capIdentifier: string | null
  sender: string | null
  /** As written by the publisher (ISO 8601 for CAP, RFC 822 for RSS…). */
  sent: string | null
  msgType: string | null
  status: string | null
  references: CapReference[]
  event: string | null
  severity: string | null
  urgency: string | null
  certainty: string | null
  onset: string | null
  effective: string | null
  expires: string | null
  headline: string | null
  /** Plain text (HTML removed): render as text, never as HTML. */
  description: string | null
  instruction: string | null
  web: string | null
  areas: BulletinArea[]
  level?: WarningLevel
  levelKind?: LevelKind
  language: string | null
  rawKind: BulletinRawKind
  /** Why some data is missing, e.g. the detail CAP of an index entry could not be read. */
  note?: string
  /**
   * Informational bulletins (DPC meteorological vigilance) are shown with their own label and
   * never raise an alert banner: they carry no alert level.
   */
  informational?: boolean
  /** Files the publisher attaches (PDF, XML, shapefile), by label. */
  attachments?: { label: string; url: string }[]
}

/** A configured feed source with its polling state. Times are ISO 8601 UTC strings. */
export interface FeedSource {
  id: number
  name: string
  kind: FeedSourceKind
  url: string
  intervalS: number
  enabled: boolean
  /** Zone filters that mark a bulletin as "ours" (see zones.ts for the accepted forms). */
  zones: string[]
  /**
   * Marked «rete interna» by the ICT office: the source may live on this computer or the
   * office's private network. Otherwise loopback, link-local and private addresses are refused.
   */
  internalNetwork: boolean
  etag: string | null
  lastModified: string | null
  lastPolledAt: string | null
  lastOkAt: string | null
  lastError: string | null
  lastErrorCode: string | null
  lastErrorAt: string | null
  /** Consecutive failed polls; 0 after a success. Drives the backoff. */
  errorCount: number
  nextPollAt: string | null
  createdAt: string
  updatedAt: string
}

/** A stored bulletin. */
export interface FeedItem {
  id: number
  sourceId: number
  externalId: string
  capIdentifier: string | null
  hash: string
  fetchedAt: string
  /** Publication time normalised to UTC (the fetch time when the feed gives none): the sort key. */
  sent: string
  kind: BulletinRawKind
  level: WarningLevel | null
  headline: string
  isOurs: boolean
  /** The earlier item this one updates (CAP `references`), kept so the chain can be shown. */
  supersedesId: number | null
  bulletin: Bulletin
}
