import { clip } from '../../channels/adapters/http'
import { objectField, stringField } from '../../channels/adapters/http-errors'
import { numberIn } from '../../channels/adapters/config'
import {
  createYoutubeClient,
  googleError,
  isDailyQuotaReason,
  isQuotaReason,
  msUntilQuotaReset,
  QUOTA_COST,
  quotaDay,
  type YoutubeClient,
} from '../../channels/adapters/youtube-api'
import { htmlToText } from '../../../../shared/text/html-to-text'
import type { IncomingCitizenMessage } from '../types'
import { InboundError } from './errors'
import { setting } from './http-get'
import type { InboundAccount, InboundContext, InboundPoller, InboundPollResult } from './types'

/**
 * Comments on the channel's videos: `GET /youtube/v3/commentThreads` with
 * `allThreadsRelatedToChannelId`, `order=time` (newest threads first) and
 * `part=snippet,replies`, page after page (`pageToken`) until a thread older
 * than the cursor. Each top-level comment, and the replies YouTube lists with
 * its thread (up to five, no extra call), becomes a citizen message; our own
 * channel's answers do not. Text is `textOriginal` where Google gives it (to
 * the channel's owner), otherwise `textDisplay`'s HTML read as plain text.
 * Written from Google's published Data API v3 reference, not a spec file.
 *
 * Quota: every call costs units from the project's daily quota (1 for
 * commentThreads.list; Google's table), reset at midnight Pacific time. The
 * poller counts what it spends in its cursor and never goes past the
 * account's `dailyQuotaUnits` (default 2,000 of the 10,000 Google grants a
 * project, leaving room for replies at 50 units and the `{{youtube}}` link's
 * look-ups). At the budget, or when Google answers `quotaExceeded`, it stops until
 * the reset and says so on every poll (the room's channel health shows it):
 * never a silent stop. A poll cut short by the quota remembers the next page,
 * and the first poll after the reset goes on from there before reading the
 * newest again, so a backlog is read whole, a day's budget at a time.
 */

/** On a first poll, comments older than this are not fetched. */
const LOOKBACK_MS = 7 * 24 * 3600_000
/** Comments can be listed a little after their publishedAt. */
const OVERLAP_MS = 10 * 60_000
const THREADS_PER_PAGE = 50
const MAX_PAGES = 10
const COST = QUOTA_COST['commentThreads.list']

/** What the poller keeps between polls (the scheduler stores it as the cursor). */
interface YoutubeCursor {
  /** publishedAt of the newest comment read (ISO), or null before the first. */
  after: string | null
  /** The quota day the count below belongs to (YYYY-MM-DD, Pacific time). */
  day: string
  /** Units spent by this poller on that day. */
  units: number
  /** Google said the quota is spent: no call before this instant (epoch ms). */
  blockedUntil?: number
  /**
   * A poll cut short by the quota: the next page to read, and the bounds of that pass. The
   * next poll goes on from there, so a backlog larger than a day's budget still arrives.
   */
  resume?: { pageToken: string; keepAfter: number; newest: number | null }
}

function readCursor(raw: string | null): YoutubeCursor | undefined {
  if (raw === null) return undefined
  try {
    const v = JSON.parse(raw) as Partial<YoutubeCursor>
    if (typeof v !== 'object' || v === null || typeof v.day !== 'string') return undefined
    return {
      after: typeof v.after === 'string' ? v.after : null,
      day: v.day,
      units: typeof v.units === 'number' && v.units >= 0 ? v.units : 0,
      ...(typeof v.blockedUntil === 'number' ? { blockedUntil: v.blockedUntil } : {}),
      ...(v.resume &&
      typeof v.resume.pageToken === 'string' &&
      typeof v.resume.keepAfter === 'number'
        ? {
            resume: {
              pageToken: v.resume.pageToken,
              keepAfter: v.resume.keepAfter,
              newest: typeof v.resume.newest === 'number' ? v.resume.newest : null,
            },
          }
        : {}),
    }
  } catch {
    // Not ours (a cursor from before this format): start as on a first poll.
    return undefined
  }
}

const quotaSentence = (budget: number) =>
  `YouTube: raggiunto il limite di ${budget.toLocaleString('it-IT')} unità di quota al giorno per la lettura dei commenti; riprendo dopo la mezzanotte (ora del Pacifico)`

