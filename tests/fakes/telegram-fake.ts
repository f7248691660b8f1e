import {
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Telegram Bot API: `/bot<token>/<method>` URLs, `{ok, result}` and
 * `{ok:false, error_code, description, parameters}` answers as Telegram sends
 * them, the 4096-unit limit, chats the bot was kicked from or that migrated to
 * a supergroup, and 429 with `parameters.retry_after`.
 */

export interface FakeTelegramChat {
  id: string
  title: string
  type: 'channel' | 'group' | 'supergroup' | 'private'
  /** The bot was removed from the chat: every send gets 403. */
  kicked?: boolean
  /** A group that became a supergroup: sends get 400 with migrate_to_chat_id. */
  migratedTo?: number
}

export interface FakeTelegramMessage {
  chatId: string
  messageId: number
  text: string
  replyTo?: number
}

export interface FakeTelegram extends FakeHttpServer {
  token: string
  chats: Map<string, FakeTelegramChat>
  messages: FakeTelegramMessage[]
  addChat(chat: FakeTelegramChat): void
}

const tgError = (
  status: number,
  description: string,
  parameters?: Record<string, number>,
): FakeReply => ({
  status,
  body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
})

export interface FakeTelegramOptions {
  token?: string
}

/** Starts the fake Bot API on 127.0.0.1, with one channel `@pc_empolese`. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:AAFakeTokenForTestsOnly_abcdefghijk'
  const chats = new Map<string, FakeTelegramChat>()
  const messages: FakeTelegramMessage[] = []
  let nextId = 100

  const addChat = (chat: FakeTelegramChat) => {
    chats.set(chat.id, chat)
  }
  addChat({ id: '@pc_empolese', title: 'Protezione Civile Empolese', type: 'channel' })

  function sendMessage(body: Record<string, unknown>): FakeReply {
    const chat = chats.get(String(body.chat_id))
    if (!chat) return tgError(400, 'Bad Request: chat not found')
    if (chat.kicked) return tgError(403, `Forbidden: bot was kicked from the ${chat.type} chat`)
    if (chat.migratedTo !== undefined) {
      return tgError(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
        migrate_to_chat_id: chat.migratedTo,
      })
    }
    const text = typeof body.text === 'string' ? body.text : ''
    if (text.trim() === '') return tgError(400, 'Bad Request: message text is empty')
    if (text.length > 4096) return tgError(400, 'Bad Request: message is too long')
    const reply = body.reply_parameters as
      { message_id?: number; allow_sending_without_reply?: boolean } | undefined
    const replyTo = reply?.message_id
    if (
      replyTo !== undefined &&
      !messages.some((m) => m.messageId === replyTo) &&
      !reply?.allow_sending_without_reply
    ) {
      return tgError(400, 'Bad Request: message to be replied not found')
    }
    const message: FakeTelegramMessage = {
      chatId: chat.id,
      messageId: nextId++,
      text,
      ...(replyTo ? { replyTo } : {}),
    }
    messages.push(message)
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: message.messageId,
          chat: { id: chat.id, title: chat.title, type: chat.type },
          date: 1769180000,
          text,
        },
      },
    }
  }

  function route(req: RecordedRequest): FakeReply {
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.path)
    if (!m) return tgError(404, 'Not Found')
    if (m[1] !== token) return tgError(401, 'Unauthorized')
    const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >
    switch (m[2]) {
      case 'getMe':
        return {
          status: 200,
          body: {
            ok: true,
            result: {
              id: 123456789,
              is_bot: true,
              first_name: 'Vedetta',
              username: 'VedettaPcBot',
            },
          },
        }
      case 'getChat': {
        const chat = chats.get(String(body.chat_id))
        if (!chat) return tgError(400, 'Bad Request: chat not found')
        if (chat.kicked) return tgError(403, `Forbidden: bot was kicked from the ${chat.type} chat`)
        return {
          status: 200,
          body: { ok: true, result: { id: chat.id, title: chat.title, type: chat.type } },
        }
      }
      case 'sendMessage':
        return sendMessage(body)
      default:
        return tgError(404, 'Not Found: method not found')
    }
  }

  const server = await startFakeHttp(
    route,
    {
      rateLimited: (seconds) =>
        tgError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds }),
      serverError: (status) =>
        tgError(status, status === 502 ? 'Bad Gateway' : 'Internal Server Error'),
    },
    { isSend: (req) => req.path.endsWith('/sendMessage') },
  )
  return { ...server, token, chats, messages, addChat }
}
