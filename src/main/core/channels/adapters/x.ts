import { parseTweet } from 'twitter-text'
import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  MapImage,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { httpBase, requireSecret, requireSetting, type HttpAdapterOptions } from './config'
import { epochSecondsToDelay, httpRequest, joinUrl, type HttpResult } from './http'
import {
  describeTransport,
  failure,
  objectField,
  statusFailure,
  stringField,
  transportFailure,
  unreadableAnswer,
  type FailedOutcome,
} from './http-errors'
import { DEFAULT_LIMITS } from './limits'
import { mapWarning, multipartWithImage } from './media'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'

/**
 * X (Twitter) API v2: `POST /2/tweets` with a user access token (OAuth 2.0
 * user context, Bearer). X has no idempotency key; it does refuse identical
 * texts, which we report as `duplicate_content`.
 *
 * The map card goes first: `POST /2/media/upload` (one request, multipart,
 * `media_category=tweet_image`), then its alt text with `POST /2/media/metadata`
 * (X keeps at most 1000 characters), then the post names it in `media.media_ids`.
 * A card that could not be uploaded, or whose alt text X did not take, is left
 * out (never a picture without its words): the post goes as text alone, with a
 * warning. Media no post names is never shown.
 */

const PROVIDER = 'X'

/** X's limit for a picture's alt text. */
export const X_MAX_ALT_TEXT = 1000

/** The alt text within X's limit, cut at a word with an ellipsis when longer. */
export function xAltText(alt: string): string {
  if (alt.length <= X_MAX_ALT_TEXT) return alt
  const cut = alt.slice(0, X_MAX_ALT_TEXT - 1)
  const space = cut.lastIndexOf(' ')
  return `${space > X_MAX_ALT_TEXT / 2 ? cut.slice(0, space) : cut}…`
}

type Response = Extract<HttpResult, { type: 'response' }>

/** X's problem text: `detail`, else the first `errors[].message`, else `title`. */
function problemText(body: unknown, raw: string): string | undefined {
  const errors = (body as { errors?: unknown } | undefined)?.errors
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined
  return (
    stringField(body, 'detail') ??
    stringField(first, 'message') ??
    stringField(first, 'detail') ??
    stringField(body, 'title') ??
    (raw.trim() || undefined)
  )
}

/**
 * When posting may resume: the 24-hour user cap when it is exhausted,
 * otherwise the 15-minute window (`x-rate-limit-reset`, epoch seconds).
 */
function resetDelay(headers: Headers, nowMs: number): number | undefined {
  if (headers.get('x-user-limit-24hour-remaining') === '0') {
    const daily = epochSecondsToDelay(headers.get('x-user-limit-24hour-reset'), nowMs)
    if (daily !== undefined) return daily
  }
  return epochSecondsToDelay(headers.get('x-rate-limit-reset'), nowMs)
}

