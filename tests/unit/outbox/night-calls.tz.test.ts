import { describe, expect, it } from 'vitest'
import { parseQuietHours } from '../../../src/main/core/channels/adapters/call-policy'
import { nightWait } from '../../../src/main/core/outbox/night-calls'
import type { CallPolicy } from '../../../src/main/core/channels/adapter'

/** Run under UTC, New York and Rome (vitest.config.ts): the night is Rome's, whatever the zone. */

const policy = (quiet: string): CallPolicy => ({
  attempts: 3,
  intervalMs: 600_000,
  maxConcurrentCalls: 10,
  quietHours: parseQuietHours(quiet),
})
const at = (iso: string) => Date.parse(iso)

describe('night hours of a voice account', () => {
  it('holds a yellow alert at 23:30 in Rome until 07:00 the next morning', () => {
    // 22:30 UTC on 3 December is 23:30 in Rome.
    expect(nightWait(policy('22:00-07:00'), 'giallo', at('2026-12-03T22:30:00Z'))).toBe(
      at('2026-12-04T06:00:00Z'),
    )
    // 02:15 in Rome (01:15 UTC): the same morning.
    expect(nightWait(policy('22:00-07:00'), 'verde', at('2026-12-04T01:15:00Z'))).toBe(
      at('2026-12-04T06:00:00Z'),
    )
  })

  it('lets orange and red alerts ring at any hour, and any alert by day', () => {
    for (const level of ['arancione', 'rosso'] as const)
      expect(nightWait(policy('22:00-07:00'), level, at('2026-12-04T01:15:00Z'))).toBeNull()
    // 12:00 in Rome.
    expect(nightWait(policy('22:00-07:00'), 'giallo', at('2026-12-04T11:00:00Z'))).toBeNull()
    // 07:00 in Rome is morning already.
    expect(nightWait(policy('22:00-07:00'), 'giallo', at('2026-12-04T06:00:00Z'))).toBeNull()
  })

  it('reads the hours on Rome’s summer clock too', () => {
    // 21:30 UTC in July is 23:30 in Rome (UTC+2): night; 07:00 Rome is 05:00 UTC.
    expect(nightWait(policy('22:00-07:00'), 'giallo', at('2026-07-10T21:30:00Z'))).toBe(
      at('2026-07-11T05:00:00Z'),
    )
  })

  it('has no night when the setting is empty, and nights that do not span midnight work too', () => {
    expect(nightWait(policy(''), 'giallo', at('2026-12-04T01:15:00Z'))).toBeNull()
    expect(nightWait(policy('01:00-05:30'), 'giallo', at('2026-12-04T01:15:00Z'))).toBe(
      at('2026-12-04T04:30:00Z'),
    )
    expect(nightWait(policy('01:00-05:30'), 'giallo', at('2026-12-03T23:15:00Z'))).toBeNull()
  })

  it('refuses night hours it cannot read, naming the setting', () => {
    expect(() => parseQuietHours('dalle 22')).toThrow(/Ore notturne non valide: «dalle 22»/)
  })
})
