import { expect } from 'vitest'

/**
 * The zone this run is meant to be in, checked against what Date really does,
 * so a zone project that silently ran in the machine's zone would fail.
 */
export function expectMachineZone(): string {
  const zone = process.env.TZ
  expect(zone, 'the wall-clock tests run with TZ set by vitest.config.ts').toBeTruthy()
  expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(zone)
  // 1 February 12:00 UTC read on the machine's clock: 12 in UTC, 7 in New York, 13 in Rome.
  const hour = new Date(Date.UTC(2026, 1, 1, 12)).getHours()
  expect(hour).toBe({ UTC: 12, 'America/New_York': 7, 'Europe/Rome': 13 }[zone!])
  return zone!
}
