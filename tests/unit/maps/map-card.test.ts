import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { describe, expect, it } from 'vitest'
import {
  buildMapCardSvg,
  CARD_SIZES,
  LEVEL_COLOURS,
  loadBoundaries,
  mapAltText,
  renderMapCard,
  renderSvgToPng,
  validityWords,
  type CardFormat,
  type MapCardData,
} from '../../../src/main/core/maps'
import { decodePng, differingShare, pngSize } from './png'

const RESOURCES = resolve(__dirname, '../../../resources')
const FIXTURES = resolve(__dirname, '../../fixtures/maps')
const boundaries = loadBoundaries(RESOURCES)

const CIRCONDARIO = [
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

/** An orange alert for three comuni, a yellow one for Certaldo, as the issue's example. */
const ORANGE: MapCardData = {
  comuni: [
    { name: 'Empoli', level: 'arancione' },
    { name: 'Vinci', level: 'arancione' },
    { name: 'Fucecchio', level: 'arancione' },
    { name: 'Certaldo', level: 'giallo' },
  ],
  kind: 'idraulico',
  validFrom: '2025-12-03T14:00:00+01:00',
  validTo: '2025-12-04T08:00:00+01:00',
  headline: "Possibili esondazioni dell'Arno: state lontani da argini e sottopassi.",
  ente: { name: 'Protezione civile Empolese Valdelsa', hashtag: '#allertameteoTOS' },
}

describe('the boundaries shipped in resources/maps', () => {
  it('hold the 11 comuni of the Circondario by ISTAT code and 21 neighbours of the province', () => {
    const ours = boundaries.comuni.filter((c) => c.circondario)
    expect(ours.map((c) => c.name).sort()).toEqual(CIRCONDARIO)
    expect(ours.every((c) => /^048\d{3}$/.test(c.istat))).toBe(true)
    expect(boundaries.comuni.filter((c) => !c.circondario)).toHaveLength(21)
    expect(boundaries.attribution).toMatch(/ISTAT.*CC-BY/)
  })

  it('keep the ISTAT outline of each comune to within 10 m (rounded, not simplified away)', () => {
    const source = JSON.parse(
      readFileSync(
        resolve(__dirname, '../../../../shared/specs/geo/empolese-valdelsa.geojson'),
        'utf8',
      ),
    ) as {
      features: {
        properties: { com_istat_code: string }
        geometry: { coordinates: number[][][] }
      }[]
    }
    for (const f of source.features) {
      const ours = boundaries.comuni.find((c) => c.istat === f.properties.com_istat_code)!
      const ring = f.geometry.coordinates[0]!
      expect(ours.rings[0]!.length).toBeGreaterThan(ring.length * 0.95)
      const [lon, lat] = ring[Math.floor(ring.length / 2)]!
      const nearest = Math.min(
        ...ours.rings[0]!.map(([x, y]) => Math.hypot((x - lon!) * 0.72, y - lat!)),
      )
      expect(nearest * 111_000).toBeLessThan(10)
    }
  })
})

describe('the map card SVG', () => {
  for (const format of ['landscape', 'square'] as CardFormat[]) {
    it(`${format}: draws the 11 comuni, each with its level's colour and pattern`, () => {
      const card = buildMapCardSvg(ORANGE, boundaries, format)
      expect([card.width, card.height]).toEqual([
        CARD_SIZES[format].width,
        CARD_SIZES[format].height,
      ])
      const paths = [
        ...card.svg.matchAll(
          /<path id="comune-(\d+)" data-name="([^"]+)" data-level="(\w+)" fill="url\(#level-(\w+)\)"/g,
        ),
      ]
      expect(paths.map((m) => m[2]).sort()).toEqual(CIRCONDARIO)
      const level = Object.fromEntries(paths.map((m) => [m[2], m[3]]))
      expect(level).toMatchObject({
        Empoli: 'arancione',
        Vinci: 'arancione',
        Fucecchio: 'arancione',
        Certaldo: 'giallo',
        Montaione: 'verde',
      })
      for (const m of paths) expect(m[4]).toBe(m[3])
      // Each level's pattern: its colour underneath, and marks on it but for green.
      for (const l of ['giallo', 'arancione', 'verde'] as const) {
        const pattern = card.svg.match(new RegExp(`<pattern id="level-${l}"[^>]*>(.*?)</pattern>`))
        expect(pattern, l).not.toBeNull()
        expect(pattern![1]).toContain(`fill="${LEVEL_COLOURS[l]}"`)
        if (l === 'verde') expect(pattern![1]).not.toMatch(/<path|<circle/)
        else expect(pattern![1]).toMatch(/<path|<circle/)
      }
      // The neighbouring comuni in grey, the legend for the levels shown, words and ente.
      expect(card.svg).toMatch(
        /<g id="neighbours" fill="#d4d4d4"[^>]*>(<path d="M[^"]+"\/>){21}<\/g>/,
      )
      expect(card.svg).toContain('Arancione — allerta arancione')
      expect(card.svg).toContain('Giallo — allerta gialla')
      expect(card.svg).toContain('Verde — nessuna allerta')
      expect(card.svg).not.toContain('Rosso — allerta rossa')
      expect(card.title).toBe('Allerta arancione per rischio idraulico')
      expect(card.validity).toBe('dalle 14 di mercoledì 3 alle 8 di giovedì 4 dicembre')
      // The words as a person reads them: top to bottom.
      const words = [
        ...card.svg
          .slice(card.svg.lastIndexOf('</g>'))
          .matchAll(/<text x="[\d.]+" y="([\d.]+)"[^>]*>([^<]*)<\/text>/g),
      ]
        .sort((a, b) => Number(a[1]) - Number(b[1]))
        .map((m) => m[2])
        .join(' ')
      expect(words).toContain('Protezione civile Empolese Valdelsa')
      expect(words).toContain('#allertameteoTOS')
      expect(words).toContain('Confini comunali: ISTAT, CC-BY')
    })

    it(`${format}: every comune's polygon lies inside the map's frame, and the frame inside the card`, () => {
      const card = buildMapCardSvg(ORANGE, boundaries, format)
      const f = card.frame
      expect(f.x).toBeGreaterThanOrEqual(0)
      expect(f.y).toBeGreaterThanOrEqual(0)
      expect(f.x + f.width).toBeLessThanOrEqual(card.width)
      expect(f.y + f.height).toBeLessThanOrEqual(card.height)
      expect(f.height).toBeGreaterThan(card.height * 0.45)
      expect(card.comuni).toHaveLength(11)
      for (const c of card.comuni) {
        expect(c.bounds.x, c.name).toBeGreaterThanOrEqual(f.x)
        expect(c.bounds.y, c.name).toBeGreaterThanOrEqual(f.y)
        expect(c.bounds.x + c.bounds.width, c.name).toBeLessThanOrEqual(f.x + f.width)
        expect(c.bounds.y + c.bounds.height, c.name).toBeLessThanOrEqual(f.y + f.height)
        expect(c.bounds.width, c.name).toBeGreaterThan(20)
      }
    })
  }

  it('names the comune the alert does not know, with the ones it does', () => {
    expect(() =>
      buildMapCardSvg({ ...ORANGE, comuni: [{ name: 'Pisa', level: 'rosso' }] }, boundaries),
    ).toThrow(/Pisa.*Capraia e Limite/)
  })

  it('matches comuni whatever their case and accents', () => {
    const card = buildMapCardSvg(
      { ...ORANGE, comuni: [{ name: 'montelupo  fiorentino', level: 'rosso' }] },
      boundaries,
    )
    expect(card.svg).toMatch(/data-name="Montelupo Fiorentino" data-level="rosso"/)
    expect(card.title).toBe('Allerta rossa per rischio idraulico')
  })
})

