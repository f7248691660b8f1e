import { joinUrl } from '../../channels/adapters/http'
import { numberField, objectField, stringField } from '../../channels/adapters/http-errors'
import type { IncomingCitizenMessage } from '../types'
import { InboundError } from './errors'
import { inboundHttp, secret, setting, type ProviderErrors } from './http-get'
import type { InboundAccount, InboundContext, InboundPoller, InboundPollResult } from './types'

/**
 * Messages people send to our Telegram bot: `GET /bot<token>/getUpdates`.
 * The cursor is the `offset` (last update id + 1). Asking with it confirms the
 * earlier updates, which Telegram then forgets, so the cursor is saved only
 * after the messages are stored: a crash in between re-reads them, and the
 * inbox drops the duplicates. The token is part of the URL: it is redacted from
 * every error and never logged.
 */

const LIMIT = 100
const MAX_PAGES = 10

export const TELEGRAM_ERRORS: ProviderErrors = {
  name: 'Telegram',
  retryAfterMs: (res) => {
    const seconds = numberField(objectField(res.json, 'parameters'), 'retry_after')
    return seconds === undefined ? undefined : seconds * 1000
  },
  text: (res) => stringField(res.json, 'description'),
  classify: (res) => {
    if (res.status === 409) {
      return new InboundError(
        'conflict',
        'Telegram: un altro programma legge gli aggiornamenti di questo bot (o è attivo un webhook)',
      )
    }
    if (res.status === 404 || res.status === 401) {
      return new InboundError('auth', 'Telegram: token del bot non valido')
    }
    return undefined
  },
}

function describeNonText(message: Record<string, unknown>): string {
  const location = objectField(message, 'location')
  if (location) {
    const lat = numberField(location, 'latitude')
    const lon = numberField(location, 'longitude')
    if (lat !== undefined && lon !== undefined) {
      return `[posizione ${lat}, ${lon}] https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`
    }
  }
  if (message['photo']) return '[foto]'
  if (message['voice'] || message['audio']) return '[messaggio vocale]'
  if (message['video'] || message['video_note']) return '[video]'
  if (message['document']) return '[documento]'
  if (message['sticker']) return '[sticker]'
  if (message['contact']) return '[contatto]'
  return '[messaggio non testuale]'
}

/** One update as a citizen message; undefined for updates that are not messages from people. */
export function updateToMessage(
  update: unknown,
  accountId: number,
): IncomingCitizenMessage | undefined {
  const message = objectField(update, 'message')
  const chat = objectField(message, 'chat')
  const from = objectField(message, 'from')
  const messageId = numberField(message, 'message_id')
  const chatId = numberField(chat, 'id')
  if (!message || messageId === undefined || chatId === undefined) return undefined
  if (from?.['is_bot'] === true) return undefined
  const name = [stringField(from, 'first_name'), stringField(from, 'last_name')]
    .filter(Boolean)
    .join(' ')
  const username = stringField(from, 'username')
  const date = numberField(message, 'date')
  const replyTo = numberField(objectField(message, 'reply_to_message'), 'message_id')
  const text = stringField(message, 'text') ?? stringField(message, 'caption')
  return {
    family: 'telegram',
    accountId,
    externalId: `${chatId}:${messageId}`,
    threadId: stringField(chat, 'type') === 'private' ? null : String(chatId),
    inReplyTo: replyTo === undefined ? null : String(replyTo),
    authorName: name || stringField(chat, 'title') || null,
    authorHandle: username ? `@${username}` : null,
    text: text ?? describeNonText(message),
    receivedAt: date === undefined ? null : new Date(date * 1000).toISOString(),
    flags: { chatId: String(chatId) },
  }
}

export function createTelegramInbound(account: InboundAccount, ctx: InboundContext): InboundPoller {
  const baseUrl = setting(account.settings, 'baseUrl', 'https://api.telegram.org')

  return {
    accountId: account.id,
    kind: 'telegram',
    async poll(sinceCursor, signal): Promise<InboundPollResult> {
      const token = secret(await ctx.secretsFor(account.id), 'botToken')
      const http = inboundHttp(ctx, TELEGRAM_ERRORS, [token])
      const messages: IncomingCitizenMessage[] = []
      let offset =
        sinceCursor !== null && /^\d+$/.test(sinceCursor) ? Number(sinceCursor) : undefined
      for (let page = 0; page < MAX_PAGES; page++) {
        const query = new URLSearchParams({
          limit: String(LIMIT),
          timeout: '0',
          allowed_updates: JSON.stringify(['message']),
        })
        if (offset !== undefined) query.set('offset', String(offset))
        const res = await http.get(
          joinUrl(baseUrl, `bot${token}/getUpdates?${query.toString()}`),
          {},
          signal,
        )
        const result = (res.json as { ok?: unknown; result?: unknown })?.result
        if ((res.json as { ok?: unknown })?.ok !== true || !Array.isArray(result)) {
          throw new InboundError('bad_response', 'Telegram: risposta a getUpdates incomprensibile')
        }
        for (const update of result) {
          const updateId = numberField(update, 'update_id')
          if (updateId === undefined) continue
          offset = Math.max(offset ?? 0, updateId + 1)
          const message = updateToMessage(update, account.id)
          if (message) messages.push(message)
        }
        if (result.length < LIMIT) break
      }
      return { messages, nextCursor: offset === undefined ? sinceCursor : String(offset) }
    },
  }
}
