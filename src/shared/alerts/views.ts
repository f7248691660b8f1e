/**
 * What the sending views show: the preview before confirming, and the progress
 * of an alert's delivery. Produced by the core, read by the renderer.
 */
import type { ChannelAudience, ChannelFamily, ChannelKind } from '../channels/kinds'
import type { TextCount } from '../text'
import type { OutboxState } from './outbox'
import type { SendTimeEstimate } from './send-time'
import type { AlertStatus, SkipReason, SkippedRecipient } from './types'
import type { VersionChanges } from './version-changes'

export type PreviewWarningCode =
  /** Text needs UCS-2: params { chars, segments }. */
  | 'ucs2'
  /** Too long for the channel: params { length, limit }. */
  | 'over_limit'
  /** No text for this channel. */
  | 'empty'
  /** E-mail without a subject. */
  | 'empty_subject'
  /** A `{{variable}}` was left in the text: params { name }. */
  | 'missing_value'
  /** A value of the ente (link, emergency number…) is not set in Configurazione → Ente: params { name }. */
  | 'missing_setting'
  | 'account_missing'
  | 'account_disabled'
  /** The channel takes no alert post (YouTube: only citizens' comments and the `{{youtube}}` link). */
  | 'not_a_post_channel'
  /** The account failed its last connection check: params { message }. */
  | 'account_failing'
  /** WhatsApp: the template's variables cannot be filled from this alert: params { message }. */
  | 'whatsapp_template'
  /** The calls' recording has nowhere to be published for the provider: params { message }. */
  | 'recording_unpublished'
  /** Nobody to send to on this account. */
  | 'no_recipients'
  /** Two accounts of one family reach the same people twice: params { family }. */
  | 'same_family_twice'
  /** A drill text without the drill marker: params { marker }. */
  | 'drill_marker_missing'
  /** The alert targets no account at all. */
  | 'no_targets'
  /** Lists are targeted but no account reaches people. */
  | 'lists_without_people_channel'
  /** Partners are asked to relay but the alert has no Facebook or X text to relay. */
  | 'relay_no_text'
  /** A partner cannot be reached: no admin on the alert's SMS/e-mail/Telegram accounts, no page. */
  | 'relay_unreachable'
  /** A partner asked to relay no longer exists: params { partnerId }. */
  | 'partner_missing'

export interface PreviewWarning {
  code: PreviewWarningCode
  /** Errors block the confirmation; warnings inform. */
  severity: 'error' | 'warning'
  params?: Record<string, string | number>
}

export interface SkippedSummary {
  reason: SkipReason
  count: number
}

export interface AccountPreview {
  accountId: number
  accountName: string
  kind: ChannelKind | null
  family: ChannelFamily | null
  audience: ChannelAudience | null
  enabled: boolean
  text: string
  subject?: string
  count: TextCount | null
  /** Messages this account would send (recipients, or 1 for a page). */
  messages: number
  /** Skipped list members, by reason. */
  skipped: SkippedSummary[]
  /** The first skipped members (at most 50), so the operator can see who. */
  skippedSample: SkippedRecipient[]
  /** SMS parts per message; undefined for other families. */
  segments?: number
  pricePerSegment?: number
  /**
   * SMS: segments × recipients × price per segment. Voice: every person
   * answering the first call (minutes billed whole × people × price per
   * minute). WhatsApp: recipients × price per message.
   */
  estimatedCost?: number
  /** Voice: how long the message speaks (s), and the cost if every call is tried every time. */
  spokenSeconds?: number
  /** Voice: the calls play the operator's recording (its length is `spokenSeconds`). */
  recording?: boolean
  callAttempts?: number
  estimatedCostMax?: number
  /** People channels: how long the account takes to send to everyone at its rate (see send-time.ts). */
  sendTime?: SendTimeEstimate
  warnings: PreviewWarning[]
}

/** Why a partner admin gets no relay request. */
export type RelaySkipReason =
  /** Opted out of every family the alert's accounts could reach them on. */
  | 'opted_out'
  /** No mobile number, e-mail or Telegram the alert's accounts could use. */
  | 'no_address'
  /** Already asked: the same person administers another partner asked by this alert. */
  | 'duplicate'

/** One relay request that confirming would send. */
export interface RelayMessagePreview {
  accountId: number
  family: ChannelFamily
  /** `person`: to an admin; `page`: posted directly on the partner's page. */
  destinationType: 'person' | 'page'
  contactId: number | null
  name: string | null
  /** Empty for a page. */
  address: string
}

/** A partner asked to relay: who gets the request, on which channel, and who is skipped. */
export interface RelayPreview {
  partnerId: number
  partnerName: string
  /** `direct_post` when Vedetta posts on the partner's page through its account. */
  mode: 'message_admins' | 'direct_post'
  messages: RelayMessagePreview[]
  skipped: { contactId: number; name: string; reason: RelaySkipReason }[]
  /** The ready-to-post request admins receive (page posts use the alert's own text). */
  text: string
  warnings: PreviewWarning[]
}

export interface AlertPreview {
  alertId: number
  accounts: AccountPreview[]
  /** Relay requests to partner schools (empty when none is asked); counted in the totals. */
  relays: RelayPreview[]
  /** Alert-level warnings (no targets…). */
  warnings: PreviewWarning[]
  totals: { messages: number; smsSegments: number; estimatedCost: number }
  /** False when any warning is an error: confirming would be refused. */
  ok: boolean
  /** A follow-up: what it changes against the version in force. */
  changes?: VersionChanges
}

export interface StateCount {
  accountId: number
  state: OutboxState
  count: number
}

/** Relay requests of one partner carried by one account, in one state. */
export interface RelayStateCount extends StateCount {
  partnerId: number
}

export interface FailureGroup {
  accountId: number
  code: string | null
  reason: string | null
  count: number
}

/** Rows sent but not whole, e.g. "mappa non allegata: …": the post went without its map. */
export interface WarningGroup {
  accountId: number
  warning: string
  count: number
}

export type StateCounts = Record<OutboxState, number> & { total: number }

export interface AccountProgress {
  accountId: number
  accountName: string
  counts: StateCounts
}

/** Relay requests to one partner (to its admins, or posted on its page). */
export interface PartnerProgress {
  partnerId: number
  partnerName: string
  counts: StateCounts
}

export interface AlertProgress {
  alertId: number
  status: AlertStatus
  /** End of the cancel window, epoch ms. */
  sendAfter: number | null
  /** The alert's own messages per target account (relay requests are not in these). */
  accounts: AccountProgress[]
  /**
   * Relay requests per partner, under the partner's name: the rows an operator
   * follows up by phone, apart from the alert's audience on the same account.
   */
  relays: PartnerProgress[]
  /** Every row: the alert's messages and the relay requests. */
  totals: StateCounts
  /** Failed rows grouped by the provider's reason, most frequent first. */
  failures: FailureGroup[]
  /** Sent rows with a warning (a post without its map), per account; absent: none. */
  warnings?: WarningGroup[]
}
