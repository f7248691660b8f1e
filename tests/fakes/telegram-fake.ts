import {
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type MultipartBody,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Telegram Bot API: `/bot<token>/<method>` URLs, `{ok, result}` and
 * `{ok:false, error_code, description, parameters}` answers as Telegram sends
 * them, the 4096-unit limit, chats the bot was kicked from or that migrated to
 * a supergroup, and 429 with `parameters.retry_after`.
 *
 * Inline keyboards as the Bot API checks them (an array of arrays of buttons,
 * each with its text and one action; `callback_data` of 1–64 bytes), a person
 * pressing a button (a `callback_query` update, delivered by `getUpdates` with
 * Telegram's offset and `allowed_updates` semantics), `answerCallbackQuery`
 * (once per query, while the query is fresh, text up to 200 characters) and
 * `editMessageReplyMarkup` (a message that exists, a markup that changes).
 *
 * People write to the bot in their private chat (`say`); `deleteMessage` takes a message
 * out of its chat (the bot may delete what people wrote in a private chat), and what is
 * left is what the phone still shows (`said`).
 *
 * `sendPhoto` as a multipart upload (`photo` file, `caption` up to 1024 characters,
 * `reply_parameters` as JSON text, as multipart fields are).
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

export interface FakeInlineButton {
  text: string
  callbackData: string
}

export interface FakeTelegramMessage {
  chatId: string
  messageId: number
  text: string
  replyTo?: number
  /** The inline keyboard the message carries now (removed by editMessageReplyMarkup). */
  keyboard?: FakeInlineButton[][]
  /** A photo message (`sendPhoto`): the uploaded file; `text` is its caption. */
  photo?: { filename: string; type: string; bytes: Buffer }
}

export interface FakeCallbackAnswer {
  callbackQueryId: string
  text?: string
  showAlert: boolean
}

export interface FakeTelegram extends FakeHttpServer {
  token: string
  chats: Map<string, FakeTelegramChat>
  messages: FakeTelegramMessage[]
  addChat(chat: FakeTelegramChat): void
  /** A person's private chat with the bot (they pressed Start): the bot can write to them. */
  addPerson(chatId: string, firstName: string): void
  /**
   * The person of chat `chatId` presses the button labelled `buttonText` on a message:
   * a callback_query update waits for getUpdates. Returns the callback query's id.
   * @throws when the message has no such button (any more).
   */
  press(chatId: string, messageId: number, buttonText: string): string
  /**
   * The person of private chat `chatId` writes `text` to the bot: a `message` update waits
   * for getUpdates. Returns the update as queued (to replay it) and its message_id.
   */
  say(chatId: string, text: string): { update: Record<string, unknown>; messageId: number }
  /** What people wrote to the bot with `say` and is still in their chat (not deleted). */
  said(chatId: string): FakeTelegramMessage[]
  /** Puts an update as is in the queue (a forged press, a press replayed); returns its update_id. */
  pushUpdate(update: Record<string, unknown>): number
  /** Updates not yet confirmed by an offset. */
  pending(): number
  /** Every answerCallbackQuery accepted, in order. */
  answers: FakeCallbackAnswer[]
  /** Messages sent to one chat, in order. */
  messagesTo(chatId: string): FakeTelegramMessage[]
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
  /** The fake's clock, for message dates and the age of callback queries (epoch ms). */
  now?: () => number
  /** How long a callback query can be answered (Telegram's is short and unpublished); default 10 min. */
  answerWindowMs?: number
}

const encoder = new TextEncoder()

/** The Bot API's check of `reply_markup` for an inline keyboard; undefined when it is valid. */
function keyboardError(markup: unknown): string | undefined {
  if (typeof markup !== 'object' || markup === null)
    return "Bad Request: can't parse reply keyboard markup JSON object"
  const rows = (markup as { inline_keyboard?: unknown }).inline_keyboard
  if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r)))
    return 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (typeof button !== 'object' || button === null)
        return "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object"
      const b = button as Record<string, unknown>
      if (typeof b.text !== 'string' || b.text === '')
        return 'Bad Request: can\'t parse inline keyboard button: Field "text" must be of type String'
      if (b.callback_data === undefined && b.url === undefined)
        return "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
      if (b.callback_data !== undefined) {
        const data = b.callback_data
        const bytes = typeof data === 'string' ? encoder.encode(data).length : 0
        if (bytes < 1 || bytes > 64) return 'Bad Request: BUTTON_DATA_INVALID'
      }
    }
  }
  return undefined
}

function readKeyboard(markup: unknown): FakeInlineButton[][] {
  const rows = (markup as { inline_keyboard: Record<string, unknown>[][] }).inline_keyboard
  return rows
    .map((row) =>
      row
        .filter((b) => typeof b.callback_data === 'string')
        .map((b) => ({ text: String(b.text), callbackData: String(b.callback_data) })),
    )
    .filter((row) => row.length > 0)
}

