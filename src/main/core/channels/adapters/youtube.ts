import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'
import {
  httpBase,
  optionalSetting,
  requireSetting,
  AdapterConfigError,
  type HttpAdapterOptions,
} from './config'
import {
  failure,
  objectField,
  statusFailure,
  stringField,
  transportFailure,
  unreadableAnswer,
  type FailedOutcome,
} from './http-errors'
import type { Redactor } from './http'
import { DEFAULT_LIMITS } from './limits'
import {
  createYoutubeClient,
  googleError,
  isDailyQuotaReason,
  isQuotaReason,
  msUntilQuotaReset,
  type Response,
  type TokenFailure,
  type YoutubeClient,
} from './youtube-api'

/**
 * A YouTube channel: answers to comments on its videos (`POST
 * /youtube/v3/comments?part=snippet` with `snippet.parentId`, the thread's
 * top-level comment: YouTube threads are one level deep), and a connection
 * check (`channels.list` for the channel id). The Data API cannot publish a
 * community post, so a message with nothing to answer is refused for good;
 * alerts reach the channel's audience as a link to its live stream or latest
 * video instead (see youtube-links.ts). Written from Google's published Data
 * API v3 reference, not from a spec file.
 *
 * comments.insert takes no request id: a timeout or a dropped connection after
 * the request left is `uncertain`, never retried blindly.
 */

const PROVIDER = 'YouTube'

/** The account's settings and secrets as the YouTube client reads them. */
export function youtubeClientFor(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): YoutubeClient {
  const base = httpBase(config, options)
  const clientId = config.settings['clientId']
  return createYoutubeClient({
    baseUrl: optionalSetting(config, 'baseUrl', 'https://www.googleapis.com'),
    tokenUrl: optionalSetting(config, 'tokenUrl', 'https://oauth2.googleapis.com/token'),
    clientId: typeof clientId === 'string' && clientId.trim() !== '' ? clientId.trim() : undefined,
    secrets: config.secrets,
    fetch: base.fetch,
    now: base.now,
    timeoutMs: base.timeoutMs,
  })
}

/** The token endpoint refused or was not heard: nothing reached the Data API, nothing was posted. */
export function tokenFailure(f: TokenFailure, redactor: Redactor): FailedOutcome {
  switch (f.type) {
    case 'no_credentials':
      return failure(
        {
          retry: 'permanent',
          code: 'not_configured',
          reason:
            'YouTube: mancano le credenziali (client id, client secret e refresh token, o una chiave API)',
        },
        redactor,
      )
    case 'no_answer':
      return failure(
        {
          retry: 'transient',
          code: f.result.type === 'timeout' ? 'timeout' : 'network',
          reason:
            'YouTube: il rinnovo del token OAuth non ha avuto risposta; nessuna risposta inviata',
          providerText: f.result.message,
        },
        redactor,
      )
    case 'unreadable':
      return failure(
        {
          retry: 'transient',
          code: 'bad_response',
          reason: 'YouTube: risposta illeggibile dal rinnovo del token OAuth',
        },
        redactor,
      )
    case 'refused': {
      const providerText = [f.error, f.description].filter(Boolean).join(': ') || undefined
      const extra = providerText ? { providerText } : {}
      if (f.error === 'invalid_grant') {
        return failure(
          {
            retry: 'permanent',
            code: 'token_expired',
            reason:
              'YouTube: il refresh token è scaduto o revocato: autorizza di nuovo l’applicazione e inseriscine uno nuovo',
            ...extra,
          },
          redactor,
        )
      }
      if (f.status === 400 || f.status === 401) {
        return failure(
          {
            retry: 'permanent',
            code: 'auth',
            reason: 'YouTube: client id o client secret OAuth rifiutati',
            ...extra,
          },
          redactor,
        )
      }
      return statusFailure(f.status, 'YouTube (OAuth)', providerText, redactor)
    }
  }
}

