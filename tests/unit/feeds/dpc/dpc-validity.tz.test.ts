import { describe, expect, it } from 'vitest'
import {
  buildCriticitaBulletin,
  criticitaValidity,
} from '../../../../src/main/core/feeds/dpc/criticita-bulletin'
import { parseCriticitaIndex } from '../../../../src/main/core/feeds/dpc/criticita-index'
import { parseCriticitaZones } from '../../../../src/main/core/feeds/dpc/criticita-zones'
import {
  buildVigilanzaBulletin,
  parseVigilanzaIndex,
  parseVigilanzaZones,
} from '../../../../src/main/core/feeds/dpc/vigilanza'
import { expectMachineZone } from '../../../support/zone-check'
import { specText } from './specs'

// Run once per zone (vitest.config.ts): validity is Rome's day whatever the computer's zone.
const zone = expectMachineZone()

/** The real 15:10 index, re-dated to another emission (stem, title and URLs alike). */
function indexAt(stem: string) {
  const [ymd, hhmm] = stem.split('_') as [string, string]
  const text = specText('criticita/20260720_1510.json')
    .replaceAll('20260720_1510', stem)
    .replace('ore 15:10', `ore ${hhmm.slice(0, 2)}:${hhmm.slice(2)}`)
    .replace(
      '"date": "2026-07-20T13:37:45.996Z"',
      `"date": "${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6)}T00:00:00Z"`,
    )
  const index = parseCriticitaIndex(text, { fileName: `${stem}.json` })
  expect(index.warnings).toEqual([])
  return index
}

const validity = (stem: string) => {
  const index = indexAt(stem)
  return {
    today: criticitaValidity(index, 'today'),
    tomorrow: criticitaValidity(index, 'tomorrow'),
  }
}

const hours = (v: { validFrom: string; validTo: string }) =>
  (Date.parse(v.validTo) - Date.parse(v.validFrom)) / 3_600_000

describe(`DPC validity on Rome's clock, on a computer set to ${zone}`, () => {
  it('the real bulletin of 20 July 2026 15:10: today until midnight, tomorrow the whole 21st', () => {
    const index = parseCriticitaIndex(specText('criticita/20260720_1510.json'))
    const { bulletin } = buildCriticitaBulletin({
      index,
      today: parseCriticitaZones(specText('criticita/geojson/20260720_1510_today.toscana.json')),
      tomorrow: parseCriticitaZones(
        specText('criticita/geojson/20260720_1510_tomorrow.toscana.json'),
      ),
    })
    const today = bulletin.areas.find((a) => a.day === 'today')!
    const tomorrow = bulletin.areas.find((a) => a.day === 'tomorrow')!
    expect([today.validFrom, today.validTo]).toEqual([
      '2026-07-20T13:10:00.000Z',
      '2026-07-20T22:00:00.000Z',
    ])
    expect([tomorrow.validFrom, tomorrow.validTo]).toEqual([
      '2026-07-20T22:00:00.000Z',
      '2026-07-21T22:00:00.000Z',
    ])
    expect(bulletin.headline).toBe('Bollettino di criticità del 20/07/2026 ore 15:10')
  })

  it('spring forward: emitted on 29 March 2026, and the day before (a 23-hour tomorrow)', () => {
    expect(validity('20260329_1510')).toEqual({
      today: { validFrom: '2026-03-29T13:10:00.000Z', validTo: '2026-03-29T22:00:00.000Z' },
      tomorrow: { validFrom: '2026-03-29T22:00:00.000Z', validTo: '2026-03-30T22:00:00.000Z' },
    })
    // 01:30 is still winter time; midnight of the same day is summer time.
    expect(validity('20260329_0130').today).toEqual({
      validFrom: '2026-03-29T00:30:00.000Z',
      validTo: '2026-03-29T22:00:00.000Z',
    })
    const before = validity('20260328_1510')
    expect(before.today).toEqual({
      validFrom: '2026-03-28T14:10:00.000Z',
      validTo: '2026-03-28T23:00:00.000Z',
    })
    expect(before.tomorrow).toEqual({
      validFrom: '2026-03-28T23:00:00.000Z',
      validTo: '2026-03-29T22:00:00.000Z',
    })
    expect(hours(before.tomorrow)).toBe(23)
  })

  it('fall back: emitted on 25 October 2026, and the day before (a 25-hour tomorrow)', () => {
    expect(validity('20261025_1510')).toEqual({
      today: { validFrom: '2026-10-25T14:10:00.000Z', validTo: '2026-10-25T23:00:00.000Z' },
      tomorrow: { validFrom: '2026-10-25T23:00:00.000Z', validTo: '2026-10-26T23:00:00.000Z' },
    })
    expect(validity('20261025_0030').today).toEqual({
      validFrom: '2026-10-24T22:30:00.000Z',
      validTo: '2026-10-25T23:00:00.000Z',
    })
    const before = validity('20261024_1510')
    expect(before.today.validTo).toBe('2026-10-24T22:00:00.000Z')
    expect(before.tomorrow).toEqual({
      validFrom: '2026-10-24T22:00:00.000Z',
      validTo: '2026-10-25T23:00:00.000Z',
    })
    expect(hours(before.tomorrow)).toBe(25)
  })

  it('vigilance: each day 00:00–24:00 in Rome', () => {
    const index = parseVigilanzaIndex(specText('vigilanza/20260720.json'))
    const tomorrow = parseVigilanzaZones(specText('vigilanza/geojson/20260720_domani.toscana.json'))
    const { bulletin } = buildVigilanzaBulletin({ index, zones: { tomorrow } })
    expect(bulletin.areas[0]).toMatchObject({
      day: 'tomorrow',
      validFrom: '2026-07-20T22:00:00.000Z',
      validTo: '2026-07-21T22:00:00.000Z',
    })
    expect([bulletin.effective, bulletin.expires]).toEqual([
      '2026-07-19T22:00:00.000Z',
      '2026-07-22T22:00:00.000Z',
    ])
    const autumn = parseVigilanzaIndex(
      specText('vigilanza/20260720.json').replaceAll('20260720', '20261024'),
    )
    const v = buildVigilanzaBulletin({ index: autumn, zones: { tomorrow } }).bulletin.areas[0]!
    expect([v.validFrom, v.validTo]).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ])
  })
})