describe('validity in words, on Rome’s clock', () => {
  it('says the month once when both ends share it', () => {
    expect(validityWords('2025-12-03T13:00:00Z', '2025-12-04T07:00:00Z')).toBe(
      'dalle 14 di mercoledì 3 alle 8 di giovedì 4 dicembre',
    )
  })
  it('says both months across a month, minutes when there are, the 1 and midnight', () => {
    expect(validityWords('2026-03-31T22:30:00+02:00', '2026-04-01T01:00:00+02:00')).toBe(
      'dalle 22:30 di martedì 31 marzo all’1 di mercoledì 1 aprile'.replace('’', "'"),
    )
    expect(validityWords('2025-12-04T00:00:00+01:00', null)).toBe(
      'dalla mezzanotte di giovedì 4 dicembre',
    )
    expect(validityWords(null, '2025-12-04T20:00:00+01:00')).toBe(
      'fino alle 20 di giovedì 4 dicembre',
    )
    expect(validityWords(null, null)).toBe('')
  })
})

describe('the alt text', () => {
  it('lists the comuni by level in Italian, then the alert and the ente', () => {
    expect(mapAltText(ORANGE, boundaries)).toBe(
      'Mappa dei comuni del Circondario: Empoli, Fucecchio e Vinci in arancione; Certaldo in giallo; ' +
        'gli altri 7 comuni in verde, senza allerta (Capraia e Limite, Castelfiorentino, Cerreto Guidi, ' +
        'Gambassi Terme, Montaione, Montelupo Fiorentino e Montespertoli). ' +
        'Allerta arancione per rischio idraulico, dalle 14 di mercoledì 3 alle 8 di giovedì 4 dicembre. ' +
        "Possibili esondazioni dell'Arno: state lontani da argini e sottopassi. " +
        'Protezione civile Empolese Valdelsa #allertameteoTOS',
    )
  })

  it('says red first, and every comune when the alert covers them all', () => {
    const all: MapCardData = {
      ...ORANGE,
      headline: null,
      kind: 'temporali',
      comuni: CIRCONDARIO.map((name) => ({ name, level: name === 'Vinci' ? 'rosso' : 'giallo' })),
    }
    const alt = mapAltText(all, boundaries)
    expect(alt).toMatch(
      /^Mappa dei comuni del Circondario: Vinci in rosso; Capraia e Limite, .* e Montespertoli in giallo\. Allerta rossa per temporali forti, /,
    )
    expect(alt).not.toContain('verde')
  })
})

