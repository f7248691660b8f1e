/**
 * The crash test's fixed story, shared by the parent (which checks) and the
 * child (which sends): two alerts, one through an idempotent SMS gateway and
 * one through Twilio, which cannot tell a resend from a new message.
 */

import type { ResolveRecipients } from '../../src/main/core/alerts/types'

/** What the parent tells each child run (as JSON in an environment variable). */
export interface ChildConfig {
  dbFile: string
  gateway: {
    accountId: number
    alertId: number
    baseUrl: string
    username: string
    password: string
    rows: number
  }
  twilio: {
    accountId: number
    alertId: number
    baseUrl: string
    accountSid: string
    authToken: string
    rows: number
  }
  /** The child's lease: short, so a restart does not wait long for a dead run's rows. */
  leaseMs: number
}

export const CONFIG_ENV = 'VEDETTA_CRASH_CONFIG'

/** List ids of the two audiences. */
export const GATEWAY_LIST = 1
export const TWILIO_LIST = 2

/** Deterministic mobile numbers: gateway people on +39333…, Twilio people on +39347…. */
export function scenarioNumbers(list: number, count: number): string[] {
  const prefix = list === GATEWAY_LIST ? '+39333' : '+39347'
  return Array.from(
    { length: count },
    (_, i) => `${prefix}${String(2_000_000 + i).padStart(7, '0')}`,
  )
}

/** The lists area's answer for the scenario's two lists. */
export function scenarioRecipients(
  config: Pick<ChildConfig, 'gateway' | 'twilio'>,
): ResolveRecipients {
  return (listIds, family) => {
    if (family !== 'sms') return { recipients: [], skipped: [] }
    return {
      recipients: listIds.flatMap((list) =>
        scenarioNumbers(list, list === GATEWAY_LIST ? config.gateway.rows : config.twilio.rows).map(
          (address, i) => ({
            contactId: list * 1_000_000 + i,
            address,
          }),
        ),
      ),
      skipped: [],
    }
  }
}
