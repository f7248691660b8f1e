import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  MapImage,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import {
  httpBase,
  optionalSetting,
  requireSecret,
  requireSetting,
  type HttpAdapterOptions,
} from './config'
import { httpRequest, isoDateToDelay, joinUrl, parseRetryAfter, type HttpResult } from './http'
import {
  describeTransport,
  failure,
  providerWords,
  statusFailure,
  stringField,
  transportFailure,
  type FailedOutcome,
  unreadableAnswer,
} from './http-errors'
import { DEFAULT_LIMITS } from './limits'
import { mapWarning, multipartWithImage, pause } from './media'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'

/**
 * Mastodon `POST /api/v1/statuses`. The instance honours `Idempotency-Key`
 * (kept for one hour), so a resend of the same outbox row returns the status
 * already created instead of posting twice.
 *
 * The map card goes first to `POST /api/v2/media` (multipart `file` and
 * `description`, the alt text); a 202 means the instance is still processing
 * it, and `GET /api/v1/media/:id` answers 206 until it is done. Then the status
 * names it in `media_ids`. An upload that fails in any way (refused, 5xx, no
 * answer in time) leaves nothing anyone sees, since media without a status is
 * invisible: the status goes as text alone and the outcome carries a warning.
 * Only the status request decides whether the row may have been sent.
 */

const PROVIDER = 'Mastodon'

/** Polls of a media upload still processing (202) before the status goes without it. */
const MEDIA_POLLS = 15

type Response = Extract<HttpResult, { type: 'response' }>

/** Builds the Mastodon adapter from an account's settings and secrets. */
export function createMastodonAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const visibility = optionalSetting(config, 'visibility', 'public')
  const token = requireSecret(config, 'accessToken')
  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })
  const auth = { Authorization: `Bearer ${token}` }
  const mediaPollMs = options.mediaPollMs ?? 1_000

  /** Uploads the card; its media id once the instance is done with it, or why not. */
  async function uploadImage(
    image: MapImage,
    signal?: AbortSignal,
  ): Promise<{ id: string } | { warning: string }> {
    const { body, contentType } = multipartWithImage(
      { description: image.alt },
      { name: 'file', image },
    )
    const res = await httpRequest(
      joinUrl(baseUrl, 'api/v2/media'),
      { method: 'POST', body, headers: { ...auth, 'Content-Type': contentType } },
      ctx(signal),
    )
    if (res.type !== 'response') return { warning: mapWarning(describeTransport(res, PROVIDER)) }
    if (res.status !== 200 && res.status !== 202)
      return { warning: mapWarning(errorOutcome(res).reason) }
    const id = stringField(res.json, 'id')
    if (!id) return { warning: mapWarning('risposta illeggibile al caricamento della mappa') }
    if (res.status === 200) return { id }
    for (let i = 0; i < MEDIA_POLLS; i++) {
      if (!(await pause(mediaPollMs, signal))) return { warning: mapWarning('invio interrotto') }
      const poll = await httpRequest(
        joinUrl(baseUrl, `api/v1/media/${encodeURIComponent(id)}`),
        { method: 'GET', headers: auth },
        ctx(signal),
      )
      if (poll.type !== 'response')
        return { warning: mapWarning(describeTransport(poll, PROVIDER)) }
      if (poll.status === 200) return { id }
      if (poll.status !== 206) return { warning: mapWarning(errorOutcome(poll).reason) }
    }
    return {
      warning: mapWarning(
        `l’istanza elabora ancora l’immagine dopo ${Math.round((MEDIA_POLLS * mediaPollMs) / 1000)} s`,
      ),
    }
  }

  function errorOutcome(res: Response): FailedOutcome {
    const text = stringField(res.json, 'error') ?? providerWords(res.json, res.text)
    const withText = text === undefined ? {} : { providerText: text }
    if (res.status === 429) {
      const now = base.now()
      const delay =
        isoDateToDelay(res.headers.get('x-ratelimit-reset'), now) ??
        parseRetryAfter(res.headers.get('retry-after'), now)
      return statusFailure(429, PROVIDER, text, base.redactor, delay)
    }
    if (res.status === 422) {
      const tooLong = text !== undefined && /character limit|too long/i.test(text)
      return failure(
        {
          retry: 'permanent',
          code: tooLong ? 'too_long' : 'validation',
          reason: tooLong
            ? 'Post troppo lungo per questa istanza Mastodon'
            : 'L’istanza Mastodon ha rifiutato il post',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 401) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'Mastodon: token di accesso non valido o revocato',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 403) {
      return failure(
        {
          retry: 'permanent',
          code: 'permission',
          reason: 'Mastodon: l’account non può pubblicare (sospeso o limitato)',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 404 || res.status === 410) {
      return failure(
        {
          retry: 'permanent',
          code: 'not_found',
          reason: 'Mastodon: risorsa inesistente (post di riferimento o account)',
          ...withText,
        },
        base.redactor,
      )
    }
    return statusFailure(
      res.status,
      PROVIDER,
      text,
      base.redactor,
      parseRetryAfter(res.headers.get('retry-after'), base.now()),
    )
  }

  return {
    kind: 'mastodon',
    idempotent: true,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.mastodon }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const media = message.image ? await uploadImage(message.image, signal) : undefined
      const mediaId = media && 'id' in media ? media.id : undefined
      let warning = media && 'warning' in media ? media.warning : undefined
      const body = {
        status: message.text,
        visibility,
        language: 'it',
        ...(message.inReplyTo ? { in_reply_to_id: message.inReplyTo } : {}),
        ...(mediaId ? { media_ids: [mediaId] } : {}),
      }
      const res = await httpRequest(
        joinUrl(baseUrl, 'api/v1/statuses'),
        {
          method: 'POST',
          body: JSON.stringify(body),
          headers: {
            ...auth,
            'Content-Type': 'application/json',
            'Idempotency-Key': message.idempotencyKey,
          },
        },
        ctx(signal),
      )
      if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
      if (res.status === 200) {
        const id = stringField(res.json, 'id')
        const attached = (res.json as { media_attachments?: unknown } | undefined)
          ?.media_attachments
        // A resend of a row first posted without the map gets that status back, as it was.
        if (mediaId && Array.isArray(attached) && attached.length === 0)
          warning = mapWarning('il post era già stato pubblicato senza la mappa')
        if (id) return { status: 'sent', providerId: id, ...(warning ? { warning } : {}) }
        return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
      }
      return errorOutcome(res)
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await httpRequest(
        joinUrl(baseUrl, 'api/v1/accounts/verify_credentials'),
        { method: 'GET', headers: auth },
        ctx(signal),
      )
      if (res.type !== 'response') return checkUnanswered(res, PROVIDER, base.redactor)
      if (res.status !== 200) return checkRefused(errorOutcome(res), PROVIDER)
      const acct = stringField(res.json, 'acct')
      return checkPassed(
        'mastodon_account',
        { account: acct ? ` @${acct}` : '' },
        acct ? `Account Mastodon @${acct} raggiungibile` : 'Account Mastodon raggiungibile',
      )
    },
  }
}
