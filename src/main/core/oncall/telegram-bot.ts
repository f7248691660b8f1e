import { clip, DEFAULT_TIMEOUT_MS, httpRequest, joinUrl, Redactor } from '../channels/adapters/http'
import { numberField, stringField } from '../channels/adapters/http-errors'

/**
 * The room's bot speaking to people on call: a message with inline buttons,
 * the answer to a button press, and buttons taken away once the page is over.
 * The token is part of every URL, so URLs are never shown: failures carry
 * Telegram's own description, redacted, for the journal.
 */

export interface InlineButton {
  text: string
  /** At most 64 bytes (Bot API). */
  callbackData: string
}

export type BotAnswer<T> =
  | { ok: true; result: T }
  | {
      ok: false
      /** Telegram's error_code, or 0 when no answer came. */
      status: number
      /** Redacted, short: what Telegram said, or why nothing came back. */
      reason: string
    }

export interface TelegramBot {
  sendMessage(
    chatId: string,
    text: string,
    keyboard?: InlineButton[][],
  ): Promise<BotAnswer<{ messageId: number }>>
  /** Stops the spinner on the phone; `text` shows as a toast (or a dialog with `alert`). */
  answerCallbackQuery(id: string, text: string, alert?: boolean): Promise<BotAnswer<true>>
  /** Removes a message's inline keyboard. */
  removeKeyboard(chatId: string, messageId: number): Promise<BotAnswer<true>>
  /** Replaces a message's inline keyboard (the taker of a page keeps «Apri bozza»). */
  setKeyboard(
    chatId: string,
    messageId: number,
    keyboard: InlineButton[][],
  ): Promise<BotAnswer<true>>
  /** Deletes a message in a private chat (one that carried a PIN), within Telegram's 48 hours. */
  deleteMessage(chatId: string, messageId: number): Promise<BotAnswer<true>>
}

/** Bot API limits on an answer's text and a button's data. */
export const MAX_CALLBACK_ANSWER = 200
export const MAX_CALLBACK_DATA_BYTES = 64
const MAX_MESSAGE = 4096

export function createTelegramBot(options: {
  baseUrl: string
  token: string
  fetch?: typeof fetch
  timeoutMs?: number
}): TelegramBot {
  const redactor = new Redactor([options.token])
  const fetchImpl = options.fetch ?? fetch

  async function call<T>(
    method: string,
    payload: Record<string, unknown>,
    read: (result: unknown) => T | undefined,
  ): Promise<BotAnswer<T>> {
    const res = await httpRequest(
      joinUrl(options.baseUrl, `bot${options.token}/${method}`),
      {
        method: 'POST',
        body: JSON.stringify(payload),
        headers: { 'Content-Type': 'application/json' },
      },
      { fetch: fetchImpl, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
    )
    if (res.type !== 'response')
      return { ok: false, status: 0, reason: redactor.redact(clip(`Telegram: ${res.message}`)) }
    const okField = (res.json as { ok?: unknown } | undefined)?.ok
    if (res.status === 200 && okField === true) {
      const value = read((res.json as { result?: unknown }).result)
      if (value !== undefined) return { ok: true, result: value }
    }
    const description =
      stringField(res.json, 'description') ?? (okField === true ? 'risposta illeggibile' : res.text)
    return {
      ok: false,
      status: numberField(res.json, 'error_code') ?? res.status,
      reason: redactor.redact(clip(`Telegram: ${description || `HTTP ${res.status}`}`)),
    }
  }

  return {
    sendMessage(chatId, text, keyboard) {
      return call(
        'sendMessage',
        {
          chat_id: chatId,
          text: text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text,
          ...(keyboard
            ? {
                reply_markup: {
                  inline_keyboard: keyboard.map((row) =>
                    row.map((b) => ({ text: b.text, callback_data: b.callbackData })),
                  ),
                },
              }
            : {}),
        },
        (result) => {
          const id = numberField(result, 'message_id')
          return id === undefined ? undefined : { messageId: id }
        },
      )
    },
    answerCallbackQuery(id, text, alert = false) {
      return call(
        'answerCallbackQuery',
        {
          callback_query_id: id,
          text:
            text.length > MAX_CALLBACK_ANSWER ? `${text.slice(0, MAX_CALLBACK_ANSWER - 1)}…` : text,
          ...(alert ? { show_alert: true } : {}),
        },
        (result) => (result === true ? true : undefined),
      )
    },
    removeKeyboard(chatId, messageId) {
      return call(
        'editMessageReplyMarkup',
        { chat_id: chatId, message_id: messageId, reply_markup: { inline_keyboard: [] } },
        // The edited message, or true for inline messages.
        (result) => (result === undefined || result === null ? undefined : true),
      )
    },
    setKeyboard(chatId, messageId, keyboard) {
      return call(
        'editMessageReplyMarkup',
        {
          chat_id: chatId,
          message_id: messageId,
          reply_markup: {
            inline_keyboard: keyboard.map((row) =>
              row.map((b) => ({ text: b.text, callback_data: b.callbackData })),
            ),
          },
        },
        (result) => (result === undefined || result === null ? undefined : true),
      )
    },
    deleteMessage(chatId, messageId) {
      return call('deleteMessage', { chat_id: chatId, message_id: messageId }, (result) =>
        result === true ? true : undefined,
      )
    },
  }
}
