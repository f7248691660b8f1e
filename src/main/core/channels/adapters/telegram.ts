import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  MapImage,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { httpBase, requireSecret, requireSetting, type HttpAdapterOptions } from './config'
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
import { DEFAULT_LIMITS } from './limits'
import { mapWarning, multipartWithImage } from './media'
import { splitTelegramText, splitWithCaption } from './telegram-split'
import { checkPassed, checkRefused, checkUnanswered } from './check-results'

/**
 * Telegram Bot API (`sendMessage`) to a channel, group or person. Long texts
 * are split into several messages. The bot token is part of every URL, so
 * URLs are never shown: reasons carry only Telegram's description, redacted.
 *
 * A post with the alert map card goes as `sendPhoto` (multipart) with the text
 * as caption; past Telegram's 1024-character caption limit the photo carries
 * the first part and the rest follows as messages. The Bot API has no alt text
 * for photos: the caption, written from the same alert, is what a screen reader
 * reads beside the picture. A photo Telegram surely did not publish (refused, a
 * 5xx, a connection refused) gives way to the text alone, with a warning; one
 * that may have been published (no answer in time) is uncertain like any send.
 */

const PROVIDER = 'Telegram'

/** Parts already delivered per outbox row, so a retry resumes instead of repeating them. */
const MAX_REMEMBERED_PARTIAL_SENDS = 1000

/** Failures of the chat or the bot, not of the photo: the text would fail the same way. */
const NOT_THE_PHOTO = new Set([
  'auth',
  'chat_not_found',
  'chat_migrated',
  'permission',
  'bot_removed',
  'blocked',
  'recipient_gone',
  'rate_limited',
])

/** What a row already published: its parts' ids, whether they follow the photo, why not. */
interface Progress {
  ids: string[]
  photo: boolean
  warning?: string
}

type Response = Extract<HttpResult, { type: 'response' }>

interface ErrorRule {
  status: number
  pattern: RegExp
  code: string
  reason: string
}

/** Telegram's descriptions we explain; checked in order. */
const ERROR_RULES: ErrorRule[] = [
  {
    status: 400,
    pattern: /chat not found/i,
    code: 'chat_not_found',
    reason: 'Chat Telegram non trovata: controlla l’ID della chat e che il bot ne faccia parte',
  },
  {
    status: 400,
    pattern: /too long/i,
    code: 'too_long',
    reason: 'Messaggio Telegram troppo lungo',
  },
  {
    status: 400,
    pattern: /text is empty|message text is empty/i,
    code: 'empty_text',
    reason: 'Il testo del messaggio è vuoto',
  },
  {
    status: 400,
    pattern: /not enough rights|have no rights/i,
    code: 'permission',
    reason: 'Il bot non ha il permesso di scrivere in questa chat: rendilo amministratore',
  },
  {
    status: 403,
    pattern: /kicked/i,
    code: 'bot_removed',
    reason: 'Il bot è stato rimosso dalla chat: aggiungilo di nuovo come amministratore',
  },
  {
    status: 403,
    pattern: /blocked by the user/i,
    code: 'blocked',
    reason: 'L’utente ha bloccato il bot',
  },
  {
    status: 403,
    pattern: /deactivated/i,
    code: 'recipient_gone',
    reason: 'L’account del destinatario è stato disattivato',
  },
  {
    status: 403,
    pattern: /not a member|rights/i,
    code: 'permission',
    reason: 'Il bot non può scrivere in questa chat: rendilo membro o amministratore',
  },
]

