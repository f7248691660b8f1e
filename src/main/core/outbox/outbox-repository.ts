/**
 * The outbox table, as one repository composed of its parts: writing rows
 * (outbox-enqueue.ts), claims and leases (outbox-claims.ts), delivery receipts
 * (outbox-receipts.ts), operator actions (outbox-operator-actions.ts) and read
 * models (outbox-read-models.ts). Each part prepares its statements once.
 */
import type { FailureGroup, RelayStateCount, StateCount } from '../../../shared/alerts/views'
import type { Db } from '../db/open'
import { createClaims } from './outbox-claims'
import { createEnqueue } from './outbox-enqueue'
import { createOperatorActions } from './outbox-operator-actions'
import type { RowOwner } from './outbox-rows'
import { createReadModels } from './outbox-read-models'
import { createReceipts } from './outbox-receipts'
import type { OutboxRow, RowChange } from './types'

export type { AppliedResult, ExpiredRow } from './outbox-claims'
export type { NewOutboxRow, NewRelayRow, NewReplyRow } from './outbox-enqueue'
export type { ReceiptDue, ReceiptUpdate } from './outbox-receipts'
export type { RowOwner } from './outbox-rows'

/** The identifying part of a change: which row, whose, and for replies and relays what for. */
export function ownerOf(
  row: RowOwner,
): Pick<RowChange, 'id' | 'kind' | 'alertId' | 'accountId' | 'citizenMessageId' | 'partnerId'> {
  return {
    id: row.id,
    kind: row.kind,
    alertId: row.alertId,
    accountId: row.accountId,
    ...(row.citizenMessageId === null ? {} : { citizenMessageId: row.citizenMessageId }),
    ...(row.partnerId === null ? {} : { partnerId: row.partnerId }),
  }
}

export function changeOf(row: OutboxRow, at: number): RowChange {
  return {
    ...ownerOf(row),
    state: row.state,
    attempts: row.attempts,
    at,
    ...(row.providerId === null ? {} : { providerId: row.providerId }),
    ...(row.lastErrorCode === null ? {} : { lastErrorCode: row.lastErrorCode }),
    ...(row.lastError === null ? {} : { lastError: row.lastError }),
  }
}

/**
 * The outbox table. Every write that moves a row out of `sending` is fenced by
 * the attempt number of its claim, so a late answer cannot overwrite a row that
 * lease recovery or the operator has since moved on.
 */
export function createOutboxRepository(db: Db) {
  return {
    ...createEnqueue(db),
    ...createClaims(db),
    ...createReceipts(db),
    ...createOperatorActions(db),
    ...createReadModels(db),
  }
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>

export type { FailureGroup, RelayStateCount, StateCount }
