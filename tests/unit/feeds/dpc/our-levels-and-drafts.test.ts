import { describe, expect, it } from 'vitest'
import { draftFromBulletin } from '../../../../src/main/core/bulletins/bulletin-draft'
import { buildCriticitaBulletin } from '../../../../src/main/core/feeds/dpc/criticita-bulletin'
import { parseCriticitaIndex } from '../../../../src/main/core/feeds/dpc/criticita-index'
import { parseCriticitaZones } from '../../../../src/main/core/feeds/dpc/criticita-zones'
import {
  describeChange,
  levelChanges,
  type OurComune,
} from '../../../../src/main/core/feeds/dpc/our-levels'
import type { Bulletin, FeedItem } from '../../../../src/main/core/feeds/types'
import comuniFile from '../../../../resources/comuni.json'
import { specText } from './specs'

const OURS: OurComune[] = comuniFile.comuni
const VALDARNO = [
  'Capraia e Limite',
  'Cerreto Guidi',
  'Empoli',
  'Fucecchio',
  'Montelupo Fiorentino',
  'Vinci',
]
const VALDELSA = ['Castelfiorentino', 'Certaldo', 'Gambassi Terme', 'Montaione', 'Montespertoli']

/** The real 15:10 bulletin, its tomorrow's zones edited by `edit` (an errata), as a Bulletin. */
function bulletin(edit: (props: Record<string, unknown>) => void = () => {}): Bulletin {
  const zones = (day: 'today' | 'tomorrow') => {
    const json = JSON.parse(specText(`criticita/geojson/20260720_1510_${day}.toscana.json`)) as {
      features: { properties: Record<string, unknown> }[]
    }
    if (day === 'tomorrow') for (const f of json.features) edit(f.properties)
    return parseCriticitaZones(JSON.stringify(json))
  }
  return buildCriticitaBulletin({
    index: parseCriticitaIndex(specText('criticita/20260720_1510.json'), {
      fileName: '20260720_1510.json',
    }),
    today: zones('today'),
    tomorrow: zones('tomorrow'),
  }).bulletin
}
const item = (b: Bulletin): FeedItem => ({
  id: 7,
  sourceId: 1,
  externalId: b.externalId,
  capIdentifier: b.capIdentifier,
  hash: 'h',
  fetchedAt: '2026-07-20T13:40:00Z',
  sent: '2026-07-20T13:10:00Z',
  kind: 'dpc_criticita',
  level: b.level ?? null,
  headline: b.headline ?? '',
  isOurs: true,
  supersedesId: null,
  bulletin: b,
})
const orangeValdarno = (p: Record<string, unknown>) => {
  if (p['Nome zona'] === 'Valdarno Inf.')
    p['Per rischio idraulico'] = 'Moderata / ALLERTA ARANCIONE'
}

describe('what a DPC bulletin changes for our comuni', () => {
  it('nothing, between two readings of the same real bulletin', () => {
    expect(levelChanges(bulletin(), bulletin(), OURS)).toEqual([])
  })

  it('one sentence per risk and day, our comuni of the zone grouped, in the words of the room', () => {
    const changes = levelChanges(bulletin(), bulletin(orangeValdarno), OURS)
    expect(changes.map(describeChange)).toEqual([
      `${VALDARNO.join(', ')}: idraulico da verde ad arancione, domani`,
    ])
    // And back: a downgrade is a change too.
    expect(levelChanges(bulletin(orangeValdarno), bulletin(), OURS).map(describeChange)).toEqual([
      `${VALDARNO.join(', ')}: idraulico da arancione a verde, domani`,
    ])
  })

  it('matches our comuni by zone or by the published list, never by substring', () => {
    // Nobody has alert zones and the lists do not name us: nothing is ours.
    const strangers: OurComune[] = [{ name: 'Vinc', istatCode: null, alertZones: [] }]
    expect(levelChanges(null, bulletin(orangeValdarno), strangers)).toEqual([])
    // Without alert zones, the DPC's own lists still find Empoli.
    const byList: OurComune[] = [{ name: 'Empoli', istatCode: '048014', alertZones: [] }]
    expect(levelChanges(null, bulletin(orangeValdarno), byList).map(describeChange)).toContain(
      'Empoli: idraulico arancione, domani',
    )
  })
})

describe('the prefilled draft of a DPC bulletin', () => {
  const templateFor = (kind: string, level: string) => `${kind}-${level}`

  it('groups our comuni by level and risk when our zones differ, one draft per group', () => {
    const it0 = item(bulletin(orangeValdarno))
    const first = draftFromBulletin(it0, { ourAreas: [], level: 'arancione' }, OURS, templateFor)
    expect(first.groups?.map((g) => [g.level, g.kind, g.comuni, g.zones])).toEqual([
      ['arancione', 'idraulico', VALDARNO, ['Valdarno Inf.']],
      ['giallo', 'pioggia', VALDELSA, ['Valdelsa-Valdera']],
    ])
    expect(first).toMatchObject({
      group: 0,
      kind: 'idraulico',
      level: 'arancione',
      comuni: VALDARNO,
      templateId: 'idraulico-arancione',
      headline: 'Allerta arancione per rischio idraulico',
      // Tomorrow on Rome's clock.
      validFrom: '2026-07-20T22:00:00.000Z',
      validTo: '2026-07-21T22:00:00.000Z',
    })
    const second = draftFromBulletin(
      it0,
      { ourAreas: [], level: 'arancione' },
      OURS,
      templateFor,
      1,
    )
    expect(second).toMatchObject({
      group: 1,
      kind: 'pioggia',
      level: 'giallo',
      comuni: VALDELSA,
      templateId: 'pioggia-giallo',
      headline: 'Allerta gialla per rischio idrogeologico e temporali',
    })
  })

  it('proposes one group when every comune of ours has the same level and risks (the real bulletin)', () => {
    const d = draftFromBulletin(
      item(bulletin()),
      { ourAreas: [], level: 'giallo' },
      OURS,
      templateFor,
    )
    expect(d.groups).toHaveLength(1)
    expect(d.comuni).toEqual(OURS.map((c) => c.name))
  })
})
