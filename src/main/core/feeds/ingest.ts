import {
  WARNING_LEVELS,
  type Bulletin,
  type FeedItem,
  type FeedSource,
  type WarningLevel,
} from './types'
import type { FeedsRepository, StoreOutcome } from './repository'
import { matchOurZones, type ZoneMatch } from './zones'

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

/**
 * Picks the outcomes that concern our zones and are news to the room: new bulletins,
 * updates of held ones, and in-place revisions that changed the level.
 */
export function findOurNewOrUpgraded(
  outcomes: readonly StoreOutcome[],
  matches: ReadonlyMap<string, ZoneMatch>,
  sourceName: string,
): OurBulletinAlert[] {
  const alerts: OurBulletinAlert[] = []
  for (const outcome of outcomes) {
    if (!('item' in outcome) || !outcome.item.isOurs) continue
    const previousLevel =
      outcome.change === 'update'
        ? outcome.previous.level
        : outcome.change === 'revised'
          ? outcome.previousLevel
          : null
    if (outcome.change === 'revised' && previousLevel === outcome.item.level) continue
    const match = matches.get(outcome.item.externalId)
    const level = match?.level ?? outcome.item.level
    alerts.push({
      change: outcome.change,
      item: outcome.item,
      sourceName,
      ourAreas: match?.areas.map((a) => a.name) ?? [],
      level,
      previousLevel,
      escalated: outcome.change !== 'new' && rank(level) > rank(previousLevel),
    })
  }
  return alerts
}

/** Matches bulletins to the source's zones, stores them, and returns counts and our alerts. */
export function ingestBulletins(
  repo: FeedsRepository,
  source: FeedSource,
  bulletins: readonly Bulletin[],
  fetchedAt: Date,
): IngestResult {
  const matches = new Map<string, ZoneMatch>()
  const entries = bulletins.map((b) => {
    const bulletin = { ...b, sourceId: source.id }
    const match = matchOurZones(bulletin, source.zones)
    matches.set(bulletin.externalId, match)
    return { bulletin, isOurs: match.ours }
  })
  const outcomes = repo.storeItems(source.id, entries, fetchedAt)
  return {
    inserted: outcomes.filter((o) => o.change === 'new' || o.change === 'update').length,
    updated: outcomes.filter((o) => o.change === 'revised').length,
    unchanged: outcomes.filter((o) => o.change === 'unchanged' || o.change === 'duplicate').length,
    alerts: findOurNewOrUpgraded(outcomes, matches, source.name),
  }
}
