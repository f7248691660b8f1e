import { describe, expect, it } from 'vitest'
import { parseGatewayDate } from '../../../src/main/core/channels/adapters/sms-gateway'
import { toCapDateTime } from '../../../src/main/core/channels/adapters/website/cap-time'
import { formatGatewayDate } from '../../../src/main/core/citizens/inbound/sms-gateway'
import { expectMachineZone } from '../../support/zone-check'

// Run once per zone (vitest.config.ts): the gateway's dates and CAP's are Rome's
// wall clock whatever the computer is set to.
expectMachineZone()

describe('dates the SMS gateway writes, on Rome’s clock', () => {
  it('reads winter and summer times with their own offset', () => {
    expect(parseGatewayDate('20260207140000')).toBe('2026-02-07T13:00:00.000Z')
    expect(parseGatewayDate('20260715140000')).toBe('2026-07-15T12:00:00.000Z')
  })

  it('reads the hours around the clock changes as the gateway meant them', () => {
    // 29 March 2026, 02:30 does not exist in Rome: moved forward by the gap.
    expect(parseGatewayDate('20260329023000')).toBe('2026-03-29T01:30:00.000Z')
    // 25 October 2026, 02:30 happens twice: the first (summer time) is taken.
    expect(parseGatewayDate('20261025023000')).toBe('2026-10-25T00:30:00.000Z')
  })

  it('refuses what is not a date, and writes our own queries the same way', () => {
    expect(parseGatewayDate('20261345000000')).toBeUndefined()
    expect(parseGatewayDate('ieri')).toBeUndefined()
    expect(formatGatewayDate(Date.parse('2026-02-07T13:00:00Z'))).toBe('20260207140000')
    expect(formatGatewayDate(Date.parse('2026-07-15T12:00:00Z'))).toBe('20260715140000')
  })
})

describe('CAP date-times, on Rome’s clock with the offset', () => {
  it('writes the offset in force, never Z, never fractions', () => {
    expect(toCapDateTime('2026-02-07T13:00:00.250Z')).toBe('2026-02-07T14:00:00+01:00')
    expect(toCapDateTime(Date.parse('2026-07-15T12:00:00Z'))).toBe('2026-07-15T14:00:00+02:00')
    expect(toCapDateTime('2026-10-25T00:30:00Z')).toBe('2026-10-25T02:30:00+02:00')
    expect(toCapDateTime('2026-10-25T01:30:00Z')).toBe('2026-10-25T02:30:00+01:00')
    expect(toCapDateTime('non una data')).toBeUndefined()
  })
})
