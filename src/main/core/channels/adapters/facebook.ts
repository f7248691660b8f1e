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
import { httpRequest, joinUrl, type HttpResult } from './http'
import {
  failure,
  numberField,
  objectField,
  providerWords,
  statusFailure,
  stringField,
  transportFailure,
  type FailedOutcome,
  unreadableAnswer,
} from './http-errors'
import { regainAccessMs } from './graph-usage'
import { DEFAULT_LIMITS } from './limits'
import { mapWarning, multipartWithImage } from './media'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'

/**
 * Facebook Page posts through the Graph API (`POST /{version}/{page-id}/feed`),
 * and replies as the page (`POST /{version}/{object-id}/comments`: under a
 * comment it is a reply to that comment, under a post a comment on it).
 * The page access token travels in the form body (never in a URL we build).
 *
 * A post with the alert map card is a photo post (`POST /{page-id}/photos`,
 * multipart `source`, the text as `message`, the alt text as `alt_text_custom`);
 * its post is `post_id`. A photo Facebook surely did not publish (refused, a
 * transient error) gives way to the text post on the feed, with a warning; one
 * that may have been published (no answer in time) is uncertain like any send,
 * since the Graph API has no idempotency key.
 */

/** Failures of the page or the token, not of the photo: a text post would fail the same way. */
const NOT_THE_PHOTO = new Set([
  'auth',
  'token_expired',
  'permission',
  'blocked',
  'rate_limited',
  'duplicate_content',
])

const PROVIDER = 'Facebook'

type Response = Extract<HttpResult, { type: 'response' }>

interface Meaning {
  retry: 'transient' | 'permanent' | 'uncertain'
  code: string
  reason: string
}

const RATE: Meaning = {
  retry: 'transient',
  code: 'rate_limited',
  reason: 'Facebook: limite di richieste raggiunto, riprovo più tardi',
}

/** Graph API error codes (error.code) we explain. */
function graphMeaning(code: number | undefined): Meaning | undefined {
  switch (code) {
    // #1 "An unknown error has occurred" can follow a post that was created:
    // Graph gives no idempotency key, so it is "maybe sent". #2 "Service
    // temporarily unavailable" is a refusal before any work.
    case 1:
      return {
        retry: 'uncertain',
        code: 'provider_error',
        reason:
          'Facebook: errore sconosciuto del servizio; il post potrebbe essere stato pubblicato',
      }
    case 2:
      return {
        retry: 'transient',
        code: 'provider_unavailable',
        reason: 'Facebook momentaneamente non disponibile',
      }
    case 4:
    case 17:
    case 32:
    case 613:
    case 80001:
      return RATE
    case 190:
      return {
        retry: 'permanent',
        code: 'token_expired',
        reason: 'Facebook: token scaduto: rigeneralo',
      }
    case 102:
      return {
        retry: 'permanent',
        code: 'auth',
        reason: 'Facebook: sessione non valida, rigenera il token della pagina',
      }
    case 10:
      return {
        retry: 'permanent',
        code: 'permission',
        reason: 'Facebook: l’app non ha il permesso di pubblicare sulla pagina',
      }
    case 100:
      return {
        retry: 'permanent',
        code: 'rejected',
        reason: 'Facebook ha rifiutato i parametri del post',
      }
    case 368:
      return {
        retry: 'permanent',
        code: 'blocked',
        reason: 'Facebook ha bloccato il contenuto (regole della piattaforma)',
      }
    case 506:
      return {
        retry: 'permanent',
        code: 'duplicate_content',
        reason: 'Facebook rifiuta un post identico a uno appena pubblicato',
      }
    default:
      if (code !== undefined && code >= 200 && code <= 299) {
        return {
          retry: 'permanent',
          code: 'permission',
          reason: 'Facebook: permesso mancante per pubblicare sulla pagina',
        }
      }
      return undefined
  }
}

