import { describe, expect, it, vi } from 'vitest'
import { FeedError } from '../../../../src/main/core/feeds/errors'
import {
  buildCriticitaBulletin,
  criticitaReference,
} from '../../../../src/main/core/feeds/dpc/criticita-bulletin'
import {
  describedLevels,
  namesZone,
  parseCriticitaDescription,
} from '../../../../src/main/core/feeds/dpc/criticita-description'
import {
  type CriticitaIndex,
  parseCriticitaIndex,
} from '../../../../src/main/core/feeds/dpc/criticita-index'
import {
  type CriticitaZones,
  parseCriticitaZones,
} from '../../../../src/main/core/feeds/dpc/criticita-zones'
import { createComuniMatcher } from '../../../../src/main/core/feeds/dpc/match-comuni'
import type { BulletinArea } from '../../../../src/main/core/feeds/types'
import { specBytes, specText } from './specs'

const STEMS = ['20260720_1510', '20260720_1559', '20260720_2331'] as const

const index = (stem: string): CriticitaIndex =>
  parseCriticitaIndex(specBytes(`criticita/${stem}.json`), { fileName: `${stem}.json` })
const zones = (day: 'today' | 'tomorrow'): CriticitaZones =>
  parseCriticitaZones(specBytes(`criticita/geojson/20260720_1510_${day}.toscana.json`))

const area = (areas: BulletinArea[], zone: string, risk: string, day = 'tomorrow') =>
  areas.find((a) => a.zone === zone && a.risk === risk && a.day === day)

function feedError(run: () => unknown): FeedError {
  try {
    run()
  } catch (err) {
    if (err instanceof FeedError) return err
    throw err
  }
  throw new Error('no error')
}

