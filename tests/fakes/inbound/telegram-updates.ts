import { startFakeHttp, type FakeHttpServer, type FakeReply } from '../http-fake'

/**
 * A loopback Telegram Bot API for `getUpdates`, with Telegram's offset
 * semantics: updates below `offset` are confirmed and forgotten for good; at
 * most `limit` (1-100) updates are returned, oldest first; a wrong token gets
 * 401 and an unknown path 404; a webhook or a second reader gets 409; 429
 * carries `parameters.retry_after`.
 */

export interface FakeTelegramUpdateMessage {
  text?: string
  caption?: string
  location?: { latitude: number; longitude: number }
  photo?: boolean
  chatId?: number
  chatType?: 'private' | 'group' | 'supergroup'
  firstName?: string
  lastName?: string
  username?: string
  isBot?: boolean
  replyTo?: number
  date?: number
}

export interface FakeTelegramUpdates extends FakeHttpServer {
  token: string
  /** Adds a message update; returns its update_id. */
  message(m: FakeTelegramUpdateMessage): number
  /** Adds an update of another kind (a channel post, an edited message). */
  otherUpdate(kind: 'channel_post' | 'edited_message'): number
  /** Updates not yet confirmed by an offset. */
  pending(): number
  /** Bodies of sendMessage calls (the bot's answers). */
  sent: Record<string, unknown>[]
  /** Makes every getUpdates answer 409, as when a webhook is set. */
  setWebhook(on: boolean): void
}

const tgError = (
  status: number,
  description: string,
  parameters?: Record<string, number>,
): FakeReply => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
})

export async function startFakeTelegramUpdates(
  options: { token?: string; now?: () => number } = {},
): Promise<FakeTelegramUpdates> {
  const token = options.token ?? '7654321:AAInboundFakeToken_SecretPart_xyz'
  const now = options.now ?? Date.now
  let updates: Record<string, unknown>[] = []
  let nextUpdate = 500_000
  const nextMessage = new Map<number, number>()
  const state = { webhook: false }
  const sent: Record<string, unknown>[] = []

  const server = await startFakeHttp(
    (req) => {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.path)
      if (!m) return tgError(404, 'Not Found')
      if (decodeURIComponent(m[1] ?? '') !== token) return tgError(401, 'Unauthorized')
      // The bot also answers: a reply from the inbox comes back as sendMessage.
      if (m[2] === 'sendMessage') {
        const body = (req.body ?? {}) as Record<string, unknown>
        sent.push(body)
        return {
          status: 200,
          body: {
            ok: true,
            result: {
              message_id: 90_000 + sent.length,
              chat: { id: body.chat_id },
              date: Math.floor(now() / 1000),
              text: body.text,
            },
          },
        }
      }
      if (m[2] !== 'getUpdates') return tgError(404, 'Not Found: method not found')
      if (state.webhook) {
        return tgError(
          409,
          "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
        )
      }
      const limit = Math.min(100, Math.max(1, Number(req.query.limit ?? 100) || 100))
      const offset = req.query.offset === undefined ? undefined : Number(req.query.offset)
      // Confirmation: everything below the offset is gone for good.
      if (offset !== undefined) updates = updates.filter((u) => (u.update_id as number) >= offset)
      const allowed = req.query.allowed_updates
        ? (JSON.parse(req.query.allowed_updates) as string[])
        : undefined
      const visible = updates.filter((u) => !allowed || allowed.some((k) => k in u))
      return { status: 200, body: { ok: true, result: visible.slice(0, limit) } }
    },
    {
      rateLimited: (seconds) =>
        tgError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds }),
      serverError: (status) => tgError(status, 'Internal Server Error'),
    },
  )

  return Object.assign(server, {
    token,
    message(msg: FakeTelegramUpdateMessage): number {
      const chatId = msg.chatId ?? 4242
      const messageId = (nextMessage.get(chatId) ?? 0) + 1
      nextMessage.set(chatId, messageId)
      const updateId = nextUpdate++
      updates.push({
        update_id: updateId,
        message: {
          message_id: messageId,
          from: {
            id: chatId,
            is_bot: msg.isBot ?? false,
            first_name: msg.firstName ?? 'Mario',
            ...(msg.lastName ? { last_name: msg.lastName } : {}),
            ...(msg.username ? { username: msg.username } : {}),
          },
          chat: {
            id: chatId,
            type: msg.chatType ?? 'private',
            first_name: msg.firstName ?? 'Mario',
          },
          date: msg.date ?? Math.floor(now() / 1000),
          ...(msg.text !== undefined ? { text: msg.text } : {}),
          ...(msg.caption !== undefined ? { caption: msg.caption } : {}),
          ...(msg.location ? { location: msg.location } : {}),
          ...(msg.photo ? { photo: [{ file_id: 'f', width: 90, height: 90 }] } : {}),
          ...(msg.replyTo ? { reply_to_message: { message_id: msg.replyTo } } : {}),
        },
      })
      return updateId
    },
    otherUpdate(kind: 'channel_post' | 'edited_message'): number {
      const updateId = nextUpdate++
      updates.push({
        update_id: updateId,
        [kind]: { message_id: 1, chat: { id: -100, type: 'channel' }, date: 0, text: 'x' },
      })
      return updateId
    },
    pending: () => updates.length,
    sent,
    setWebhook(on: boolean) {
      state.webhook = on
    },
  })
}
