import { objectField, stringField } from './http-errors'
import { googleError, QUOTA_COST, type YoutubeClient, type YoutubeResult } from './youtube-api'

/**
 * The link an alert can carry to the Circondario's YouTube channel (template
 * variable `{{youtube}}`): the live stream on air now (`search.list` with
 * `channelId`, `eventType=live`, `type=video`), else the latest upload
 * (`channels.list` for the uploads playlist in
 * `contentDetails.relatedPlaylists.uploads`, then `playlistItems.list` with
 * `maxResults=1`, 1 unit each). Written from Google's published Data API v3
 * reference. search.list is the scarce call: the current reference gives it a
 * bucket of its own of 100 calls a day (it used to cost 100 of the 10,000
 * units); when that bucket is spent the link is the latest video, and the
 * result says why.
 *
 * An answer is kept for a few minutes, so an operator trying templates does
 * not spend a search a click; the uploads playlist never changes and is read
 * once.
 */

export interface YoutubeLink {
  kind: 'live' | 'latest'
  videoId: string
  url: string
}

/** `units`: of the shared daily pool; `searches`: of search.list's own bucket. */
export type YoutubeLinkResult =
  | { ok: true; link: YoutubeLink | null; units: number; searches: number; warning?: string }
  | { ok: false; reason: string; units: number; searches: number }

export interface YoutubeLinks {
  /** The live stream's link, else the latest video's; null when the channel has neither. */
  current(signal?: AbortSignal): Promise<YoutubeLinkResult>
}

/** How long an answer is reused (default 5 minutes). */
const DEFAULT_TTL_MS = 5 * 60_000

const watchUrl = (videoId: string) =>
  `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}`

function why(res: YoutubeResult): string {
  if (res.type === 'token') return 'credenziali YouTube non valide o non raggiungibili'
  if (res.type !== 'response') return 'YouTube non ha risposto'
  const { reason, message } = googleError(res)
  return `YouTube ha rifiutato la richiesta (HTTP ${res.status}${reason ? `, ${reason}` : ''}${message ? `: ${message}` : ''})`
}

function itemsOf(res: YoutubeResult): unknown[] | undefined {
  if (res.type !== 'response' || res.status !== 200) return undefined
  const items = (res.json as { items?: unknown })?.items
  return Array.isArray(items) ? items : undefined
}

export function createYoutubeLinks(options: {
  client: YoutubeClient
  channelId: string
  now: () => number
  ttlMs?: number
}): YoutubeLinks {
  const { client, channelId } = options
  const ttl = options.ttlMs ?? DEFAULT_TTL_MS
  let uploads: string | undefined
  let cached: { at: number; result: YoutubeLinkResult } | undefined

  async function look(signal?: AbortSignal): Promise<YoutubeLinkResult> {
    let units = 0
    const searches = 1
    const live = await client.call(
      'GET',
      'search',
      { part: 'id', channelId, eventType: 'live', type: 'video', maxResults: '1' },
      undefined,
      signal,
    )
    const liveItems = itemsOf(live)
    // No answer about the live stream (its search bucket spent, most often): the latest video.
    const warning = liveItems ? undefined : client.redactor.redact(why(live))
    const liveId = stringField(objectField(liveItems?.[0], 'id'), 'videoId')
    if (liveId) {
      const link: YoutubeLink = { kind: 'live', videoId: liveId, url: watchUrl(liveId) }
      return { ok: true, link, units, searches }
    }
    const fail = (reason: string): YoutubeLinkResult => ({
      ok: false,
      reason: warning ? `${warning}; ${reason}` : reason,
      units,
      searches,
    })
    if (!uploads) {
      units += QUOTA_COST['channels.list']
      const channel = await client.call(
        'GET',
        'channels',
        { part: 'contentDetails', id: channelId },
        undefined,
        signal,
      )
      const channels = itemsOf(channel)
      if (!channels) return fail(client.redactor.redact(why(channel)))
      uploads = stringField(
        objectField(objectField(channels[0], 'contentDetails'), 'relatedPlaylists'),
        'uploads',
      )
      if (!uploads) return fail(`YouTube non conosce il canale ${channelId}`)
    }
    units += QUOTA_COST['playlistItems.list']
    const latest = await client.call(
      'GET',
      'playlistItems',
      { part: 'contentDetails', playlistId: uploads, maxResults: '1' },
      undefined,
      signal,
    )
    const latestItems = itemsOf(latest)
    if (!latestItems) return fail(client.redactor.redact(why(latest)))
    const videoId = stringField(objectField(latestItems[0], 'contentDetails'), 'videoId')
    return {
      ok: true,
      link: videoId ? { kind: 'latest', videoId, url: watchUrl(videoId) } : null,
      units,
      searches,
      ...(warning ? { warning } : {}),
    }
  }

  return {
    async current(signal) {
      if (cached && options.now() - cached.at < ttl)
        return { ...cached.result, units: 0, searches: 0 }
      const result = await look(signal)
      // A failure, or a link given without knowing about the live stream, is not kept.
      if (result.ok && !result.warning) cached = { at: options.now(), result }
      return result
    },
  }
}
