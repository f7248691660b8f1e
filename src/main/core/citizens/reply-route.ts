import type { Destination } from '../channels/adapter'
import type { CitizenFamily, CitizenMessage } from '../../../shared/citizens/types'

/**
 * Where an answer to a citizen goes, on the channel the message came from:
 * a person (SMS number, Telegram chat, e-mail address) or our own page/profile
 * as a reply in the thread (X, Mastodon, Facebook comment).
 */
export interface ReplyRoute {
  destination: Destination
  /** The provider id the answer follows up (tweet, status, comment, Telegram message). */
  inReplyTo?: string
  /** The text actually sent (Mastodon replies mention the author, or the author is not notified). */
  text: string
}

const E164 = /^\+[1-9]\d{5,14}$/
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/

/** Why a message cannot be answered on its channel, for the operator. */
export class NoReplyRoute extends Error {
  override name = 'NoReplyRoute'
}

function mastodonText(acct: string | undefined, text: string): string {
  if (!acct) return text
  const mention = `@${acct.replace(/^@/, '')}`
  return text.toLowerCase().includes(mention.toLowerCase()) ? text : `${mention} ${text}`
}

/** Works out the destination of a reply; throws {@link NoReplyRoute} when the message lacks what it needs. */
export function replyRoute(message: CitizenMessage, text: string): ReplyRoute {
  const family: CitizenFamily = message.family
  const handle = message.authorHandle ?? ''
  switch (family) {
    case 'sms':
      if (!E164.test(handle))
        throw new NoReplyRoute('Numero del mittente sconosciuto: impossibile rispondere via SMS')
      return {
        destination: {
          type: 'person',
          address: handle,
          ...(message.authorName ? { name: message.authorName } : {}),
        },
        text,
      }
    case 'email':
      if (!EMAIL.test(handle))
        throw new NoReplyRoute('Indirizzo del mittente non valido: impossibile rispondere')
      return {
        destination: {
          type: 'person',
          address: handle,
          ...(message.authorName ? { name: message.authorName } : {}),
        },
        text,
      }
    case 'telegram': {
      const chatId = message.flags.chatId ?? message.externalId.split(':')[0]
      if (!chatId) throw new NoReplyRoute('Chat Telegram sconosciuta: impossibile rispondere')
      const messageId = message.externalId.split(':')[1]
      return {
        destination: { type: 'person', address: chatId },
        ...(messageId ? { inReplyTo: messageId } : {}),
        text,
      }
    }
    case 'x':
    case 'facebook':
      return { destination: { type: 'page' }, inReplyTo: message.externalId, text }
    // YouTube threads are one level deep: every answer goes under the thread's top comment.
    case 'youtube':
      return {
        destination: { type: 'page' },
        inReplyTo: message.threadId ?? message.externalId,
        text,
      }
    case 'mastodon':
      return {
        destination: { type: 'page' },
        inReplyTo: message.externalId,
        text: mastodonText(message.flags.acct ?? (handle || undefined), text),
      }
  }
}
