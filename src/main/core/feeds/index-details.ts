import { FeedError } from './errors'
import { fetchFeed, type FetchFeedOptions } from './http/fetch-feed'
import { parseCap } from './parsers/cap'
import type { CapIndexEntry } from './parsers/atom-cap-index'
import type { FeedsRepository } from './repository'
import type { Bulletin, BulletinArea } from './types'

/** Adds the index's geocodes (e.g. MeteoAlarm EMMA_ID) to the detail's areas of the same name. */
function withIndexGeocodes(detail: Bulletin, summary: Bulletin): Bulletin {
  const areas: BulletinArea[] = detail.areas.map((area) => {
    const fromIndex = summary.areas.filter((a) => a.name === area.name).flatMap((a) => a.geocodes)
    const extra = fromIndex.filter(
      (g) => !area.geocodes.some((h) => h.valueName === g.valueName && h.value === g.value),
    )
    return extra.length > 0 ? { ...area, geocodes: [...area.geocodes, ...extra] } : area
  })
  return { ...detail, areas }
}

export interface ResolvedIndex {
  bulletins: Bulletin[]
  /** Entries left for a later poll because of the per-poll detail budget. */
  deferred: number
}

/**
 * Turns index entries into bulletins. Entries already held are skipped; new ones use the CAP
 * embedded in the entry, else the linked detail CAP (at most `maxDetails` downloads per poll),
 * else — when the detail fails — what the index says, with a note explaining why.
 */
export async function resolveIndexEntries(
  entries: readonly CapIndexEntry[],
  sourceId: number,
  repo: FeedsRepository,
  fetchOptions: FetchFeedOptions,
  maxDetails: number,
  /** The index is MeteoAlarm's: its detail messages carry weather-warning colours. */
  meteoAlarm = false,
): Promise<ResolvedIndex> {
  const bulletins: Bulletin[] = []
  let downloads = 0
  let deferred = 0
  for (const entry of entries) {
    if (repo.hasItem(sourceId, entry.key)) continue
    if (entry.embedded) {
      bulletins.push(
        withIndexGeocodes(
          { ...entry.embedded, externalId: entry.key, rawKind: 'atom_cap_index' },
          entry.summary,
        ),
      )
      continue
    }
    if (entry.detailUrl === null) {
      bulletins.push(entry.summary)
      continue
    }
    if (downloads >= maxDetails) {
      deferred++
      continue
    }
    downloads++
    try {
      const res = await fetchFeed(entry.detailUrl, fetchOptions)
      if (res.status !== 'ok')
        throw new FeedError('http', 'il server ha risposto 304 senza richiesta condizionale')
      const detail = parseCap(res.body, { charset: res.charset, meteoAlarm })
      bulletins.push(
        withIndexGeocodes(
          { ...detail, externalId: entry.key, rawKind: 'atom_cap_index' },
          entry.summary,
        ),
      )
    } catch (err) {
      if (err instanceof FeedError && (err.code === 'aborted' || err.code === 'timeout')) throw err
      const reason = err instanceof Error ? err.message : String(err)
      bulletins.push({
        ...entry.summary,
        note: `dettaglio CAP non leggibile (${entry.detailUrl}): ${reason}`,
      })
    }
  }
  return { bulletins, deferred }
}