/** Starts the fake Bot API on 127.0.0.1, with one channel `@pc_empolese`. */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = options.token ?? '123456789:AAFakeTokenForTestsOnly_abcdefghijk'
  const now = options.now ?? Date.now
  const answerWindowMs = options.answerWindowMs ?? 10 * 60_000
  const chats = new Map<string, FakeTelegramChat>()
  const messages: FakeTelegramMessage[] = []
  const answers: FakeCallbackAnswer[] = []
  /** Callback queries handed out: when, and whether answered. */
  const queries = new Map<string, { at: number; answered: boolean }>()
  let updates: Record<string, unknown>[] = []
  let nextUpdate = 700_000
  let nextQuery = 4_000_000_000_000_000_000n
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
    if (body.reply_markup !== undefined) {
      const error = keyboardError(body.reply_markup)
      if (error) return tgError(400, error)
    }
    const keyboard = body.reply_markup === undefined ? [] : readKeyboard(body.reply_markup)
    const message: FakeTelegramMessage = {
      chatId: chat.id,
      messageId: nextId++,
      text,
      ...(replyTo ? { replyTo } : {}),
      ...(keyboard.length ? { keyboard } : {}),
    }
    messages.push(message)
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: message.messageId,
          chat: { id: chat.id, title: chat.title, type: chat.type },
          date: Math.floor(now() / 1000),
          text,
          ...(body.reply_markup === undefined ? {} : { reply_markup: body.reply_markup }),
        },
      },
    }
  }

  function sendPhoto(body: unknown): FakeReply {
    const form = body as Partial<MultipartBody> | undefined
    if (!form?.multipart) return tgError(400, 'Bad Request: there is no photo in the request')
    const fields = form.fields ?? {}
    const chat = chats.get(String(fields.chat_id))
    if (!chat) return tgError(400, 'Bad Request: chat not found')
    if (chat.kicked) return tgError(403, `Forbidden: bot was kicked from the ${chat.type} chat`)
    const photo = form.files?.photo
    if (!photo) return tgError(400, 'Bad Request: there is no photo in the request')
    if (!photo.type.startsWith('image/') || photo.bytes.subarray(1, 4).toString() !== 'PNG')
      return tgError(400, 'Bad Request: IMAGE_PROCESS_FAILED')
    const caption = fields.caption ?? ''
    if (caption.length > 1024) return tgError(400, 'Bad Request: message caption is too long')
    let replyTo: number | undefined
    if (fields.reply_parameters !== undefined) {
      try {
        replyTo = (JSON.parse(fields.reply_parameters) as { message_id?: number }).message_id
      } catch {
        return tgError(400, "Bad Request: can't parse reply parameters JSON object")
      }
    }
    const message: FakeTelegramMessage = {
      chatId: chat.id,
      messageId: nextId++,
      text: caption,
      photo,
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
          date: Math.floor(now() / 1000),
          photo: [{ file_id: `photo-${message.messageId}`, width: 1200, height: 675 }],
          ...(caption ? { caption } : {}),
        },
      },
    }
  }

  function getUpdates(req: RecordedRequest, body: Record<string, unknown>): FakeReply {
    // Parameters come in the query string (GET) or the body (POST), as the Bot API takes both.
    const param = (name: string): string | undefined => {
      const v = req.query[name] ?? body[name]
      return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v)
    }
    const limit = Math.min(100, Math.max(1, Number(param('limit') ?? 100) || 100))
    const offset = param('offset') === undefined ? undefined : Number(param('offset'))
    // Confirmation: everything below the offset is gone for good.
    if (offset !== undefined) updates = updates.filter((u) => (u.update_id as number) >= offset)
    let allowed: string[] | undefined
    const raw = param('allowed_updates')
    if (raw !== undefined) {
      try {
        allowed = JSON.parse(raw) as string[]
      } catch {
        return tgError(400, "Bad Request: can't parse allowed updates")
      }
    }
    const visible = updates.filter(
      (u) => !allowed || allowed.length === 0 || allowed.some((k) => k in u),
    )
    return { status: 200, body: { ok: true, result: visible.slice(0, limit) } }
  }

  function answerCallbackQuery(body: Record<string, unknown>): FakeReply {
    const id = body.callback_query_id
    if (typeof id !== 'string' || id === '') return tgError(400, 'Bad Request: QUERY_ID_INVALID')
    const query = queries.get(id)
    if (!query || query.answered || now() - query.at > answerWindowMs)
      return tgError(
        400,
        'Bad Request: query is too old and response timeout expired or query ID is invalid',
      )
    const text = body.text
    if (text !== undefined && typeof text !== 'string')
      return tgError(400, 'Bad Request: field "text" must be of type String')
    if (typeof text === 'string' && [...text].length > 200)
      return tgError(400, 'Bad Request: MESSAGE_TOO_LONG')
    query.answered = true
    answers.push({
      callbackQueryId: id,
      ...(typeof text === 'string' ? { text } : {}),
      showAlert: body.show_alert === true,
    })
    return { status: 200, body: { ok: true, result: true } }
  }

  function editMessageReplyMarkup(body: Record<string, unknown>): FakeReply {
    const message = messages.find(
      (m) => m.chatId === String(body.chat_id) && m.messageId === Number(body.message_id),
    )
    if (!message) return tgError(400, 'Bad Request: message to edit not found')
    if (body.reply_markup !== undefined) {
      const error = keyboardError(body.reply_markup)
      if (error) return tgError(400, error)
    }
    const keyboard = body.reply_markup === undefined ? [] : readKeyboard(body.reply_markup)
    if (JSON.stringify(keyboard) === JSON.stringify(message.keyboard ?? []))
      return tgError(
        400,
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      )
    if (keyboard.length) message.keyboard = keyboard
    else delete message.keyboard
    const chat = chats.get(message.chatId)
    return {
      status: 200,
      body: {
        ok: true,
        result: {
          message_id: message.messageId,
          chat: { id: message.chatId, type: chat?.type ?? 'private' },
          date: Math.floor(now() / 1000),
          text: message.text,
        },
      },
    }
  }

  function pushUpdate(update: Record<string, unknown>): number {
    const updateId = nextUpdate++
    updates.push({ ...update, update_id: updateId })
    return updateId
  }

  const written: FakeTelegramMessage[] = []

  function say(chatId: string, text: string) {
    const chat = chats.get(chatId)
    const messageId = nextId++
    written.push({ chatId, messageId, text })
    const update = {
      message: {
        message_id: messageId,
        from: { id: Number(chatId), is_bot: false, first_name: chat?.title ?? 'Persona' },
        chat: { id: Number(chatId), type: chat?.type ?? 'private', first_name: chat?.title },
        date: Math.floor(now() / 1000),
        text,
      },
    }
    const updateId = pushUpdate(update)
    return { update: { ...update, update_id: updateId }, messageId }
  }

  function press(chatId: string, messageId: number, buttonText: string): string {
    const message = messages.find((m) => m.chatId === chatId && m.messageId === messageId)
    const button = message?.keyboard?.flat().find((b) => b.text === buttonText)
    if (!message || !button)
      throw new Error(`no button «${buttonText}» on message ${messageId} in chat ${chatId}`)
    const chat = chats.get(chatId)
    const id = String(nextQuery++)
    queries.set(id, { at: now(), answered: false })
    pushUpdate({
      callback_query: {
        id,
        from: { id: Number(chatId), is_bot: false, first_name: chat?.title ?? 'Persona' },
        message: {
          message_id: message.messageId,
          from: { id: 123456789, is_bot: true, first_name: 'Vedetta', username: 'VedettaPcBot' },
          chat: { id: Number(chatId), type: chat?.type ?? 'private', first_name: chat?.title },
          date: Math.floor(now() / 1000),
          text: message.text,
        },
        chat_instance: `ci${chatId}`,
        data: button.callbackData,
      },
    })
    return id
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
      case 'sendPhoto':
        return sendPhoto(req.body)
      case 'getUpdates':
        return getUpdates(req, body)
      case 'answerCallbackQuery':
        return answerCallbackQuery(body)
      case 'editMessageReplyMarkup':
        return editMessageReplyMarkup(body)
      case 'deleteMessage': {
        const at = [written, messages].map((list) =>
          list.findIndex(
            (m) => m.chatId === String(body.chat_id) && m.messageId === Number(body.message_id),
          ),
        )
        if (at[0] === -1 && at[1] === -1)
          return tgError(400, 'Bad Request: message to delete not found')
        if (at[0] !== -1) written.splice(at[0]!, 1)
        else messages.splice(at[1]!, 1)
        return { status: 200, body: { ok: true, result: true } }
      }
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
    { isSend: (req) => /\/send(Message|Photo)$/.test(req.path) },
  )
  return {
    ...server,
    token,
    chats,
    messages,
    addChat,
    addPerson: (chatId, firstName) => addChat({ id: chatId, title: firstName, type: 'private' }),
    press,
    say,
    said: (chatId) => written.filter((m) => m.chatId === chatId),
    pushUpdate,
    pending: () => updates.length,
    answers,
    messagesTo: (chatId) => messages.filter((m) => m.chatId === chatId),
  }
}