/** One comment resource as a citizen message (undefined for ours, or one without an id). */
export function youtubeCommentToMessage(
  comment: unknown,
  thread: { id: string; videoId: string | undefined },
  accountId: number,
  channelId: string,
): IncomingCitizenMessage | undefined {
  const id = stringField(comment, 'id')
  const snippet = objectField(comment, 'snippet')
  if (!id || !snippet) return undefined
  if (stringField(objectField(snippet, 'authorChannelId'), 'value') === channelId) return undefined
  const videoId = stringField(snippet, 'videoId') ?? thread.videoId
  const original = stringField(snippet, 'textOriginal')
  const display = stringField(snippet, 'textDisplay')
  const text = original ?? (display === undefined ? '' : htmlToText(display))
  const permalink = videoId
    ? `https://www.youtube.com/watch?v=${encodeURIComponent(videoId)}&lc=${encodeURIComponent(id)}`
    : `https://www.youtube.com/channel/${encodeURIComponent(channelId)}`
  return {
    family: 'youtube',
    accountId,
    externalId: id,
    threadId: thread.id,
    inReplyTo: stringField(snippet, 'parentId') ?? videoId ?? null,
    authorName: stringField(snippet, 'authorDisplayName') ?? null,
    authorHandle: null,
    text: text.trim() === '' ? '[commento senza testo]' : text,
    receivedAt: stringField(snippet, 'publishedAt') ?? null,
    flags: { permalink },
  }
}

