import type { ContactFamily, SkipReason } from '../contacts/types'
import type { AlertTargets, AlertTexts, ComuneRef } from './alert-schema'
import type { AlertKind, AlertLevel } from '../templates/alert-kinds'

export const ALERT_STATUSES = [
  'draft',
  'scheduled',
  'sending',
  'done',
  'cancelled',
  'stopped',
] as const
/**
 * draft → scheduled (confirmed, in its cancel window) → sending → done;
 * scheduled → cancelled (within the window); sending → stopped (queued rows cancelled).
 */
export type AlertStatus = (typeof ALERT_STATUSES)[number]

export type AlertMsgType = 'Alert' | 'Update' | 'Cancel'
export type AlertMode = 'real' | 'drill'

export interface Alert {
  id: number
  /** CAP identifier, also the stem of every outbox idempotency key. */
  identifier: string
  kind: AlertKind
  level: AlertLevel
  comuni: ComuneRef[]
  /** ISO 8601 (UTC). */
  validFrom: string
  validTo: string
  headline: string
  description: string
  instruction: string
  msgType: AlertMsgType
  /** The alert this one updates or closes (Update / Cancel). */
  referencesAlertId: number | null
  texts: AlertTexts
  targets: AlertTargets
  status: AlertStatus
  mode: AlertMode
  createdBy: string
  createdAt: string
  updatedAt: string
  confirmedBy: string | null
  confirmedAt: string | null
  /** End of the cancel window, epoch ms; null for drafts. */
  sendAfter: number | null
  finishedAt: string | null
  /**
   * The operator said at confirmation to call at once even in the voice accounts' night
   * hours (which otherwise hold a yellow alert's calls until the morning).
   */
  callsAtNight: boolean
}

/** An alert's status changed (saved, confirmed, cancelled, started, done…). */
export interface AlertChange {
  alertId: number
  status: AlertStatus
  /** What happened, e.g. `created`, `updated`, `confirmed`, `cancelled`, `stopped`, `sending`, `done`. */
  change: string
}

/** Why a list member gets no message on a channel: the lists area's own reasons. */
export type { SkipReason } from '../contacts/types'

/** Families whose accounts reach people from lists (the others post to a page). */
export type PeopleFamily = ContactFamily

export interface Recipient {
  contactId: number
  /** E.164 phone, e-mail address or Telegram chat id, as the channel family needs. */
  address: string
  name?: string
}

export interface SkippedRecipient {
  contactId: number
  reason: SkipReason
  name?: string
  address?: string | null
}

/** What the lists area answers for some lists on one family (its own type is compatible). */
export interface ResolvedRecipients {
  recipients: Recipient[]
  skipped: SkippedRecipient[]
}

/** The lists area's recipient resolution, injected so alerts do not depend on its code. */
export type ResolveRecipients = (
  listIds: readonly number[],
  family: PeopleFamily,
  /** `voiceToo`: the alert also calls, so whoever prefers a call gets no SMS. */
  options?: { voiceToo?: boolean },
) => ResolvedRecipients
