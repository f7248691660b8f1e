import { objectField, stringField } from './http-errors'
import { googleError, QUOTA_COST, type YoutubeClient, type YoutubeResult } from './youtube-api'

/**
 * The link an alert can carry to the Circondario's YouTube channel (template
 * variable `{{youtube}}`): the live stream on air now (`search.list` with
 * `channelId`, `eventType=live`, `type=video`, 100 quota units: Google's
 * costliest read), else the latest upload (`channels.list` for the uploads
 * playlist in `contentDetails.relatedPlaylists.uploads`, then
 * `playlistItems.list` with `maxResults=1`, 1 unit each). Written from
 * Google's published Data API v3 reference.
 *
 * An answer is kept for a few minutes, so an operator trying templates does
 * not spend 100 units a click; the uploads playlist never changes and is read
 * once.
 */

export interface YoutubeLink {
  kind: 'live' | 'latest'
  videoId: string
  url: string
}

export type YoutubeLinkResult =
  | { ok: true; link: YoutubeLink | null; units: number }
  | { ok: false; reason: string; units: number }

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
    let units = QUOTA_COST['search.list']
    const live = await client.call(
      'GET',
      'search',
      { part: 'id', channelId, eventType: 'live', type: 'video', maxResults: '1' },
      undefined,
      signal,
    )
    const liveItems = itemsOf(live)
    if (!liveItems) return { ok: false, reason: client.redactor.redact(why(live)), units }
    const liveId = stringField(objectField(liveItems[0], 'id'), 'videoId')
    if (liveId)
      return { ok: true, link: { kind: 'live', videoId: liveId, url: watchUrl(liveId) }, units }

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
      if (!channels) return { ok: false, reason: client.redactor.redact(why(channel)), units }
      uploads = stringField(
        objectField(objectField(channels[0], 'contentDetails'), 'relatedPlaylists'),
        'uploads',
      )
      if (!uploads)
        return { ok: false, reason: `YouTube non conosce il canale ${channelId}`, units }
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
    if (!latestItems) return { ok: false, reason: client.redactor.redact(why(latest)), units }
    const videoId = stringField(objectField(latestItems[0], 'contentDetails'), 'videoId')
    return {
      ok: true,
      link: videoId ? { kind: 'latest', videoId, url: watchUrl(videoId) } : null,
      units,
    }
  }

  return {
    async current(signal) {
      if (cached && options.now() - cached.at < ttl) return { ...cached.result, units: 0 }
      const result = await look(signal)
      // A failure is not kept: the next draft asks again.
      if (result.ok) cached = { at: options.now(), result }
      return result
    },
  }
}
