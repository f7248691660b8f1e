import { describe, expect, it } from 'vitest'
import { parseCriticitaIndex } from '../../../../src/main/core/feeds/dpc/criticita-index'
import { parseCriticitaDescription } from '../../../../src/main/core/feeds/dpc/criticita-description'
import {
  CRITICITA_RISK_PROPERTIES,
  parseCriticitaZones,
} from '../../../../src/main/core/feeds/dpc/criticita-zones'
import { dpcLevel } from '../../../../src/main/core/feeds/dpc/dpc-levels'
import { allSpecFiles, specText } from './specs'

const LEVEL_PROPERTIES = ['Rappresentata nella mappa', ...Object.values(CRITICITA_RISK_PROPERTIES)]

/** Every level string in the real criticality zone files. */
function levelStringsInFiles(): Set<string> {
  const seen = new Set<string>()
  for (const file of allSpecFiles().filter((f) => f.startsWith('criticita/geojson/'))) {
    const json = JSON.parse(specText(file)) as {
      features: { properties: Record<string, unknown> }[]
    }
    for (const f of json.features)
      for (const p of LEVEL_PROPERTIES) seen.add(f.properties[p] as string)
  }
  return seen
}

describe('DPC level strings', () => {
  it('every level string in the real zone files is a level', () => {
    const seen = levelStringsInFiles()
    expect(seen.size).toBeGreaterThanOrEqual(3)
    for (const text of seen) expect(dpcLevel(text), text).toMatchObject({ kind: 'level' })
  })

  it('reads the strings the full national file holds, by the part after " / "', () => {
    // All distinct values over the 187 zones of 20260720_1510 (README of the specs).
    const cases: [string, string][] = [
      ['Assenza di fenomeni significativi prevedibili / NESSUNA ALLERTA', 'verde'],
      ['Ordinaria / ALLERTA GIALLA', 'giallo'],
      ['Moderata / ALLERTA ARANCIONE', 'arancione'],
      ['Ordinaria per rischio temporali / ALLERTA GIALLA', 'giallo'],
      ['Moderata per rischio temporali / ALLERTA ARANCIONE', 'arancione'],
      ['Elevata / ALLERTA ROSSA', 'rosso'],
      ['Elevata per rischio idrogeologico / ALLERTA ROSSA', 'rosso'],
    ]
    for (const [text, level] of cases)
      expect(dpcLevel(text)).toMatchObject({ kind: 'level', level })
    expect(dpcLevel('Moderata / ALLERTA ARANCIONE')).toMatchObject({ criticality: 'Moderata' })
  })

  it('the headings of every real description are levels', () => {
    for (const file of allSpecFiles().filter((f) => /^criticita\/\d{8}_\d{4}\.json$/.test(f))) {
      const index = parseCriticitaIndex(specText(file))
      for (const day of ['today', 'tomorrow'] as const) {
        const { entries, warnings } = parseCriticitaDescription(index[day].description)
        expect(warnings, `${file} ${day}`).toEqual([])
        expect(entries.length).toBeGreaterThan(0)
      }
    }
  })

  it('never guesses: colour words outside the " / ALLERTA …" form are unknown', () => {
    for (const text of [
      'Ordinaria / ALLERTA VIOLA',
      'ALLERTA GIALLA',
      'allerta rossa per vento',
      'Ordinaria rossa / ',
      '',
      'Elevata / ALLERTA ROSSA E ARANCIONE',
    ])
      expect(dpcLevel(text), text).toEqual({ kind: 'unknown', text })
    expect(dpcLevel(undefined)).toEqual({ kind: 'unknown', text: '(assente)' })
    expect(dpcLevel(3)).toEqual({ kind: 'unknown', text: '3' })
  })

  it('an unknown string in a zone file gives a warning naming zone, property and value, and no level', () => {
    const json = JSON.parse(specText('criticita/geojson/20260720_1510_tomorrow.toscana.json')) as {
      features: { properties: Record<string, unknown> }[]
    }
    json.features[1]!.properties['Per rischio temporali'] = 'Ordinaria / ALLERTA VIOLA'
    const { zones, warnings } = parseCriticitaZones(JSON.stringify(json))
    const valdarno = zones.find((z) => z.zone === 'Valdarno Inf.')!
    expect(valdarno.levels.temporali).toBeUndefined()
    expect(valdarno.levels.idrogeologico).toBe('giallo')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({
      code: 'unknown_level',
      zone: 'Valdarno Inf.',
      property: 'Per rischio temporali',
      value: 'Ordinaria / ALLERTA VIOLA',
    })
    expect(warnings[0]!.message).toContain('Valdarno Inf.')
    expect(warnings[0]!.message).toContain('Per rischio temporali')
    expect(warnings[0]!.message).toContain('Ordinaria / ALLERTA VIOLA')
  })
})
