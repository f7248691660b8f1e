/**
 * What the sending views show: the preview before confirming, and the progress
 * of an alert's delivery. Produced by the core, read by the renderer.
 */
import type { ChannelAudience, ChannelFamily, ChannelKind } from '../channels/kinds'
import type { TextCount } from '../text'
import type { OutboxState } from './outbox'
import type { AlertStatus, SkipReason, SkippedRecipient } from './types'

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
  | 'account_missing'
  | 'account_disabled'
  /** The account failed its last connection check: params { message }. */
  | 'account_failing'
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
  /** segments × recipients × price per segment. */
  estimatedCost?: number
  warnings: PreviewWarning[]
}

export interface AlertPreview {
  alertId: number
  accounts: AccountPreview[]
  /** Alert-level warnings (no targets…). */
  warnings: PreviewWarning[]
  totals: { messages: number; smsSegments: number; estimatedCost: number }
  /** False when any warning is an error: confirming would be refused. */
  ok: boolean
}

export interface StateCount {
  accountId: number
  state: OutboxState
  count: number
}

export interface FailureGroup {
  accountId: number
  code: string | null
  reason: string | null
  count: number
}

export type StateCounts = Record<OutboxState, number> & { total: number }

export interface AccountProgress {
  accountId: number
  accountName: string
  counts: StateCounts
}

export interface AlertProgress {
  alertId: number
  status: AlertStatus
  /** End of the cancel window, epoch ms. */
  sendAfter: number | null
  accounts: AccountProgress[]
  totals: StateCounts
  /** Failed rows grouped by the provider's reason, most frequent first. */
  failures: FailureGroup[]
}