/** Builds the Telegram adapter from an account's settings and secrets. */
export function createTelegramAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const chatId = requireSetting(config, 'chatId')
  const token = requireSecret(config, 'botToken')
  const partial = new Map<string, Progress>()

  function call(method: string, payload: unknown, signal?: AbortSignal): Promise<HttpResult> {
    return httpRequest(
      joinUrl(baseUrl, `bot${token}/${method}`),
      {
        method: 'POST',
        body: JSON.stringify(payload),
        headers: { 'Content-Type': 'application/json' },
      },
      { fetch: base.fetch, timeoutMs: base.timeoutMs, ...(signal ? { signal } : {}) },
    )
  }

  function sendPhoto(
    chat: string,
    image: MapImage,
    caption: string,
    replyTo: number | undefined,
    signal?: AbortSignal,
  ): Promise<HttpResult> {
    const { body, contentType } = multipartWithImage(
      {
        chat_id: chat,
        ...(caption ? { caption } : {}),
        // Multipart fields are text: the Bot API reads structured ones as JSON.
        ...(replyTo !== undefined
          ? {
              reply_parameters: JSON.stringify({
                message_id: replyTo,
                allow_sending_without_reply: true,
              }),
            }
          : {}),
      },
      { name: 'photo', image },
    )
    return httpRequest(
      joinUrl(baseUrl, `bot${token}/sendPhoto`),
      { method: 'POST', body, headers: { 'Content-Type': contentType } },
      { fetch: base.fetch, timeoutMs: base.timeoutMs, ...(signal ? { signal } : {}) },
    )
  }

  /** A sent message's id, or why it failed. */
  function answerOf(res: HttpResult): { id: string } | FailedOutcome {
    if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
    const ok = (res.json as { ok?: unknown } | undefined)?.ok
    // A 200 that is not the Bot API's own answer (a proxy's page): maybe sent.
    if (res.status === 200 && typeof ok !== 'boolean')
      return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
    if (res.status !== 200 || ok !== true) return errorOutcome(res)
    const id = numberField(objectField(res.json, 'result'), 'message_id')
    if (id === undefined) return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
    return { id: String(id) }
  }

  function errorOutcome(res: Response): FailedOutcome {
    const description = stringField(res.json, 'description') ?? providerWords(res.json, res.text)
    const parameters = objectField(res.json, 'parameters')
    const code = numberField(res.json, 'error_code') ?? res.status
    const retryAfter = numberField(parameters, 'retry_after')
    if (code === 429) {
      return statusFailure(
        429,
        PROVIDER,
        description,
        base.redactor,
        retryAfter === undefined ? undefined : retryAfter * 1000,
      )
    }
    const migratedTo = numberField(parameters, 'migrate_to_chat_id')
    if (migratedTo !== undefined) {
      return failure(
        {
          retry: 'permanent',
          code: 'chat_migrated',
          reason: `Il gruppo Telegram è diventato un supergruppo: aggiorna l’ID chat a ${migratedTo}`,
          ...(description ? { providerText: description } : {}),
        },
        base.redactor,
      )
    }
    // A malformed token gets 404 from Telegram, a revoked one 401.
    if (code === 401 || code === 404) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'Token del bot Telegram non valido o revocato',
          ...(description ? { providerText: description } : {}),
        },
        base.redactor,
      )
    }
    const rule = ERROR_RULES.find(
      (r) => r.status === code && description !== undefined && r.pattern.test(description),
    )
    if (rule) {
      return failure(
        {
          retry: 'permanent',
          code: rule.code,
          reason: rule.reason,
          ...(description ? { providerText: description } : {}),
        },
        base.redactor,
      )
    }
    return statusFailure(code, PROVIDER, description, base.redactor)
  }

  function remember(key: string, progress: Progress): void {
    if (partial.size >= MAX_REMEMBERED_PARTIAL_SENDS && !partial.has(key)) {
      const oldest = partial.keys().next().value
      if (oldest !== undefined) partial.delete(oldest)
    }
    partial.set(key, progress)
  }

  return {
    kind: 'telegram',
    idempotent: false,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.telegram }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const target =
        message.destination.type === 'person' ? telegramTarget(message.destination.address) : chatId
      const known = partial.get(message.idempotencyKey)
      const progress: Progress = known
        ? { ...known, ids: [...known.ids] }
        : { ids: [], photo: message.image !== undefined }
      let parts = progress.photo ? splitWithCaption(message.text) : splitTelegramText(message.text)
      while (progress.ids.length < parts.length) {
        const i = progress.ids.length
        const replyTo = i === 0 && message.inReplyTo ? Number(message.inReplyTo) : undefined
        const reply = replyTo !== undefined && Number.isInteger(replyTo) ? replyTo : undefined
        const photo = i === 0 && progress.photo ? message.image : undefined
        const res = photo
          ? await sendPhoto(target, photo, parts[0] ?? '', reply, signal)
          : await call(
              'sendMessage',
              {
                chat_id: target,
                text: parts[i],
                ...(reply !== undefined
                  ? { reply_parameters: { message_id: reply, allow_sending_without_reply: true } }
                  : {}),
              },
              signal,
            )
        const answer = answerOf(res)
        if ('id' in answer) {
          progress.ids.push(answer.id)
          continue
        }
        if (photo && answer.retry !== 'uncertain' && !NOT_THE_PHOTO.has(answer.code)) {
          // Surely not published: the text goes alone, split as any text, and the row says why.
          progress.photo = false
          progress.warning = mapWarning(answer.reason)
          parts = splitTelegramText(message.text)
          continue
        }
        if (progress.ids.length > 0 || progress.warning) {
          remember(message.idempotencyKey, progress)
        }
        if (progress.ids.length > 0) {
          const note = `${progress.ids.length} parti su ${parts.length} già pubblicate; un nuovo tentativo invia solo le restanti`
          return { ...answer, reason: `${answer.reason}. ${note}` }
        }
        return answer
      }
      partial.delete(message.idempotencyKey)
      const [first, ...rest] = progress.ids
      return {
        status: 'sent',
        ...(first === undefined ? {} : { providerId: first }),
        ...(rest.length > 0 ? { partIds: rest } : {}),
        ...(progress.warning ? { warning: progress.warning } : {}),
      }
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const me = await call('getMe', {}, signal)
      if (me.type !== 'response') return checkUnanswered(me, PROVIDER, base.redactor)
      if (me.status !== 200) return checkRefused(errorOutcome(me), PROVIDER)
      const bot = stringField(objectField(me.json, 'result'), 'username') ?? 'bot'
      const chat = await call('getChat', { chat_id: chatId }, signal)
      if (chat.type !== 'response') return checkUnanswered(chat, PROVIDER, base.redactor)
      if (chat.status !== 200) {
        const refused = checkRefused(errorOutcome(chat), PROVIDER, { bot })
        return { ...refused, message: `Bot @${bot} attivo, ma: ${refused.message}` }
      }
      const title = stringField(objectField(chat.json, 'result'), 'title') ?? chatId
      return checkPassed(
        'telegram_bot',
        { bot, chat: title },
        `Bot @${bot} pronto a scrivere in «${title}»`,
      )
    },
  }
}

/** A person's address: a numeric chat id as is, a username as `@name` (Bot API chat_id forms). */
export function telegramTarget(address: string): string {
  return /^-?\d+$/.test(address) ? address : `@${address.replace(/^@/, '')}`
}
