import type { CitizenFamily, CitizenFlags } from '../../../shared/citizens/types'

/**
 * One message as an inbound poller (or the SMPP hook, or a drill) hands it to
 * the inbox. Text is taken as received: the inbox bounds it, never trusts it.
 */
export interface IncomingCitizenMessage {
  family: CitizenFamily
  /** The channel account it came from (null for sources without one). */
  accountId: number | null
  /** The provider's id: the de-duplication key with family and account. */
  externalId: string
  threadId?: string | null
  inReplyTo?: string | null
  authorName?: string | null
  authorHandle?: string | null
  authorContactId?: number | null
  text: string
  /** When the citizen wrote it, any form `Date.parse` reads; fetch time when missing or invalid. */
  receivedAt?: string | null
  alertId?: number | null
  /** Provider facts the reply path needs (chat id, acct, permalink). */
  flags?: Pick<CitizenFlags, 'permalink' | 'chatId' | 'acct'>
}
