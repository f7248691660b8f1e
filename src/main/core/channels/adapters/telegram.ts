import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { httpBase, requireSecret, requireSetting, type HttpAdapterOptions } from './config'
import { httpRequest, joinUrl, type HttpResult } from './http'
import {
  checkFailed,
  describeTransport,
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
import { splitTelegramText } from './telegram-split'

/**
 * Telegram Bot API (`sendMessage`) to a channel, group or person. Long texts
 * are split into several messages. The bot token is part of every URL, so
 * URLs are never shown: reasons carry only Telegram's description, redacted.
 */

const PROVIDER = 'Telegram'

/** Parts already delivered per outbox row, so a retry resumes instead of repeating them. */
const MAX_REMEMBERED_PARTIAL_SENDS = 1000

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
  const partial = new Map<string, string[]>()

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

  function remember(key: string, ids: string[]): void {
    if (partial.size >= MAX_REMEMBERED_PARTIAL_SENDS && !partial.has(key)) {
      const oldest = partial.keys().next().value
      if (oldest !== undefined) partial.delete(oldest)
    }
    partial.set(key, ids)
  }

  return {
    kind: 'telegram',
    idempotent: false,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.telegram }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const target =
        message.destination.type === 'person' ? telegramTarget(message.destination.address) : chatId
      const parts = splitTelegramText(message.text)
      const sentIds = [...(partial.get(message.idempotencyKey) ?? [])]
      for (let i = sentIds.length; i < parts.length; i++) {
        const replyTo = i === 0 && message.inReplyTo ? Number(message.inReplyTo) : undefined
        const payload = {
          chat_id: target,
          text: parts[i],
          ...(replyTo !== undefined && Number.isInteger(replyTo)
            ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
            : {}),
        }
        const res = await call('sendMessage', payload, signal)
        let outcome: FailedOutcome | undefined
        const ok = (
          res.type === 'response' ? (res.json as { ok?: unknown } | undefined) : undefined
        )?.ok
        if (res.type !== 'response') outcome = transportFailure(res, PROVIDER, base.redactor)
        else if (res.status === 200 && typeof ok !== 'boolean')
          // A 200 that is not the Bot API's own answer (a proxy's page): maybe sent.
          outcome = unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
        else if (res.status !== 200 || ok !== true) outcome = errorOutcome(res)
        else {
          const id = numberField(objectField(res.json, 'result'), 'message_id')
          if (id === undefined) {
            outcome = unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
          } else sentIds.push(String(id))
        }
        if (outcome) {
          if (sentIds.length > 0) {
            remember(message.idempotencyKey, sentIds)
            const note = `${sentIds.length} parti su ${parts.length} già pubblicate; un nuovo tentativo invia solo le restanti`
            return { ...outcome, reason: `${outcome.reason}. ${note}` }
          }
          return outcome
        }
      }
      partial.delete(message.idempotencyKey)
      const [first, ...rest] = sentIds
      return {
        status: 'sent',
        ...(first === undefined ? {} : { providerId: first }),
        ...(rest.length > 0 ? { partIds: rest } : {}),
      }
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const me = await call('getMe', {}, signal)
      if (me.type !== 'response') return checkFailed(describeTransport(me, PROVIDER), base.redactor)
      if (me.status !== 200) return checkFailed(errorOutcome(me).reason, base.redactor)
      const bot = stringField(objectField(me.json, 'result'), 'username') ?? 'bot'
      const chat = await call('getChat', { chat_id: chatId }, signal)
      if (chat.type !== 'response')
        return checkFailed(describeTransport(chat, PROVIDER), base.redactor)
      if (chat.status !== 200)
        return checkFailed(`Bot @${bot} attivo, ma: ${errorOutcome(chat).reason}`, base.redactor)
      const title = stringField(objectField(chat.json, 'result'), 'title') ?? chatId
      return { ok: true, message: `Bot @${bot} pronto a scrivere in «${title}»` }
    },
  }
}

/** A person's address: a numeric chat id as is, a username as `@name` (Bot API chat_id forms). */
export function telegramTarget(address: string): string {
  return /^-?\d+$/.test(address) ? address : `@${address.replace(/^@/, '')}`
}