export function createYoutubeInbound(account: InboundAccount, ctx: InboundContext): InboundPoller {
  const baseUrl = setting(account.settings, 'baseUrl', 'https://www.googleapis.com')
  const tokenUrl = setting(account.settings, 'tokenUrl', 'https://oauth2.googleapis.com/token')
  const channelId = setting(account.settings, 'channelId')
  const clientId = account.settings['clientId']
  const budget = numberIn(account.settings, 'dailyQuotaUnits', 2000)
  const now = ctx.now ?? Date.now
  // Kept between polls so the access token lives as long as Google says; rebuilt if a secret changes.
  let client: { key: string; client: YoutubeClient } | undefined

  function clientFor(secrets: Record<string, string>): YoutubeClient {
    const key = JSON.stringify([
      secrets['clientSecret'],
      secrets['refreshToken'],
      secrets['apiKey'],
    ])
    if (client?.key === key) return client.client
    const built = createYoutubeClient({
      baseUrl,
      tokenUrl,
      clientId:
        typeof clientId === 'string' && clientId.trim() !== '' ? clientId.trim() : undefined,
      secrets,
      fetch: ctx.fetch ?? fetch,
      now,
      timeoutMs: ctx.timeoutMs ?? 15_000,
      ...(ctx.maxBytes === undefined ? {} : { maxBytes: ctx.maxBytes }),
    })
    client = { key, client: built }
    return built
  }

  /** A failed call as the error the scheduler records and backs off on. */
  function failed(
    res: Awaited<ReturnType<YoutubeClient['call']>>,
    yt: YoutubeClient,
  ): InboundError & { dailyQuota?: boolean } {
    const redact = (s: string) => yt.redactor.redact(s)
    if (res.type === 'token') {
      const f = res.failure
      if (f.type === 'no_credentials')
        return new InboundError(
          'config',
          'YouTube: mancano le credenziali (client id, client secret e refresh token, o una chiave API)',
        )
      if (f.type === 'no_answer')
        return new InboundError(
          f.result.type === 'timeout' ? 'timeout' : 'network',
          redact(
            `YouTube: il rinnovo del token OAuth non ha avuto risposta (${clip(f.result.message)})`,
          ),
        )
      if (f.type === 'unreadable')
        return new InboundError(
          'bad_response',
          'YouTube: risposta illeggibile dal rinnovo del token',
        )
      const said = [f.error, f.description].filter(Boolean).join(': ')
      return new InboundError(
        'auth',
        redact(
          f.error === 'invalid_grant'
            ? `YouTube: refresh token scaduto o revocato, autorizza di nuovo l’applicazione (${said})`
            : `YouTube: credenziali OAuth rifiutate (${said || `HTTP ${f.status}`})`,
        ),
      )
    }
    if (res.type === 'too_large')
      return new InboundError('bad_response', 'YouTube: risposta troppo grande, lettura interrotta')
    if (res.type !== 'response') {
      if (res.type === 'timeout')
        return new InboundError('timeout', 'YouTube non ha risposto in tempo')
      if (res.type === 'aborted')
        return new InboundError('aborted', 'Lettura da YouTube interrotta')
      return new InboundError('network', redact(`YouTube non raggiungibile: ${clip(res.message)}`))
    }
    const { reason, message } = googleError(res)
    const said = redact(clip([reason, message].filter(Boolean).join(': ')))
    const suffix = said ? ` (${said})` : ''
    if (isQuotaReason(reason)) {
      if (isDailyQuotaReason(reason)) {
        const error = new InboundError(
          'rate_limited',
          `YouTube: quota giornaliera del progetto esaurita; riprendo dopo la mezzanotte (ora del Pacifico)${suffix}`,
          msUntilQuotaReset(now()),
        )
        return Object.assign(error, { dailyQuota: true })
      }
      return new InboundError('rate_limited', `YouTube: troppe richieste${suffix}`, 60_000)
    }
    if (res.status === 401)
      return new InboundError('auth', `YouTube: credenziali rifiutate${suffix}`)
    if (res.status === 403)
      return new InboundError('permission', `YouTube: lettura dei commenti non consentita${suffix}`)
    if (res.status === 404)
      return new InboundError('config', `YouTube: canale ${channelId} non trovato${suffix}`)
    if (res.status >= 500)
      return new InboundError(
        'provider_unavailable',
        `YouTube momentaneamente non disponibile (HTTP ${res.status})${suffix}`,
      )
    return new InboundError(
      'rejected',
      `YouTube ha rifiutato la richiesta (HTTP ${res.status})${suffix}`,
    )
  }

  return {
    accountId: account.id,
    kind: 'youtube',
    async poll(sinceCursor, signal): Promise<InboundPollResult> {
      const nowMs = now()
      const day = quotaDay(nowMs)
      const saved = readCursor(sinceCursor)
      const state: YoutubeCursor =
        saved?.day === day
          ? { ...saved }
          : {
              after: saved?.after ?? null,
              day,
              units: 0,
              ...(saved?.resume ? { resume: saved.resume } : {}),
            }
      if (state.blockedUntil !== undefined && state.blockedUntil > nowMs) {
        throw new InboundError(
          'rate_limited',
          'YouTube: quota giornaliera del progetto esaurita; riprendo dopo la mezzanotte (ora del Pacifico)',
          state.blockedUntil - nowMs,
        )
      }
      delete state.blockedUntil
      if (state.units + COST > budget)
        throw new InboundError('rate_limited', quotaSentence(budget), msUntilQuotaReset(nowMs))

      const yt = clientFor(await ctx.secretsFor(account.id))
      const cursorMs = state.after === null ? Number.NaN : Date.parse(state.after)
      const { resume } = state
      const keepAfter =
        resume?.keepAfter ?? (Number.isNaN(cursorMs) ? nowMs - LOOKBACK_MS : cursorMs - OVERLAP_MS)
      const messages: IncomingCitizenMessage[] = []
      let newest: number | undefined = resume
        ? (resume.newest ?? undefined)
        : Number.isNaN(cursorMs)
          ? undefined
          : cursorMs
      let pageToken: string | undefined = resume?.pageToken
      let complete = false
      for (let page = 0; page < MAX_PAGES; page++) {
        if (state.units + COST > budget) break
        state.units += COST
        const res = await yt.call(
          'GET',
          'commentThreads',
          {
            part: 'snippet,replies',
            allThreadsRelatedToChannelId: channelId,
            order: 'time',
            maxResults: String(THREADS_PER_PAGE),
            ...(pageToken ? { pageToken } : {}),
          },
          undefined,
          signal,
        )
        if (res.type !== 'response' || res.status !== 200) {
          const error = failed(res, yt)
          // The first page failed: nothing read, the poll fails and the room sees why.
          if (page === 0 || !error.dailyQuota) throw error
          state.blockedUntil = nowMs + (error.retryAfterMs ?? msUntilQuotaReset(nowMs))
          break
        }
        const items = (res.json as { items?: unknown })?.items
        if (!Array.isArray(items))
          throw new InboundError('bad_response', 'YouTube: elenco dei commenti incomprensibile')
        let oldestTop = Number.POSITIVE_INFINITY
        for (const item of items) {
          const threadId = stringField(item, 'id')
          const snippet = objectField(item, 'snippet')
          const top = snippet?.['topLevelComment']
          if (!threadId || !top) continue
          const thread = { id: threadId, videoId: stringField(snippet, 'videoId') }
          const replies = objectField(item, 'replies')?.['comments']
          const all = [top, ...(Array.isArray(replies) ? (replies as unknown[]) : [])]
          const topAt = Date.parse(stringField(objectField(top, 'snippet'), 'publishedAt') ?? '')
          if (!Number.isNaN(topAt)) oldestTop = Math.min(oldestTop, topAt)
          for (const comment of all) {
            const at = Date.parse(stringField(objectField(comment, 'snippet'), 'publishedAt') ?? '')
            if (Number.isNaN(at) || at <= keepAfter) continue
            newest = Math.max(newest ?? at, at)
            const message = youtubeCommentToMessage(comment, thread, account.id, channelId)
            if (message) messages.push(message)
          }
        }
        pageToken = stringField(res.json, 'nextPageToken')
        if (!pageToken || oldestTop <= keepAfter) {
          complete = true
          break
        }
        if (page === MAX_PAGES - 1) complete = true
      }
      messages.sort((a, b) => Date.parse(a.receivedAt ?? '') - Date.parse(b.receivedAt ?? ''))
      if (complete || pageToken === undefined) {
        delete state.resume
        if (newest !== undefined) state.after = new Date(newest).toISOString()
      } else {
        // Cut short by the quota: the older pages are read from here after the reset.
        state.resume = { pageToken, keepAfter, newest: newest ?? null }
      }
      return { messages, nextCursor: JSON.stringify(state) }
    },
  }
}
