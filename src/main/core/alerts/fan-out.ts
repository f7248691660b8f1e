import { idempotencyKeyFor } from '../outbox/idempotency'
import type { NewOutboxRow, OutboxRepository } from '../outbox/outbox-repository'
import type { PlannedDestination } from './preview'
import type { Alert } from './types'

/** Rows written per account by a fan-out. */
export type FanOutCounts = Map<number, number>

/**
 * Writes one outbox row per (account, destination), each with its idempotency
 * key, all due at `sendAfter`. Must run inside the confirmation's transaction:
 * a failure half-way writes nothing.
 */
export function fanOut(
  outbox: OutboxRepository,
  alert: Alert,
  destinations: Map<number, PlannedDestination[]>,
  sendAfter: number,
  now: number,
  /** Claim order of the rows (outbox/priority.ts). */
  priority: number,
): FanOutCounts {
  const counts: FanOutCounts = new Map()
  for (const [accountId, list] of destinations) {
    const rows: NewOutboxRow[] = list.map((d) =>
      d.type === 'page'
        ? {
            alertId: alert.id,
            accountId,
            contactId: null,
            destinationType: 'page',
            address: '',
            recipientName: null,
            idempotencyKey: idempotencyKeyFor(alert.identifier, accountId, null),
          }
        : {
            alertId: alert.id,
            accountId,
            contactId: d.contactId,
            destinationType: 'person',
            address: d.address,
            recipientName: d.name,
            idempotencyKey: idempotencyKeyFor(alert.identifier, accountId, d.address),
          },
    )
    outbox.insertRows(rows, sendAfter, now, priority)
    counts.set(accountId, rows.length)
  }
  return counts
}
