/**
 * The shape of an outbox row as every part of the repository reads it: the
 * stored columns, the owner columns events name, and the test for a row whose
 * alert may still be sent.
 */
import type { CallLogEntry, CallOutcomeName, OutboxKind, OutboxRow, OutboxState } from './types'

/** Who a row belongs to, as every event about it says. */
export interface RowOwner {
  id: number
  kind: OutboxKind
  alertId: number | null
  accountId: number
  citizenMessageId: number | null
  partnerId: number | null
}

/** A row as SQLite returns it, before {@link toRow} names it for callers. */
export interface RawRow {
  id: number
  kind: OutboxKind
  alert_id: number | null
  account_id: number
  contact_id: number | null
  destination_type: 'person' | 'page'
  address: string
  recipient_name: string | null
  idempotency_key: string
  state: OutboxState
  attempts: number
  next_attempt_at: number
  lease_until: number | null
  provider_id: string | null
  segments: number | null
  last_error_code: string | null
  last_error: string | null
  created_at: number
  updated_at: number
  sent_at: number | null
  delivered_at: number | null
  citizen_message_id: number | null
  partner_id: number | null
  call_attempt: number
  call_outcome: CallOutcomeName | null
  call_log: string | null
  warning: string | null
}

export const COLUMNS = `id, kind, alert_id, account_id, contact_id, destination_type, address, recipient_name,
  idempotency_key, state, attempts, next_attempt_at, lease_until, provider_id, segments,
  last_error_code, last_error, created_at, updated_at, sent_at, delivered_at, citizen_message_id,
  partner_id, call_attempt, call_outcome, call_log, warning`

/** The owner columns every lease and receipt query returns, named as {@link RowOwner}. */
export const OWNER = `o.id, o.kind, o.alert_id AS alertId, o.account_id AS accountId,
  o.citizen_message_id AS citizenMessageId, o.partner_id AS partnerId`

/** A row that belongs to no alert is never held back or cancelled by one. */
export const ALERT_ACTIVE = `(outbox.alert_id IS NULL OR EXISTS (SELECT 1 FROM alerts a
  WHERE a.id = outbox.alert_id AND a.status IN ('scheduled', 'sending')))`

export function toRow(r: RawRow): OutboxRow {
  return {
    id: r.id,
    kind: r.kind,
    alertId: r.alert_id,
    accountId: r.account_id,
    contactId: r.contact_id,
    destinationType: r.destination_type,
    address: r.address,
    recipientName: r.recipient_name,
    idempotencyKey: r.idempotency_key,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    leaseUntil: r.lease_until,
    providerId: r.provider_id,
    segments: r.segments,
    lastErrorCode: r.last_error_code,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    citizenMessageId: r.citizen_message_id,
    partnerId: r.partner_id,
    callAttempt: r.call_attempt,
    callOutcome: r.call_outcome,
    callLog: parseCallLog(r.call_log),
    warning: r.warning,
  }
}

/** The stored call log; one that does not parse (written by hand) reads as empty, not as an error. */
export function parseCallLog(text: string | null): CallLogEntry[] {
  if (!text) return []
  try {
    const v: unknown = JSON.parse(text)
    return Array.isArray(v) ? (v as CallLogEntry[]) : []
  } catch {
    return []
  }
}