/** A Data API error answer as an outcome (the same reading for sends and checks). */
export function youtubeErrorOutcome(
  res: Response,
  redactor: Redactor,
  nowMs: number,
): FailedOutcome {
  const { reason, message } = googleError(res)
  const said = [reason, message].filter(Boolean).join(': ')
  const extra = said ? { providerText: said } : {}
  if (isQuotaReason(reason)) {
    const daily = isDailyQuotaReason(reason)
    return failure(
      {
        retry: 'transient',
        code: daily ? 'quota_exceeded' : 'rate_limited',
        reason: daily
          ? 'YouTube: quota giornaliera del progetto esaurita; riprendo dopo la mezzanotte (ora del Pacifico)'
          : 'YouTube: troppe richieste, riprovo fra poco',
        retryAfterMs: daily ? msUntilQuotaReset(nowMs) : 60_000,
        ...extra,
      },
      redactor,
    )
  }
  switch (reason) {
    case 'commentNotFound':
    case 'parentCommentIsPrivate':
    case 'operationNotSupported':
    case 'videoNotFound':
      return failure(
        {
          retry: 'permanent',
          code: 'reply_target_missing',
          reason: 'YouTube: il commento a cui rispondere non esiste più o non accetta risposte',
          ...extra,
        },
        redactor,
      )
    case 'commentTextTooLong':
    case 'commentTextRequired':
    case 'invalidCustomEmoji':
      return failure(
        {
          retry: 'permanent',
          code: 'rejected',
          reason: 'YouTube ha rifiutato il testo della risposta',
          ...extra,
        },
        redactor,
      )
    case 'forbidden':
    case 'ineligibleAccount':
    case 'insufficientPermissions':
      return failure(
        {
          retry: 'permanent',
          code: 'permission',
          reason:
            'YouTube: l’account autorizzato non può commentare come il canale (permesso youtube.force-ssl)',
          ...extra,
        },
        redactor,
      )
    case 'channelNotFound':
      return failure(
        { retry: 'permanent', code: 'not_found', reason: 'YouTube: canale inesistente', ...extra },
        redactor,
      )
    default:
      return statusFailure(res.status, PROVIDER, said || undefined, redactor)
  }
}

function refusedCheck(outcome: FailedOutcome): ConnectionCheck {
  return checkRefused(
    { code: outcome.code, reason: outcome.reason, providerText: outcome.detail },
    PROVIDER,
  )
}

/** Builds the YouTube adapter from an account's settings and secrets. */
export function createYoutubeAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const channelId = requireSetting(config, 'channelId')
  const client = youtubeClientFor(config, options)
  const { redactor } = client
  if (!client.canWrite && !config.secrets['apiKey'] && Object.keys(config.secrets).length > 0) {
    // Some secrets but neither a complete OAuth set nor a key: say which one is missing.
    const missing = ['clientSecret', 'refreshToken'].find((k) => !config.secrets[k])
    if (missing)
      throw new AdapterConfigError(`secrets.${missing}`, `Credenziale mancante: ${missing}`)
  }

  return {
    kind: 'youtube',
    idempotent: false,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.youtube }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      if (!message.inReplyTo) {
        return failure(
          {
            retry: 'permanent',
            code: 'not_supported',
            reason:
              'YouTube non permette di pubblicare post dalla Data API: il canale riceve i commenti e risponde; le allerte possono citarne il link con {{youtube}}',
          },
          redactor,
        )
      }
      if (!client.canWrite) {
        return failure(
          {
            retry: 'permanent',
            code: 'auth',
            reason:
              'YouTube: con la sola chiave API si leggono i commenti; per rispondere servono client id, client secret e refresh token',
          },
          redactor,
        )
      }
      const res = await client.call(
        'POST',
        'comments',
        { part: 'snippet' },
        { snippet: { parentId: message.inReplyTo, textOriginal: message.text } },
        signal,
      )
      if (res.type === 'token') return tokenFailure(res.failure, redactor)
      if (res.type !== 'response') return transportFailure(res, PROVIDER, redactor)
      const id = res.status === 200 ? stringField(res.json, 'id') : undefined
      if (id) return { status: 'sent', providerId: id }
      if (res.status === 200) return unreadableAnswer(res.status, PROVIDER, res.text, redactor)
      return youtubeErrorOutcome(res, redactor, base.now())
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const res = await client.call(
        'GET',
        'channels',
        { part: 'snippet', id: channelId },
        undefined,
        signal,
      )
      if (res.type === 'token') {
        return res.failure.type === 'no_answer'
          ? checkUnanswered(res.failure.result, PROVIDER, redactor)
          : refusedCheck(tokenFailure(res.failure, redactor))
      }
      if (res.type !== 'response') return checkUnanswered(res, PROVIDER, redactor)
      if (res.status !== 200) return refusedCheck(youtubeErrorOutcome(res, redactor, base.now()))
      const items = (res.json as { items?: unknown })?.items
      const channel = Array.isArray(items) ? items[0] : undefined
      if (!channel) {
        return checkRefused(
          { code: 'not_found', reason: `YouTube non conosce il canale ${channelId}` },
          PROVIDER,
        )
      }
      const name = stringField(objectField(channel, 'snippet'), 'title') ?? channelId
      const access = client.canWrite
        ? 'legge i commenti e può rispondere'
        : 'solo lettura dei commenti (chiave API)'
      return checkPassed(
        'youtube_channel',
        { name },
        `Canale YouTube «${name}» raggiungibile: ${access}`,
      )
    },
  }
}
