import {
  WARNING_LEVELS,
  type Bulletin,
  type FeedItem,
  type FeedSource,
  type WarningLevel,
} from './types'
import type { FeedsRepository, StoreOutcome } from './repository'
import { matchOurZones, type ZoneMatch } from './zones'
import { describeChange, levelChanges, ourAreasOf, type OurComune } from './dpc/our-levels'
import { maxLevel } from './parsers/levels'

/** A new or upgraded bulletin for one of our zones: the core raises a notification and offers a draft. */
export interface OurBulletinAlert {
  /** `new`: first seen; `update`: supersedes a held bulletin; `revised`: same id, level changed. */
  change: 'new' | 'update' | 'revised'
  item: FeedItem
  sourceName: string
  /** Names of our areas the bulletin covers (empty when matched by "*" or by text). */
  ourAreas: string[]
  /** Level for our zones (highest among them), else the bulletin's. */
  level: WarningLevel | null
  /** Level of the bulletin this one replaces, when known. */
  previousLevel: WarningLevel | null
  /** True when the level went up compared with the replaced bulletin. */
  escalated: boolean
  /**
   * For bulletins with one level per zone, risk and day (DPC criticality): what changed for
   * our comuni, one sentence each ("Empoli: idraulico da gialla ad arancione, domani").
   */
  changes: string[]
}

export interface IngestResult {
  inserted: number
  updated: number
  unchanged: number
  alerts: OurBulletinAlert[]
}

function rank(level: WarningLevel | null | undefined): number {
  return level ? WARNING_LEVELS.indexOf(level) : -1
}

/** Per-zone bulletins (DPC criticality) are judged on what they say for our comuni. */
const perZone = (b: { rawKind: string }) => b.rawKind === 'dpc_criticita'
/** DPC bulletins list the comuni of each zone: ours is told by our comuni and their zones. */
const byComuni = (b: { rawKind: string }) =>
  b.rawKind === 'dpc_criticita' || b.rawKind === 'dpc_vigilanza'

/**
 * Picks the outcomes that concern our zones and are news to the room: new bulletins,
 * updates of held ones, and in-place revisions that changed the level. A per-zone bulletin
 * is news when it is new with a level above green for our comuni, or when it changes a
 * level of ours compared with the bulletin it replaces (an update that changes nothing for
 * us raises nothing). Informational bulletins (meteorological vigilance) are never news.
 */
export function findOurNewOrUpgraded(
  outcomes: readonly StoreOutcome[],
  matches: ReadonlyMap<string, ZoneMatch>,
  sourceName: string,
  context: { repo?: FeedsRepository; ours?: readonly OurComune[] } = {},
): OurBulletinAlert[] {
  const alerts: OurBulletinAlert[] = []
  for (const outcome of outcomes) {
    if (!('item' in outcome) || !outcome.item.isOurs) continue
    const bulletin = outcome.item.bulletin
    if (bulletin.informational) continue
    const previousLevel =
      outcome.change === 'update'
        ? outcome.previous.level
        : outcome.change === 'revised'
          ? outcome.previousLevel
          : null
    const match = matches.get(outcome.item.externalId)
    const level = match?.level ?? outcome.item.level
    let changes: string[] = []
    if (perZone(bulletin)) {
      const previous =
        outcome.change === 'update'
          ? (context.repo?.getItem(outcome.previous.id)?.bulletin ?? null)
          : outcome.change === 'revised'
            ? outcome.previousBulletin
            : null
      changes = levelChanges(previous, bulletin, context.ours ?? []).map(describeChange)
      if (outcome.change === 'new' ? rank(level) <= 0 : changes.length === 0) continue
    } else if (outcome.change === 'revised' && previousLevel === outcome.item.level) continue
    alerts.push({
      change: outcome.change,
      item: outcome.item,
      sourceName,
      ourAreas: [...new Set(match?.areas.map((a) => a.zone ?? a.name) ?? [])],
      level,
      previousLevel,
      escalated: outcome.change !== 'new' && rank(level) > rank(previousLevel),
      changes,
    })
  }
  return alerts
}

/** Which of our zones a bulletin concerns: per-zone bulletins by our comuni, others by the source's filters. */
function matchBulletin(
  bulletin: Bulletin,
  source: FeedSource,
  ours: readonly OurComune[],
): ZoneMatch {
  // Our comuni's alert zones are ours in every source, beside the source's own filters.
  const ourZones = ours.flatMap((c) => c.alertZones)
  const byFilters = matchOurZones(bulletin, [...source.zones, ...ourZones])
  if (!byComuni(bulletin)) return byFilters
  const areas = [...ourAreasOf(bulletin, ours).map((a) => a.area), ...byFilters.areas]
  if (areas.length === 0) return byFilters
  const level = maxLevel(areas.map((a) => a.level))
  return { ours: true, areas: [...new Set(areas)], ...(level ? { level } : {}) }
}

/**
 * Matches bulletins to our zones (the source's filters; for per-zone bulletins also our
 * comuni and their alert zones), stores them, and returns counts and our alerts.
 */
export function ingestBulletins(
  repo: FeedsRepository,
  source: FeedSource,
  bulletins: readonly Bulletin[],
  fetchedAt: Date,
  ours: readonly OurComune[] = [],
): IngestResult {
  const matches = new Map<string, ZoneMatch>()
  const entries = bulletins.map((b) => {
    const bulletin = { ...b, sourceId: source.id }
    const match = matchBulletin(bulletin, source, ours)
    matches.set(bulletin.externalId, match)
    return { bulletin, isOurs: match.ours }
  })
  const outcomes = repo.storeItems(source.id, entries, fetchedAt)
  return {
    inserted: outcomes.filter((o) => o.change === 'new' || o.change === 'update').length,
    updated: outcomes.filter((o) => o.change === 'revised').length,
    unchanged: outcomes.filter((o) => o.change === 'unchanged' || o.change === 'duplicate').length,
    alerts: findOurNewOrUpgraded(outcomes, matches, source.name, { repo, ours }),
  }
}
