import { describe, expect, it } from 'vitest'
import { nextPollDelayMs } from '../../../src/main/core/feeds/backoff'
import {
  levelFromText,
  maxLevel,
  parseAwarenessLevel,
} from '../../../src/main/core/feeds/parsers/levels'
import type { Bulletin, BulletinArea } from '../../../src/main/core/feeds/types'
import { matchOurZones } from '../../../src/main/core/feeds/zones'

function bulletin(areas: BulletinArea[], extra: Partial<Bulletin> = {}): Bulletin {
  return {
    sourceId: null,
    externalId: 'x',
    capIdentifier: null,
    sender: null,
    sent: null,
    msgType: null,
    status: null,
    references: [],
    event: null,
    severity: null,
    urgency: null,
    certainty: null,
    onset: null,
    effective: null,
    expires: null,
    headline: null,
    description: null,
    instruction: null,
    web: null,
    areas,
    language: null,
    rawKind: 'cap',
    ...extra,
  }
}

const firenze: BulletinArea = {
  name: 'Provincia di Firenze',
  geocodes: [{ valueName: 'EMMA_ID', value: 'IT009' }],
  level: 'giallo',
}
const valdarno: BulletinArea = {
  name: 'Valdarno inferiore',
  geocodes: [{ valueName: 'DPC_ZONA_ALLERTA', value: 'Tosc-A5' }],
  level: 'arancione',
}
const pisa: BulletinArea = {
  name: 'Pisa',
  geocodes: [{ valueName: 'ISTAT', value: '050026' }],
  level: 'rosso',
}

describe('matchOurZones', () => {
  it('matches a geocode by name and value', () => {
    const m = matchOurZones(bulletin([firenze, pisa]), ['EMMA_ID:IT009'])
    expect(m.ours).toBe(true)
    expect(m.areas).toEqual([firenze])
    // The level for us is our area's, not the worst of the whole bulletin.
    expect(m.level).toBe('giallo')
  })

  it('does not match the right value under another geocode name', () => {
    expect(matchOurZones(bulletin([firenze]), ['ISTAT:IT009']).ours).toBe(false)
  })

  it('matches a bare code against any geocode, case-insensitively', () => {
    expect(matchOurZones(bulletin([valdarno]), ['tosc-a5']).ours).toBe(true)
  })

  it('matches area names by whole words, ignoring case and accents', () => {
    expect(matchOurZones(bulletin([firenze]), ['firenze']).ours).toBe(true)
    expect(
      matchOurZones(bulletin([{ name: 'Città di Castello', geocodes: [] }]), ['citta di castello'])
        .ours,
    ).toBe(true)
    expect(matchOurZones(bulletin([{ name: 'Vincigliata', geocodes: [] }]), ['Vinci']).ours).toBe(
      false,
    )
  })

  it('looks in the text of bulletins that have no areas (news)', () => {
    const news = bulletin([], { headline: 'Allerta per Empoli e Vinci', rawKind: 'rss' })
    expect(matchOurZones(news, ['Vinci']).ours).toBe(true)
    expect(matchOurZones(news, ['Certaldo']).ours).toBe(false)
  })

  it('treats "*" as every bulletin and no filter as none', () => {
    expect(matchOurZones(bulletin([pisa], { level: 'rosso' }), ['*'])).toEqual({
      ours: true,
      areas: [],
      level: 'rosso',
    })
    expect(matchOurZones(bulletin([pisa]), []).ours).toBe(false)
    expect(matchOurZones(bulletin([pisa]), ['  ']).ours).toBe(false)
  })
})

describe('levels', () => {
  it('reads MeteoAlarm awareness levels', () => {
    expect(parseAwarenessLevel('2; yellow; Moderate')).toBe('giallo')
    expect(parseAwarenessLevel('3; orange; Severe')).toBe('arancione')
    expect(parseAwarenessLevel('4; red; Extreme')).toBe('rosso')
    expect(parseAwarenessLevel('1; green; Minor')).toBe('verde')
    expect(parseAwarenessLevel('4')).toBe('rosso')
    expect(parseAwarenessLevel('purple')).toBeUndefined()
    expect(parseAwarenessLevel(null)).toBeUndefined()
  })

  it('reads DPC colour words', () => {
    expect(levelFromText('Elevata / ALLERTA ROSSA')).toBe('rosso')
    expect(levelFromText('Moderata / ALLERTA ARANCIONE')).toBe('arancione')
    expect(levelFromText('Ordinaria / ALLERTA GIALLA')).toBe('giallo')
    expect(levelFromText('Assenza di fenomeni significativi prevedibili / NESSUNA ALLERTA')).toBe(
      'verde',
    )
    expect(levelFromText('rossiccio')).toBeUndefined()
    expect(levelFromText(3)).toBeUndefined()
  })

  it('orders levels', () => {
    expect(maxLevel(['giallo', undefined, 'rosso', 'verde'])).toBe('rosso')
    expect(maxLevel([])).toBeUndefined()
  })
})

describe('nextPollDelayMs', () => {
  const noJitter = { jitter: 0 }
  it('waits the interval after a success and doubles it after each failure, up to the cap', () => {
    expect(nextPollDelayMs(300, 0)).toBe(300_000)
    expect(nextPollDelayMs(300, 1, noJitter)).toBe(300_000)
    expect(nextPollDelayMs(300, 2, noJitter)).toBe(600_000)
    expect(nextPollDelayMs(300, 3, noJitter)).toBe(1_200_000)
    expect(nextPollDelayMs(300, 50, noJitter)).toBe(3_600_000)
    // A source polled daily is never backed off below its own interval.
    expect(nextPollDelayMs(86_400, 5, noJitter)).toBe(86_400_000)
  })

  it('spreads retries with jitter and honours a longer Retry-After', () => {
    expect(nextPollDelayMs(300, 2, { jitter: 0.1 }, () => 0)).toBe(540_000)
    expect(nextPollDelayMs(300, 2, { jitter: 0.1 }, () => 1)).toBe(660_000)
    expect(nextPollDelayMs(60, 1, noJitter, Math.random, 600_000)).toBe(600_000)
  })
})