/** Builds the X adapter from an account's settings and secrets. */
export function createXAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const token = requireSecret(config, 'accessToken')
  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })
  const auth = { Authorization: `Bearer ${token}` }

  function errorOutcome(res: Response): FailedOutcome {
    const text = problemText(res.json, res.text)
    if (res.status === 429)
      return statusFailure(429, PROVIDER, text, base.redactor, resetDelay(res.headers, base.now()))
    if (res.status === 403 && text && /duplicate content/i.test(text)) {
      return failure(
        {
          retry: 'permanent',
          code: 'duplicate_content',
          reason: 'X rifiuta un post identico a uno già pubblicato: cambia il testo',
          providerText: text,
        },
        base.redactor,
      )
    }
    if (res.status === 401) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'X: token di accesso non valido o scaduto',
          ...(text ? { providerText: text } : {}),
        },
        base.redactor,
      )
    }
    if (res.status === 403) {
      return failure(
        {
          retry: 'permanent',
          code: 'permission',
          reason: 'X: l’account o l’app non possono pubblicare (permessi o livello di accesso)',
          ...(text ? { providerText: text } : {}),
        },
        base.redactor,
      )
    }
    return statusFailure(res.status, PROVIDER, text, base.redactor)
  }

  /** Uploads the card and its alt text; the media id, or why the post goes without it. */
  async function uploadImage(
    image: MapImage,
    signal?: AbortSignal,
  ): Promise<{ id: string } | { warning: string }> {
    const { body, contentType } = multipartWithImage(
      { media_category: 'tweet_image', media_type: 'image/png' },
      { name: 'media', image },
    )
    const res = await httpRequest(
      joinUrl(baseUrl, '2/media/upload'),
      { method: 'POST', body, headers: { ...auth, 'Content-Type': contentType } },
      ctx(signal),
    )
    if (res.type !== 'response') return { warning: mapWarning(describeTransport(res, PROVIDER)) }
    if (res.status !== 200 && res.status !== 201)
      return { warning: mapWarning(errorOutcome(res).reason) }
    const id = stringField(objectField(res.json, 'data'), 'id')
    if (!id) return { warning: mapWarning('risposta illeggibile al caricamento della mappa') }
    const meta = await httpRequest(
      joinUrl(baseUrl, '2/media/metadata'),
      {
        method: 'POST',
        body: JSON.stringify({ id, metadata: { alt_text: { text: xAltText(image.alt) } } }),
        headers: { ...auth, 'Content-Type': 'application/json' },
      },
      ctx(signal),
    )
    if (meta.type !== 'response')
      return { warning: mapWarning(`testo alternativo: ${describeTransport(meta, PROVIDER)}`) }
    if (meta.status !== 200 && meta.status !== 201)
      return { warning: mapWarning(`testo alternativo: ${errorOutcome(meta).reason}`) }
    return { id }
  }

  return {
    kind: 'x',
    idempotent: false,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.x }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      if (message.text.trim() === '') {
        return failure(
          { retry: 'permanent', code: 'empty_text', reason: 'Il testo del post è vuoto' },
          base.redactor,
        )
      }
      // X weighs characters (links count 23, CJK double): check before spending a request.
      const parsed = parseTweet(message.text)
      if (!parsed.valid) {
        const tooLong = parsed.weightedLength > 280
        return failure(
          {
            retry: 'permanent',
            code: tooLong ? 'too_long' : 'invalid_text',
            reason: tooLong
              ? `Post troppo lungo per X: ${parsed.weightedLength} caratteri pesati su 280`
              : 'Il testo contiene caratteri che X non accetta',
          },
          base.redactor,
        )
      }
      const media = message.image ? await uploadImage(message.image, signal) : undefined
      const warning = media && 'warning' in media ? media.warning : undefined
      const body = {
        text: message.text,
        ...(message.inReplyTo ? { reply: { in_reply_to_tweet_id: message.inReplyTo } } : {}),
        ...(media && 'id' in media ? { media: { media_ids: [media.id] } } : {}),
      }
      const res = await httpRequest(
        joinUrl(baseUrl, '2/tweets'),
        {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { ...auth, 'Content-Type': 'application/json' },
        },
        ctx(signal),
      )
      if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
      if (res.status === 201 || res.status === 200) {
        const id = stringField(objectField(res.json, 'data'), 'id')
        if (id) return { status: 'sent', providerId: id, ...(warning ? { warning } : {}) }
        return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      }
      return errorOutcome(res)
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await httpRequest(
        joinUrl(baseUrl, '2/users/me'),
        { method: 'GET', headers: auth },
        ctx(signal),
      )
      if (res.type !== 'response') return checkUnanswered(res, PROVIDER, base.redactor)
      if (res.status !== 200) return checkRefused(errorOutcome(res), PROVIDER)
      const username = stringField(objectField(res.json, 'data'), 'username')
      return checkPassed(
        'x_account',
        { account: username ? ` @${username}` : '' },
        username ? `Profilo X @${username} raggiungibile` : 'Profilo X raggiungibile',
      )
    },
  }
}
