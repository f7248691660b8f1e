/**
 * The citizens' inbox: what citizens say back on our channels (comments,
 * mentions, replies to SMS, messages to the bot), as the core stores it and the
 * "Cittadini" panel shows it. Citizen text is untrusted: it is stored as
 * received (bounded) and only ever displayed through `toDisplayTokens`.
 */

/** Where a citizen message came from. */
export const CITIZEN_FAMILIES = [
  'facebook',
  'x',
  'mastodon',
  'sms',
  'telegram',
  'email',
  'youtube',
] as const
export type CitizenFamily = (typeof CITIZEN_FAMILIES)[number]

/** Triage states, in the order the panel lists them. */
export const CITIZEN_STATES = ['nuovo', 'visto', 'da_rispondere', 'risposto', 'segnalato'] as const
export type CitizenState = (typeof CITIZEN_STATES)[number]

/** What a message is about, set by an operator (or a drill). `voce` = rumour. */
export const CITIZEN_CATEGORIES = ['domanda', 'voce', 'lamentela', 'richiesta_aiuto'] as const
export type CitizenCategory = (typeof CITIZEN_CATEGORIES)[number]

/** Why a text deserves a second look before anyone acts on it (see `toDisplayTokens`). */
export const SUSPICION_KINDS = [
  /** Looks like HTML or script markup. */
  'markup',
  /** Contains a `javascript:`, `data:` or `vbscript:` address. */
  'script_link',
  /** Bidirectional override or isolate controls (they can reorder what is shown). */
  'bidi_control',
  /** Zero-width or invisible characters (they can hide words or split them). */
  'invisible',
  /** A link whose host is spelled with punycode or mixes scripts (look-alike domains). */
  'lookalike_link',
  /** Control characters other than line breaks and tabs. */
  'control',
  /** The stored text was cut because it was too long. */
  'truncated',
  /** Very many emoji or repeated symbols (floods). */
  'flood',
] as const
export type SuspicionKind = (typeof SUSPICION_KINDS)[number]

/** Facts about one message that do not deserve a column. */
export interface CitizenFlags {
  /** Set when the text was cut at ingest: how long the original was (UTF-16 units). */
  truncatedFrom?: number
  /** Suspicion found in the text at ingest. */
  suspicious?: SuspicionKind[]
  /** A public address of the comment or post, when the provider gives one. */
  permalink?: string
  /** Telegram: the chat the message came from (replies go there). */
  chatId?: string
  /** Mastodon: the author's account as `user@instance` (replies mention it). */
  acct?: string
}

export interface CitizenMessage {
  id: number
  family: CitizenFamily
  /** The channel account it came from; null when that account was deleted. */
  accountId: number | null
  /** The provider's id (status, tweet, comment, Telegram chat:message, gateway message id). */
  externalId: string
  /** Conversation / post the message belongs to (X conversation, Facebook post). */
  threadId: string | null
  /** The provider id of what it answers (our post, a tweet, a status). */
  inReplyTo: string | null
  authorName: string | null
  /** @handle, Telegram username, or E.164 phone number for SMS. */
  authorHandle: string | null
  authorContactId: number | null
  /** As received, cut at {@link MAX_STORED_TEXT} with a marker. Render with `toDisplayTokens`. */
  text: string
  /** UTC ISO 8601 with milliseconds: when the citizen wrote it (fetch time when unknown). */
  receivedAt: string
  fetchedAt: string
  state: CitizenState
  assignedTo: string | null
  category: CitizenCategory | null
  alertId: number | null
  replyOutboxId: number | null
  flags: CitizenFlags
}

/** What one triage step changed (append-only history). */
export type TriageAction = 'state' | 'assign' | 'category' | 'alert' | 'reply'

export interface TriageEntry {
  id: number
  messageId: number
  at: string
  actor: string
  action: TriageAction
  from: string | null
  to: string | null
  /** Reply entries: the outbox row that carries the answer. */
  outboxId?: number
}

export interface CitizenMessageDetail extends CitizenMessage {
  history: TriageEntry[]
}

/** One page, newest first; `nextCursor` is null on the last page. */
export interface CitizenPage {
  items: CitizenMessage[]
  nextCursor: string | null
}

export type CitizenStateCounts = Record<CitizenState, number>

/** Stored text longer than this (UTF-16 units) is cut and marked. */
export const MAX_STORED_TEXT = 64 * 1024

/** Payload of `citizens:received`: the messages that were new in one ingest. */
export interface CitizensReceivedEvent {
  messages: CitizenMessage[]
}

/** Payload of `citizens:changed`: which messages changed and how, in one operation. */
export interface CitizensChangedEvent {
  ids: number[]
  actor: string
  state?: CitizenState
  /** Present when the assignee changed (null = unassigned). */
  assignedTo?: string | null
  category?: CitizenCategory | null
  alertId?: number | null
  replyOutboxId?: number
}

/** The events the inbox emits, by name (the contract lists them with these payloads). */
export interface CitizensEvents {
  'citizens:received': CitizensReceivedEvent
  'citizens:changed': CitizensChangedEvent
}
