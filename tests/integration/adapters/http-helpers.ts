import { afterEach, expect } from 'vitest'
import type { OutgoingMessage, SendOutcome } from '../../../src/main/core/channels/adapter'

/** Shared bits of the HTTP adapter tests: cleanup, messages, secret checks. */

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Registers something to close after the current test. */
export function track<T extends { close(): Promise<void> }>(thing: T): T {
  cleanups.push(() => thing.close())
  return thing
}

let counter = 0

/** An outbox message to a person. */
export function toPerson(
  address: string,
  text: string,
  extra: Partial<OutgoingMessage> = {},
): OutgoingMessage {
  counter++
  return {
    idempotencyKey: `row-${counter}`,
    destination: { type: 'person', address },
    text,
    ...extra,
  }
}

/** An outbox message to the account's own page or profile. */
export function toPage(text: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  counter++
  return { idempotencyKey: `row-${counter}`, destination: { type: 'page' }, text, ...extra }
}

/** Asserts a failure and narrows its type. */
export function expectFailure(outcome: SendOutcome): Extract<SendOutcome, { status: 'failed' }> {
  expect(outcome.status).toBe('failed')
  if (outcome.status !== 'failed') throw new Error('expected a failure')
  return outcome
}

/** Nothing the operator or the log sees may contain a secret. */
export function expectNoSecrets(value: unknown, secrets: string[]): void {
  const text = JSON.stringify(value)
  for (const secret of secrets) expect(text).not.toContain(secret)
}
