import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { parseAtomCapIndex } from '../../../src/main/core/feeds/parsers/atom-cap-index'

const SPECS = path.resolve(__dirname, '../../../../shared/specs')
const spec = (name: string): Buffer => readFileSync(path.join(SPECS, name))

describe('parseAtomCapIndex', () => {
  it('merges MeteoAlarm entries of one CAP message into one, with every area and EMMA_ID', () => {
    const entries = parseAtomCapIndex(spec('meteoalarm/france_sample.xml'))
    const avalanche = entries.find((e) => e.key === '2.49.0.0.250.0.FR.20221207160058.764028')
    expect(avalanche).toBeDefined()
    expect(avalanche?.detailUrl).toBe(
      'https://feeds.meteoalarm.org/api/v1/warnings/feeds-france/04d497d4-d114-4d6b-93ba-13fa7ed577fe',
    )
    expect(avalanche?.embedded).toBeNull()
    const summary = avalanche?.summary
    expect(summary?.capIdentifier).toBe('2.49.0.0.250.0.FR.20221207160058.764028')
    expect(summary?.event).toBe('Moderate avalanches warning')
    expect(summary?.msgType).toBe('Alert')
    expect(summary?.severity).toBe('Moderate')
    expect(summary?.sent).toBe('2022-12-07T15:00:58+00:00')
    expect(summary?.areas.find((a) => a.name === 'Haute Savoie')?.geocodes).toEqual([
      { valueName: 'NUTS3', value: 'FR718' },
      { valueName: 'EMMA_ID', value: 'FR035' },
    ])
    // 12 entries in the file, fewer messages: keys are unique.
    expect(new Set(entries.map((e) => e.key)).size).toBe(entries.length)
    const areaCount = entries.reduce((n, e) => n + e.summary.areas.length, 0)
    expect(areaCount).toBe(12)
  })

  it('keys NWS entries by Atom id and splits space-separated geocodes (weather_index.atom)', () => {
    const entries = parseAtomCapIndex(spec('cap/weather_index.atom'))
    expect(entries).toHaveLength(2)
    const first = entries[0]
    expect(first?.key).toBe(
      'http://www.weather.gov/alerts-beta/wwacapget.php?x=CT20100831030400OKXAirQualityAlertOKX20100901031500CT',
    )
    expect(first?.detailUrl).toBe(first?.key)
    expect(first?.summary.areas[0]?.geocodes.map((g) => g.value)).toEqual([
      '009007',
      '009009',
      '009011',
      '044009',
    ])
    expect(first?.summary.headline).toContain('Air Quality Alert issued August 30')
    expect(first?.summary.status).toBe('Actual')
  })

  it('reads a CAP message embedded in the entry content (weather.atom)', () => {
    const [entry] = parseAtomCapIndex(spec('cap/weather.atom'))
    expect(entry?.embedded?.capIdentifier).toBe(
      'NOAA-NWS-ALERTS-MT20120830100700TFXFlashFloodWatchTFX20120830180000MT',
    )
    expect(entry?.embedded?.event).toBe('Flash Flood Watch')
  })

  it('resolves relative detail links against the index URL', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">
      <entry><id>urn:1</id><cap:identifier>A-1</cap:identifier><title>T</title>
        <link href="details/A-1.cap" type="application/cap+xml"/></entry></feed>`
    const [entry] = parseAtomCapIndex(atom, { baseUrl: 'https://example.it/feeds/index.atom' })
    expect(entry?.detailUrl).toBe('https://example.it/feeds/details/A-1.cap')
  })

  it('refuses a document that is not Atom', () => {
    try {
      parseAtomCapIndex(spec('cap/weather.cap'))
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(FeedError)
      expect((err as FeedError).code).toBe('not_a_feed')
    }
  })
})