describe('the PNG, rendered with the shipped fonts only', () => {
  it('reads back as resvg drew it (the test’s PNG reader is right)', () => {
    const card = buildMapCardSvg(ORANGE, boundaries, 'landscape')
    const direct = new Resvg(card.svg, {
      font: {
        loadSystemFonts: false,
        fontFiles: [
          join(RESOURCES, 'maps/fonts/DejaVuSans.ttf'),
          join(RESOURCES, 'maps/fonts/DejaVuSans-Bold.ttf'),
        ],
        defaultFontFamily: 'DejaVu Sans',
      },
      shapeRendering: 2,
      textRendering: 1,
    }).render()
    const decoded = decodePng(renderSvgToPng(card.svg, RESOURCES))
    expect(decoded.width).toBe(direct.width)
    expect(Buffer.from(decoded.data).equals(direct.pixels)).toBe(true)
  })

  for (const format of ['landscape', 'square'] as CardFormat[]) {
    it(`${format}: matches the reference picture within a small tolerance`, () => {
      const card = renderMapCard(ORANGE, RESOURCES, format)
      expect(pngSize(card.png)).toEqual(CARD_SIZES[format])
      const reference = join(FIXTURES, `orange-${format}.png`)
      if (process.env.VEDETTA_UPDATE_GOLDEN === '1' || !existsSync(reference)) {
        if (process.env.CI) throw new Error(`missing reference ${reference}`)
        writeFileSync(reference, card.png)
      }
      const share = differingShare(decodePng(card.png), decodePng(readFileSync(reference)))
      expect(share).toBeLessThan(0.002)
    })
  }

  it('differs from the reference when one comune changes level (the comparison sees it)', () => {
    const changed = renderMapCard(
      { ...ORANGE, comuni: [...ORANGE.comuni, { name: 'Montaione', level: 'rosso' }] },
      RESOURCES,
      'landscape',
    )
    const reference = decodePng(readFileSync(join(FIXTURES, 'orange-landscape.png')))
    expect(differingShare(decodePng(changed.png), reference)).toBeGreaterThan(0.01)
  })
})
