import { describe, expect, it } from 'vitest'
import { FeedError } from '../../../../src/main/core/feeds/errors'
import { createComuniMatcher } from '../../../../src/main/core/feeds/dpc/match-comuni'
import {
  buildVigilanzaBulletin,
  parseVigilanzaIndex,
  parseVigilanzaPhenomena,
  parseVigilanzaZones,
} from '../../../../src/main/core/feeds/dpc/vigilanza'
import { specBytes, specText } from './specs'

const INDEX = 'vigilanza/20260720.json'
const ZONES = 'vigilanza/geojson/20260720_domani.toscana.json'
const PHENOMENA = 'vigilanza/geojson/20260720_fenomeni_domani.json'

const EMPOLESE = [
  'Capraia e Limite',
  'Castelfiorentino',
  'Cerreto Guidi',
  'Certaldo',
  'Empoli',
  'Fucecchio',
  'Gambassi Terme',
  'Montaione',
  'Montelupo Fiorentino',
  'Montespertoli',
  'Vinci',
]

function feedError(run: () => unknown): FeedError {
  try {
    run()
  } catch (err) {
    if (err instanceof FeedError) return err
    throw err
  }
  throw new Error('no error')
}

describe('vigilance index (files/YYYYMMDD.json)', () => {
  it('reads the three days of 20 July 2026', () => {
    const index = parseVigilanzaIndex(specBytes(INDEX), { fileName: '20260720.json' })
    expect(index).toMatchObject({
      stem: '20260720',
      date: '2026-07-20',
      name: 'Bollettino di Vigilanza Meteo del 20/07/2026',
      warnings: [],
    })
    expect(Object.keys(index.days)).toEqual(['today', 'tomorrow', 'aftertomorrow'])
    expect(index.days.tomorrow).toMatchObject({
      zonesPath: 'geojson/20260720_domani.json',
      phenomenaPath: 'geojson/20260720_fenomeni_domani.json',
    })
    expect(index.days.aftertomorrow?.zonesPath).toBe('geojson/20260720_dopodomani.json')
    expect(index.days.today?.attachments.map((a) => a.label)).toEqual(['xml', 'pdf', 'shp', 'all'])
    expect(index.days.today?.description).toMatch(/^Precipitazioni:\n\n- da isolate a sparse/)
    expect(index.days.aftertomorrow?.description).toContain(
      'Venti: localmente forti settentrionali',
    )
    expect(index.days.today?.description).not.toMatch(/<|&/)
  })

  it('refuses garbage and a file of another day', () => {
    const text = specText(INDEX)
    expect(feedError(() => parseVigilanzaIndex(text.slice(0, 2000))).code).toBe('invalid_json')
    expect(feedError(() => parseVigilanzaIndex('<html><title>502</title></html>')).code).toBe(
      'not_a_feed',
    )
    expect(feedError(() => parseVigilanzaIndex('{"date":"2026-07-20"}')).message).toMatch(
      /AAAAMMGG/,
    )
    expect(feedError(() => parseVigilanzaIndex('{"date":"20260720"}')).message).toMatch(
      /nessuna giornata/,
    )
    expect(
      feedError(() => parseVigilanzaIndex(text, { fileName: '20260721.json' })).message,
    ).toMatch(/20260720/)
  })
})

