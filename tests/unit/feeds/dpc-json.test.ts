import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { parseDpcBulletinIndex } from '../../../src/main/core/feeds/parsers/dpc-json'

const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, 'fixtures', name))

function errorCode(run: () => unknown): string {
  try {
    run()
    return 'parsed'
  } catch (err) {
    return err instanceof FeedError ? err.code : 'other'
  }
}

describe('parseDpcBulletinIndex', () => {
  it('reads entries with zones and civil-protection levels', () => {
    const bulletins = parseDpcBulletinIndex(fixture('dpc-bollettini.json'), {
      baseUrl: 'https://dpc.example.it/index.json',
    })
    expect(bulletins).toHaveLength(2)
    const [today, yesterday] = bulletins
    expect(today?.externalId).toBe('dpc-2024-11-02')
    expect(today?.web).toBe('https://dpc.example.it/bollettini/2024-11-02.pdf')
    expect(today?.sent).toBe('2024-11-02T16:00:00+01:00')
    expect(today?.effective).toBe('2024-11-03T00:00:00+01:00')
    expect(today?.expires).toBe('2024-11-03T23:59:59+01:00')
    expect(today?.level).toBe('arancione')
    expect(today?.levelKind).toBe('criticita')
    expect(today?.areas).toEqual([
      {
        name: 'Valdarno inferiore',
        geocodes: [{ valueName: 'DPC_ZONA_ALLERTA', value: 'Tosc-A5' }],
        level: 'arancione',
      },
      {
        name: 'Bisenzio e Ombrone Pt',
        geocodes: [{ valueName: 'DPC_ZONA_ALLERTA', value: 'Tosc-B' }],
        level: 'giallo',
      },
      {
        name: 'Camp-1',
        geocodes: [{ valueName: 'DPC_ZONA_ALLERTA', value: 'Camp-1' }],
        level: 'verde',
      },
    ])
    // English keys and a levels map are accepted too; the link is the id.
    expect(yesterday?.externalId).toBe('https://dpc.example.it/bollettini/2024-11-01.pdf')
    expect(yesterday?.areas.map((a) => [a.name, a.level])).toEqual([
      ['Tosc-A5', 'verde'],
      ['Lomb-01', 'giallo'],
    ])
  })

  it('accepts a bare array and other list keys', () => {
    const entry = { date: '2024-11-02', title: 'B', url: 'https://x.it/b.pdf' }
    expect(parseDpcBulletinIndex(JSON.stringify([entry]))).toHaveLength(1)
    expect(parseDpcBulletinIndex(JSON.stringify({ items: [entry] }))).toHaveLength(1)
    expect(parseDpcBulletinIndex(JSON.stringify({ bollettini: [] }))).toEqual([])
  })

  it('leaves unknown level words without a level instead of guessing', () => {
    const [b] = parseDpcBulletinIndex(
      JSON.stringify([{ title: 'B', zone: [{ code: 'Z', level: 'boh' }] }]),
    )
    expect(b?.areas[0]?.level).toBeUndefined()
    expect(b?.level).toBeUndefined()
  })

  it('fails clearly on truncated JSON and on JSON without a list', () => {
    expect(errorCode(() => parseDpcBulletinIndex('{"bollettini": [{"data": "2024'))).toBe(
      'invalid_json',
    )
    expect(errorCode(() => parseDpcBulletinIndex('{"message": "ok"}'))).toBe('not_a_feed')
    expect(errorCode(() => parseDpcBulletinIndex(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])))).toBe(
      'encoding',
    )
  })
})
