import { randomUUID } from 'node:crypto'

/**
 * A new CAP identifier: unique across every Vedetta workspace and drill (a
 * random UUID), and free of the characters CAP forbids (spaces, commas, `<`, `&`).
 * It is also the stem of every outbox idempotency key of the alert.
 */
export function newAlertIdentifier(): string {
  return `vedetta-${randomUUID()}`
}