describe('vigilance zones', () => {
  it('reads every feature, not totalFeatures, with the labels as written', () => {
    const { zones, warnings } = parseVigilanzaZones(specBytes(ZONES))
    expect(warnings).toEqual([])
    expect(JSON.parse(specText(ZONES)).totalFeatures).toBe(71)
    expect(zones.map((z) => [z.zone, z.classification, z.label])).toEqual([
      ['Terre di Pisa e Livorno', 1, 'Assenti o non rilevanti'],
      ['Chianti, Terre di Siena, Val d\u2019Orcia, Maremma toscana', 2, 'Deboli'],
      ['Mugello e Casentino', 2, 'Deboli'],
    ])
    // Quirks kept as written.
    expect(zones[1]!.comuni).toContain('Citt della Pieve')
    expect(zones[2]!.comuni).toContain('Castel San Niccol')
    expect(zones[0]!.comuni).toEqual(expect.arrayContaining(EMPOLESE))
  })

  it('warns about a zone without forecast text or with a class that says otherwise', () => {
    const json = JSON.parse(specText(ZONES)) as {
      features: { properties: Record<string, unknown> }[]
    }
    delete json.features[0]!.properties.Quantitativi_previsti
    json.features[1]!.properties.id_classificazione = 3
    const { zones, warnings } = parseVigilanzaZones(JSON.stringify(json))
    expect(zones[0]!.label).toBeNull()
    expect(warnings.map((w) => [w.code, w.zone])).toEqual([
      ['missing_property', 'Terre di Pisa e Livorno'],
      ['level_mismatch', 'Chianti, Terre di Siena, Val d\u2019Orcia, Maremma toscana'],
    ])
    expect(feedError(() => parseVigilanzaZones('{"features": 3}')).code).toBe('not_a_feed')
  })

  it('reads the 39 phenomena points', () => {
    const { points, warnings } = parseVigilanzaPhenomena(specBytes(PHENOMENA))
    expect(warnings).toEqual([])
    expect(points).toHaveLength(39)
    expect(new Set(points.map((p) => p.phenomenon))).toEqual(new Set([1, 5, 60, 61, 62]))
    expect(points[0]).toEqual({ phenomenon: 5, lat: 46.01714312, lon: 11.31103498 })
  })
})

describe('vigilance bulletin', () => {
  const ours = createComuniMatcher(EMPOLESE.map((name) => ({ name })))

  it('is informational, with no level, one area per kept zone and day', () => {
    const index = parseVigilanzaIndex(specBytes(INDEX), { fileName: '20260720.json' })
    const { bulletin, warnings } = buildVigilanzaBulletin({
      index,
      zones: { tomorrow: parseVigilanzaZones(specBytes(ZONES)) },
      keepZone: (_zone, comuni) => ours.matchesAny(comuni),
    })
    expect(bulletin).toMatchObject({
      externalId: 'dpc-vigilanza:20260720',
      capIdentifier: 'dpc-vigilanza:20260720',
      rawKind: 'dpc_vigilanza',
      informational: true,
      headline: 'Bollettino di vigilanza meteorologica del 20/07/2026',
      sender: 'Dipartimento della Protezione Civile',
    })
    expect(bulletin).not.toHaveProperty('level')
    expect(bulletin).not.toHaveProperty('levelKind')
    expect(bulletin.areas.map((a) => [a.zone, a.risk, a.day, a.label])).toEqual([
      ['Terre di Pisa e Livorno', 'meteo', 'tomorrow', 'Assenti o non rilevanti'],
      ['Chianti, Terre di Siena, Val d\u2019Orcia, Maremma toscana', 'meteo', 'tomorrow', 'Deboli'],
      ['Mugello e Casentino', 'meteo', 'tomorrow', 'Deboli'],
    ])
    expect(bulletin.areas.every((a) => a.level === undefined)).toBe(true)
    // Today's and the day after's zones were not given: said, not hidden.
    expect(warnings.map((w) => [w.code, w.day])).toEqual([
      ['missing_day', 'today'],
      ['missing_day', 'aftertomorrow'],
    ])
    expect(bulletin.description).toMatch(/^Oggi, 20\/07\/2026:\nPrecipitazioni:\n/)
    expect(bulletin.description).toContain('\n\nDomani, 21/07/2026:\n')
    expect(bulletin.description).toContain('\n\nDopodomani, 22/07/2026:\n')
    expect(bulletin.attachments).toHaveLength(4)
  })

  it('keeps only the zones that list one of ours', () => {
    const index = parseVigilanzaIndex(specBytes(INDEX))
    const only = createComuniMatcher([{ name: 'Vinci' }])
    const { bulletin } = buildVigilanzaBulletin({
      index,
      zones: { tomorrow: parseVigilanzaZones(specBytes(ZONES)) },
      keepZone: (_z, comuni) => only.matchesAny(comuni),
    })
    expect(bulletin.areas.map((a) => a.zone)).toEqual([
      'Terre di Pisa e Livorno',
      'Mugello e Casentino',
    ])
  })
})