describe('criticality index (files/YYYYMMDD_HHMM.json)', () => {
  it('reads the first bulletin of 20 July 2026, 15:10', () => {
    const i = index('20260720_1510')
    expect(i).toMatchObject({
      stem: '20260720_1510',
      type: 'first',
      issuedAt: '2026-07-20T13:10:00.000Z',
      emissionDay: '2026-07-20',
      publishedAt: '2026-07-20T13:37:45.996Z',
      name: 'Bollettino del 20 luglio 2026 ore 15:10',
      warnings: [],
    })
    expect(i.today.geojsonPath).toBe('geojson/20260720_1510_today.json')
    expect(i.tomorrow.geojsonPath).toBe('geojson/20260720_1510_tomorrow.json')
    // The misspelt key is read; the double space after "oggi," is gone, the accents stay.
    expect(i.today.description).toMatch(/^Per la giornata di oggi, lunedì 20 luglio 2026:\n/)
    expect(i.tomorrow.description).toContain(
      "ORDINARIA CRITICITA' PER RISCHIO TEMPORALI / ALLERTA GIALLA:\nAbruzzo:",
    )
    expect(i.today.description).not.toMatch(/<|&/)
    expect(i.today.attachments.map((a) => a.label)).toEqual(['pdf', 'xml', 'shp', 'all'])
    expect(i.today.attachments[2]!.url).toMatch(/\/files\/shp\/20260720_1510_shp\.zip$/)
  })

  it('takes emission time and day from the name of the file, not from "date"', () => {
    const late = index('20260720_2331')
    expect(late.type).toBe('update')
    // Produced at 00:06 of 21 July in Rome, yet the bulletin of 20 July, 23:31.
    expect(late.publishedAt).toBe('2026-07-20T22:06:21.990Z')
    expect(late.issuedAt).toBe('2026-07-20T21:31:00.000Z')
    expect(late.emissionDay).toBe('2026-07-20')
    expect(late.tomorrow.geojsonPath).toBe('geojson/20260720_2331_tomorrow.json')
    // Without the file name, the stem comes from the maps the index names.
    expect(parseCriticitaIndex(specText('criticita/20260720_1559.json')).stem).toBe('20260720_1559')
  })

  it('refuses garbage with a FeedError a person can act on', () => {
    const text = specText('criticita/20260720_1510.json')
    const truncated = feedError(() => parseCriticitaIndex(text.slice(0, 3000)))
    expect(truncated.code).toBe('invalid_json')
    expect(truncated.message).toMatch(/troncato/)
    const html = feedError(() =>
      parseCriticitaIndex('<!DOCTYPE html><html><body>404 Not Found</body></html>', {
        fileName: '20260720_1510.json',
      }),
    )
    expect(html.code).toBe('not_a_feed')
    expect(html.message).toMatch(/pagina HTML.*20260720_1510|20260720_1510.*pagina HTML/)
    expect(feedError(() => parseCriticitaIndex('[1,2,3]')).code).toBe('not_a_feed')
    expect(feedError(() => parseCriticitaIndex('')).code).toBe('invalid_json')
    const json = JSON.parse(text) as Record<string, unknown>
    expect(
      feedError(() => parseCriticitaIndex(JSON.stringify({ ...json, type: 'cancel' }))).message,
    ).toMatch(/"type" vale "cancel"/)
    const { tomorrow: _, ...noTomorrow } = json
    expect(feedError(() => parseCriticitaIndex(JSON.stringify(noTomorrow))).message).toMatch(
      /tomorrow/,
    )
    // A file whose content is another bulletin's.
    expect(
      feedError(() => parseCriticitaIndex(text, { fileName: '20260720_1559.json' })).message,
    ).toMatch(/rimanda al bollettino 20260720_1510/)
    // Bytes that are not UTF-8.
    expect(
      feedError(() => parseCriticitaIndex(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).code,
    ).toBe('encoding')
  })

  it('warns when the title names another hour than the file', () => {
    const text = specText('criticita/20260720_1510.json').replace('ore 15:10', 'ore 15:20')
    const i = parseCriticitaIndex(text, { fileName: '20260720_1510.json' })
    expect(i.issuedAt).toBe('2026-07-20T13:10:00.000Z')
    expect(i.warnings).toMatchObject([{ code: 'name_mismatch', property: 'name' }])
  })
})

describe('criticality zones (files/geojson/<stem>_<day>.json)', () => {
  it('reads tomorrow of 20260720_1510: Valdarno Inf. and Valdelsa-Valdera yellow', () => {
    const { zones: z, warnings } = zones('tomorrow')
    expect(warnings).toEqual([])
    expect(z.map((x) => x.zone)).toEqual(['Arno-Firenze', 'Valdarno Inf.', 'Valdelsa-Valdera'])
    for (const name of ['Valdarno Inf.', 'Valdelsa-Valdera']) {
      expect(z.find((x) => x.zone === name)).toMatchObject({
        levels: { idraulico: 'verde', idrogeologico: 'giallo', temporali: 'giallo' },
        mapLevel: 'giallo',
      })
    }
    expect(z[1]!.comuni).toContain('Empoli')
    expect(z[1]!.comuni).toContain('Vinci')
    expect(z[2]!.comuni).toContain('Certaldo')
    // A comune may sit in two zones.
    expect(z[0]!.comuni).toContain('Barberino Tavarnelle')
    expect(z[2]!.comuni).toContain('Barberino Tavarnelle')
  })

  it('reads today of 20260720_1510: all green', () => {
    const { zones: z, warnings } = zones('today')
    expect(warnings).toEqual([])
    expect(z).toHaveLength(3)
    for (const x of z)
      expect(x.levels).toEqual({ idraulico: 'verde', idrogeologico: 'verde', temporali: 'verde' })
  })

  it('never walks the geometry', () => {
    const json = JSON.parse(specText('criticita/geojson/20260720_1510_tomorrow.toscana.json')) as {
      features: Record<string, unknown>[]
    }
    for (const f of json.features) {
      Object.defineProperty(f, 'geometry', {
        enumerable: true,
        get: () => {
          throw new Error('geometry read')
        },
      })
    }
    // JSON.parse hands back features whose geometry throws when touched.
    const parse = vi.spyOn(JSON, 'parse').mockReturnValueOnce(json)
    try {
      expect(parseCriticitaZones('{}').zones).toHaveLength(3)
    } finally {
      parse.mockRestore()
    }
  })

  it('warns about a map level that disagrees with the risks, and about zones without a name', () => {
    const json = JSON.parse(specText('criticita/geojson/20260720_1510_tomorrow.toscana.json')) as {
      features: { properties: Record<string, unknown> }[]
    }
    json.features[0]!.properties['Rappresentata nella mappa'] = 'Moderata / ALLERTA ARANCIONE'
    delete json.features[2]!.properties['Nome zona']
    const { zones: z, warnings } = parseCriticitaZones(JSON.stringify(json), { fileName: 'x.json' })
    expect(z.map((x) => x.zone)).toEqual(['Arno-Firenze', 'Valdarno Inf.'])
    expect(warnings.map((w) => w.code)).toEqual(['level_mismatch', 'missing_property'])
    expect(warnings[0]!.zone).toBe('Arno-Firenze')
  })

  it('refuses what is not a FeatureCollection', () => {
    const text = specText('criticita/geojson/20260720_1510_tomorrow.toscana.json')
    expect(feedError(() => parseCriticitaZones(text.slice(0, -5))).code).toBe('invalid_json')
    expect(feedError(() => parseCriticitaZones('{"type":"Topology","objects":{}}')).code).toBe(
      'not_a_feed',
    )
    expect(
      feedError(() => parseCriticitaZones('{"type":"Topology","features":[]}')).message,
    ).toMatch(/FeatureCollection/)
    expect(feedError(() => parseCriticitaZones('<html>Rate limit</html>')).code).toBe('not_a_feed')
  })
})

describe('criticality description', () => {
  it('lists each level and risk per region', () => {
    const { entries, warnings } = parseCriticitaDescription(
      index('20260720_1510').tomorrow.description,
    )
    expect(warnings).toEqual([])
    const toscana = entries.filter((e) => e.region === 'Toscana')
    expect(toscana.map((e) => [e.risks, e.level])).toEqual([
      [['temporali'], 'giallo'],
      [['idrogeologico'], 'giallo'],
    ])
    const marche = entries.find((e) => e.region === 'Marche' && e.level === 'arancione')!
    expect(marche.zonesText).toBe('Marc-2, Marc-6, Marc-4')
  })

  it('names a zone only by its whole name between separators', () => {
    expect(namesZone('Marc-1, Marc-3, Marc-5', 'Marc-3')).toBe(true)
    expect(namesZone('Marc-1, Marc-3, Marc-5', 'Marc')).toBe(false)
    const veneto =
      'Pianura centrale - Bacini Brenta Bacchiglione, Muson, Scolante in Laguna, Polesine occidentale'
    expect(
      namesZone(veneto, 'Pianura centrale - Bacini Brenta Bacchiglione, Muson, Scolante in Laguna'),
    ).toBe(true)
    expect(namesZone(veneto, 'Pianura centrale')).toBe(false)
    expect(namesZone('Bacini Fissero Tartaro Canalbianco,Po, Adige', 'Canalbianco')).toBe(false)
    expect(namesZone("Valle d'Aosta A, Valle d'Aosta B", 'Valle d?Aosta B')).toBe(true)
  })

  it('the 15:10, 15:59 and 23:31 bulletins give the same Tuscan levels', () => {
    const tuscan = (stem: string) => {
      const i = index(stem)
      return (['today', 'tomorrow'] as const).map((day) => {
        const { entries } = parseCriticitaDescription(i[day].description)
        return Object.fromEntries(
          ['Arno-Firenze', 'Valdarno Inf.', 'Valdelsa-Valdera', 'Lunigiana', 'Versilia'].map(
            (z) => [z, describedLevels(entries, z)],
          ),
        )
      })
    }
    const first = tuscan('20260720_1510')
    expect(first[0]).toEqual(Object.fromEntries(Object.keys(first[0]!).map((z) => [z, {}])))
    expect(first[1]!['Valdarno Inf.']).toEqual({ temporali: 'giallo', idrogeologico: 'giallo' })
    for (const stem of STEMS.slice(1)) expect(tuscan(stem)).toEqual(first)
    // …while the updates did change elsewhere (Trento added at 23:31).
    const trento = (stem: string) =>
      describedLevels(
        parseCriticitaDescription(index(stem).tomorrow.description).entries,
        'Provincia Autonoma di Trento',
      )
    expect(trento('20260720_1510')).toEqual({})
    expect(trento('20260720_2331')).toEqual({ temporali: 'giallo', idrogeologico: 'giallo' })
  })
})

describe('criticality bulletin', () => {
  const ours = createComuniMatcher(
    [
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
    ].map((name) => ({ name })),
  )
  const keepZone = (_zone: string, comuni: readonly string[]) => ours.matchesAny(comuni)

  it('tomorrow of 20260720_1510: our two zones yellow for thunderstorms and hydrogeological risk', () => {
    const { bulletin, warnings } = buildCriticitaBulletin({
      index: index('20260720_1510'),
      today: zones('today'),
      tomorrow: zones('tomorrow'),
      keepZone,
    })
    expect(warnings).toEqual([])
    expect(bulletin).toMatchObject({
      externalId: 'dpc-criticita:20260720_1510',
      capIdentifier: 'dpc-criticita:20260720_1510',
      sender: 'Dipartimento della Protezione Civile',
      sent: '2026-07-20T13:10:00.000Z',
      msgType: 'Alert',
      references: [],
      rawKind: 'dpc_criticita',
      levelKind: 'criticita',
      level: 'giallo',
      headline: 'Bollettino di criticità del 20/07/2026 ore 15:10',
      expires: '2026-07-21T22:00:00.000Z',
    })
    expect(bulletin.informational).toBeUndefined()
    // Arno-Firenze lists none of ours: left out. 2 zones × 3 risks × 2 days.
    expect(new Set(bulletin.areas.map((a) => a.zone))).toEqual(
      new Set(['Valdarno Inf.', 'Valdelsa-Valdera']),
    )
    expect(bulletin.areas).toHaveLength(12)
    for (const zone of ['Valdarno Inf.', 'Valdelsa-Valdera']) {
      expect(area(bulletin.areas, zone, 'temporali')?.level).toBe('giallo')
      expect(area(bulletin.areas, zone, 'idrogeologico')?.level).toBe('giallo')
      expect(area(bulletin.areas, zone, 'idraulico')?.level).toBe('verde')
      for (const risk of ['temporali', 'idrogeologico', 'idraulico'])
        expect(area(bulletin.areas, zone, risk, 'today')?.level).toBe('verde')
    }
    const valdarno = area(bulletin.areas, 'Valdarno Inf.', 'temporali')!
    expect(valdarno).toMatchObject({
      name: 'Valdarno Inf.',
      validFrom: '2026-07-20T22:00:00.000Z',
      validTo: '2026-07-21T22:00:00.000Z',
    })
    expect(valdarno.comuni).toContain('Empoli')
    expect(area(bulletin.areas, 'Valdelsa-Valdera', 'idrogeologico')!.comuni).toContain('Certaldo')
    expect(area(bulletin.areas, 'Valdarno Inf.', 'temporali', 'today')).toMatchObject({
      validFrom: '2026-07-20T13:10:00.000Z',
      validTo: '2026-07-20T22:00:00.000Z',
    })
    expect(bulletin.description).toMatch(/^Per la giornata di oggi, lunedì 20 luglio 2026:/)
    expect(bulletin.description).toContain('Per la giornata di domani, martedì 21 luglio 2026:')
    expect(bulletin.attachments?.map((a) => a.label)).toEqual(['pdf', 'xml', 'shp', 'all'])
  })

  it('keeps every zone without a predicate; the level is the highest kept', () => {
    const all = buildCriticitaBulletin({
      index: index('20260720_1510'),
      today: zones('today'),
      tomorrow: zones('tomorrow'),
    }).bulletin
    expect(all.areas).toHaveLength(3 * 3 * 2)
    const none = buildCriticitaBulletin({
      index: index('20260720_1510'),
      today: zones('today'),
      tomorrow: zones('tomorrow'),
      keepZone: () => false,
    }).bulletin
    expect(none.areas).toEqual([])
    expect(none.level).toBeUndefined()
    const todayOnly = buildCriticitaBulletin({
      index: index('20260720_1510'),
      today: zones('today'),
      tomorrow: null,
    })
    expect(todayOnly.bulletin.level).toBe('verde')
  })

  it('an update references the earlier bulletins of the day and says what it lacks', () => {
    const earlier = [
      criticitaReference(index('20260720_1510')),
      criticitaReference(index('20260720_1559')),
    ]
    const { bulletin, warnings } = buildCriticitaBulletin({
      index: index('20260720_2331'),
      today: null,
      tomorrow: zones('tomorrow'),
      references: [
        ...earlier,
        {
          sender: 'x',
          identifier: 'dpc-criticita:20260719_1500',
          sent: '2026-07-19T13:00:00.000Z',
        },
        {
          sender: 'x',
          identifier: 'dpc-criticita:20260720_2331',
          sent: '2026-07-20T21:31:00.000Z',
        },
      ],
      keepZone,
    })
    expect(bulletin.msgType).toBe('Update')
    expect(bulletin.headline).toBe(
      'Bollettino di criticità del 20/07/2026 ore 23:31 (aggiornamento)',
    )
    expect(bulletin.references).toEqual([
      {
        sender: 'Dipartimento della Protezione Civile',
        identifier: 'dpc-criticita:20260720_1510',
        sent: '2026-07-20T13:10:00.000Z',
      },
      {
        sender: 'Dipartimento della Protezione Civile',
        identifier: 'dpc-criticita:20260720_1559',
        sent: '2026-07-20T13:59:00.000Z',
      },
    ])
    expect(warnings.map((w) => w.code).sort()).toEqual([
      'bad_reference',
      'bad_reference',
      'missing_day',
    ])
    expect(bulletin.note).toMatch(/zone di oggi non sono state pubblicate/)
    expect(bulletin.areas.every((a) => a.day === 'tomorrow')).toBe(true)
    expect(area(bulletin.areas, 'Valdarno Inf.', 'temporali')?.level).toBe('giallo')
  })

  it('a kept zone whose level cannot be read has an area without level, a note and a warning', () => {
    const json = JSON.parse(specText('criticita/geojson/20260720_1510_tomorrow.toscana.json')) as {
      features: { properties: Record<string, unknown> }[]
    }
    json.features[1]!.properties['Per rischio idraulico'] = 'Moderata / ALLERTA BLU'
    json.features[0]!.properties['Per rischio idraulico'] = 'Moderata / ALLERTA BLU'
    const { bulletin, warnings } = buildCriticitaBulletin({
      index: index('20260720_1510'),
      today: zones('today'),
      tomorrow: parseCriticitaZones(JSON.stringify(json)),
      keepZone,
    })
    const idraulico = area(bulletin.areas, 'Valdarno Inf.', 'idraulico')!
    expect(idraulico).not.toHaveProperty('level')
    expect(bulletin.level).toBe('giallo')
    expect(bulletin.note).toBe('Un livello delle zone scelte non è stato letto.')
    // Only the kept zone's warning (Arno-Firenze is not ours).
    expect(warnings).toMatchObject([
      { code: 'unknown_level', zone: 'Valdarno Inf.', day: 'tomorrow' },
    ])
  })

  it('warns when the map and the text disagree for a kept zone', () => {
    const json = JSON.parse(specText('criticita/geojson/20260720_1510_tomorrow.toscana.json')) as {
      features: { properties: Record<string, unknown> }[]
    }
    json.features[2]!.properties['Per rischio temporali'] = 'Moderata / ALLERTA ARANCIONE'
    json.features[2]!.properties['Rappresentata nella mappa'] =
      'Moderata per rischio temporali / ALLERTA ARANCIONE'
    const { bulletin, warnings } = buildCriticitaBulletin({
      index: index('20260720_1510'),
      today: zones('today'),
      tomorrow: parseCriticitaZones(JSON.stringify(json)),
      keepZone,
    })
    expect(bulletin.level).toBe('arancione')
    expect(warnings).toMatchObject([
      { code: 'description_mismatch', zone: 'Valdelsa-Valdera', day: 'tomorrow' },
    ])
    expect(warnings[0]!.message).toMatch(/la mappa dice arancione e il testo giallo/)
  })
})