/** Builds the Facebook Page adapter from an account's settings and secrets. */
export function createFacebookAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const apiVersion = optionalSetting(config, 'apiVersion', 'v23.0')
  const pageId = requireSetting(config, 'pageId')
  const token = requireSecret(config, 'pageAccessToken')
  const pageUrl = joinUrl(
    baseUrl,
    `${encodeURIComponent(apiVersion)}/${encodeURIComponent(pageId)}`,
  )
  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })

  function errorOutcome(res: Response): FailedOutcome {
    const error = objectField(res.json, 'error')
    const code = numberField(error, 'code')
    const message = stringField(error, 'message') ?? providerWords(res.json, res.text)
    const providerText =
      message === undefined
        ? {}
        : { providerText: code === undefined ? message : `#${code} ${message}` }
    // #100 subcode 33: the post or comment answered is gone, or the page cannot see it.
    if (code === 100 && numberField(error, 'error_subcode') === 33) {
      return failure(
        {
          retry: 'permanent',
          code: 'reply_target_missing',
          reason: 'Facebook: il post o il commento a cui rispondere non esiste più',
          ...providerText,
        },
        base.redactor,
      )
    }
    const meaning = graphMeaning(code)
    if (meaning) {
      const retryAfterMs = meaning.retry === 'transient' ? regainAccessMs(res.headers) : undefined
      return failure(
        { ...meaning, ...providerText, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
        base.redactor,
      )
    }
    if (error?.['is_transient'] === true) {
      return failure(
        {
          retry: 'transient',
          code: 'provider_unavailable',
          reason: 'Facebook: errore temporaneo',
          ...providerText,
        },
        base.redactor,
      )
    }
    return statusFailure(res.status, PROVIDER, message, base.redactor)
  }

  /** A text post on the page's feed, or a comment under `inReplyTo`. */
  async function feedPost(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const form = new URLSearchParams({ message: message.text, access_token: token })
    const target = message.inReplyTo
      ? joinUrl(
          baseUrl,
          `${encodeURIComponent(apiVersion)}/${encodeURIComponent(message.inReplyTo)}/comments`,
        )
      : `${pageUrl}/feed`
    const res = await httpRequest(
      target,
      {
        method: 'POST',
        body: form,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      },
      ctx(signal),
    )
    if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
    const id = res.status === 200 ? stringField(res.json, 'id') : undefined
    if (id) return { status: 'sent', providerId: id }
    if (res.status === 200) {
      return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
    }
    return errorOutcome(res)
  }

  /** A photo post: the card with the text as its message and the alt text. */
  async function photoPost(
    text: string,
    image: MapImage,
    signal?: AbortSignal,
  ): Promise<SendOutcome> {
    const { body, contentType } = multipartWithImage(
      { message: text, alt_text_custom: image.alt, access_token: token },
      { name: 'source', image },
    )
    const res = await httpRequest(
      `${pageUrl}/photos`,
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      ctx(signal),
    )
    if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
    const id =
      res.status === 200
        ? (stringField(res.json, 'post_id') ?? stringField(res.json, 'id'))
        : undefined
    if (id) return { status: 'sent', providerId: id }
    if (res.status === 200) return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
    return errorOutcome(res)
  }

  return {
    kind: 'facebook_page',
    idempotent: false,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.facebook_page }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      let warning: string | undefined
      if (message.image && !message.inReplyTo) {
        const photo = await photoPost(message.text, message.image, signal)
        if (photo.status !== 'failed') return photo
        if (photo.retry === 'uncertain' || NOT_THE_PHOTO.has(photo.code)) return photo
        // Surely not published: the text goes alone on the feed, and the row says why.
        warning = mapWarning(photo.reason)
      }
      const outcome = await feedPost(message, signal)
      return warning && outcome.status !== 'failed' ? { ...outcome, warning } : outcome
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await httpRequest(
        `${pageUrl}?fields=id,name`,
        { method: 'GET', headers: { Authorization: `Bearer ${token}` } },
        ctx(signal),
      )
      if (res.type !== 'response') return checkUnanswered(res, PROVIDER, base.redactor)
      if (res.status !== 200) return checkRefused(errorOutcome(res), PROVIDER)
      const name = stringField(res.json, 'name') ?? pageId
      return checkPassed('facebook_page', { name }, `Pagina Facebook «${name}» raggiungibile`)
    },
  }
}
