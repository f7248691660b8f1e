import { FeedError } from './errors'
import { fetchFeed, type FetchFeedOptions } from './http/fetch-feed'
import { resolveIndexEntries } from './index-details'
import { ingestBulletins, type IngestResult } from './ingest'
import { parseAtomCapIndex } from './parsers/atom-cap-index'
import { parseCap } from './parsers/cap'
import { isMeteoAlarm } from './parsers/levels'
import { readDpcSource } from './dpc/read-dpc-source'
import type { OurComune } from './dpc/our-levels'
import { parseNewsFeed } from './parsers/news-feed'
import type { FeedsRepository } from './repository'
import type { Bulletin, FeedSource } from './types'

export interface PollSourceDeps {
  repo: FeedsRepository
  fetchOptions: FetchFeedOptions
  /** Detail CAP downloads allowed per poll of an Atom index (default 30). */
  maxDetailFetches?: number
  /** Our comuni and their alert zones (per-zone bulletins keep only the zones that touch them). */
  ours?: readonly OurComune[]
  github?: { api: string; raw: string }
  now: () => Date
}

export type PollSourceOutcome =
  | { status: 'not_modified' }
  | (IngestResult & {
      status: 'ok'
      /** Index entries left for the next poll (detail budget spent). */
      deferred: number
      validators: { etag: string | null; lastModified: string | null } | null
    })

/** A login page or error page served with 200 instead of the feed. */
function refuseHtml(mediaType: string | null, body: Uint8Array): void {
  if (mediaType !== 'text/html') return
  const head = Buffer.from(body.subarray(0, 512)).toString('latin1').trimStart().toLowerCase()
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) {
    throw new FeedError(
      'not_a_feed',
      'il server ha risposto con una pagina web (HTML) invece del feed',
    )
  }
}

/** Downloads one source, parses it by kind, stores what is new. Throws FeedError on failure. */
export async function pollSource(
  source: FeedSource,
  deps: PollSourceDeps,
): Promise<PollSourceOutcome> {
  if (source.kind === 'manual') return { status: 'not_modified' }
  // Every request of this poll (index, detail documents, DPC files) obeys the source's network.
  const fetchOptions: FetchFeedOptions = {
    ...deps.fetchOptions,
    internalNetwork: source.internalNetwork,
  }
  if (source.kind === 'dpc_criticita' || source.kind === 'dpc_vigilanza') {
    const read = await readDpcSource(source.url, source.kind, {
      ours: deps.ours ?? [],
      fetch: fetchOptions,
      ...(deps.github ? { githubApi: deps.github.api, githubRaw: deps.github.raw } : {}),
      // The newest bulletin is already held: its files are not downloaded again.
      isHeld: (externalId) => deps.repo.hasItem(source.id, externalId),
    })
    if (read.status === 'held') return { status: 'not_modified' }
    const result = ingestBulletins(deps.repo, source, [read.bulletin], deps.now(), deps.ours)
    return { status: 'ok', ...result, deferred: 0, validators: null }
  }
  const res = await fetchFeed(source.url, {
    ...fetchOptions,
    etag: source.etag,
    lastModified: source.lastModified,
  })
  if (res.status === 'not_modified') return { status: 'not_modified' }
  refuseHtml(res.mediaType, res.body)
  const fetchedAt = deps.now()
  // MeteoAlarm is told by where the feed lives, not by what a message contains.
  const meteoAlarm = isMeteoAlarm(source.url, res.url)
  const parseOptions = { charset: res.charset, baseUrl: res.url, meteoAlarm }
  let bulletins: Bulletin[]
  let deferred = 0
  switch (source.kind) {
    case 'cap':
      bulletins = [parseCap(res.body, parseOptions)]
      break
    case 'rss':
      bulletins = parseNewsFeed(res.body, parseOptions)
      break
    case 'atom_cap_index': {
      const entries = parseAtomCapIndex(res.body, parseOptions)
      const resolved = await resolveIndexEntries(
        entries,
        source.id,
        deps.repo,
        { ...fetchOptions, etag: null, lastModified: null },
        deps.maxDetailFetches ?? 30,
        meteoAlarm,
      )
      bulletins = resolved.bulletins
      deferred = resolved.deferred
      break
    }
  }
  const result = ingestBulletins(deps.repo, source, bulletins, fetchedAt, deps.ours)
  return {
    status: 'ok',
    ...result,
    deferred,
    // With work deferred, keep the old validators so the next poll reads the index again.
    validators: deferred > 0 ? null : { etag: res.etag, lastModified: res.lastModified },
  }
}
