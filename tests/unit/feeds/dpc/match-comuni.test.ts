import { describe, expect, it } from 'vitest'
import {
  createComuniMatcher,
  isOurComune,
  normaliseComuneName,
} from '../../../../src/main/core/feeds/dpc/match-comuni'
import { parseCriticitaZones } from '../../../../src/main/core/feeds/dpc/criticita-zones'
import { parseVigilanzaZones } from '../../../../src/main/core/feeds/dpc/vigilanza'
import { specText } from './specs'

const EMPOLESE = [
  ['Capraia e Limite', '048008'],
  ['Castelfiorentino', '048010'],
  ['Cerreto Guidi', '048011'],
  ['Certaldo', '048012'],
  ['Empoli', '048014'],
  ['Fucecchio', '048019'],
  ['Gambassi Terme', '048020'],
  ['Montaione', '048027'],
  ['Montelupo Fiorentino', '048028'],
  ['Montespertoli', '048030'],
  ['Vinci', '048050'],
].map(([name, istatCode]) => ({ name: name!, istatCode: istatCode!, alertZones: [] }))

describe('matching published comuni to ours', () => {
  const m = createComuniMatcher(EMPOLESE)

  it('finds our eleven comuni in the zones that list them, in both bulletins', () => {
    const crit = parseCriticitaZones(
      specText('criticita/geojson/20260720_1510_tomorrow.toscana.json'),
    )
    const found = (comuni: string[]) =>
      comuni.flatMap((c) => {
        const hit = m.match(c)
        return hit ? [hit.comune.name] : []
      })
    expect(found(crit.zones[0]!.comuni)).toEqual([]) // Arno-Firenze
    expect(found(crit.zones[1]!.comuni)).toEqual([
      'Capraia e Limite',
      'Cerreto Guidi',
      'Empoli',
      'Fucecchio',
      'Montelupo Fiorentino',
      'Vinci',
    ])
    expect(found(crit.zones[2]!.comuni)).toEqual([
      'Castelfiorentino',
      'Certaldo',
      'Gambassi Terme',
      'Montaione',
      'Montespertoli',
    ])
    const vig = parseVigilanzaZones(specText('vigilanza/geojson/20260720_domani.toscana.json'))
    expect(found(vig.zones[0]!.comuni)).toHaveLength(11)
    expect(found(vig.zones[1]!.comuni)).toEqual(['Montelupo Fiorentino', 'Montespertoli'])
    expect(found(vig.zones[2]!.comuni)).toEqual([
      'Capraia e Limite',
      'Montelupo Fiorentino',
      'Vinci',
    ])
  })

  it('never by substring', () => {
    for (const name of ['Provincia di Vinci', 'Vincigliata', 'Empoli Est', 'San Vinci', 'Vinc', ''])
      expect(m.match(name), name).toBeUndefined()
    expect(m.matchesAny(['Provincia di Firenze', 'Città Metropolitana di Firenze'])).toBe(false)
    expect(isOurComune('Provincia di Vinci', EMPOLESE[10]!)).toBe(false)
  })

  it('folds accents, apostrophes, spaces and case', () => {
    expect(normaliseComuneName('  Montopoli in Val d’Arno ')).toBe(
      normaliseComuneName("montopoli in val d'arno"),
    )
    expect(normaliseComuneName('Valle d?Aosta')).toBe(normaliseComuneName("Valle d'Aosta"))
    expect(normaliseComuneName('Senorbì')).toBe('senorbi')
    const other = createComuniMatcher([
      { name: 'Città della Pieve' },
      { name: "Sant'Angelo Lodigiano" },
      { name: 'Montecatini-Terme' },
    ])
    expect(other.match('CITTA DELLA  PIEVE')?.by).toBe('name')
    expect(other.match('Sant’Angelo Lodigiano')?.by).toBe('name')
    expect(other.match('Montecatini Terme')?.by).toBe('name')
    expect(m.match('EMPOLI')).toMatchObject({ by: 'name', comune: { name: 'Empoli' } })
  })

  it('by ISTAT code when the publisher gives one, so a homonym elsewhere is not ours', () => {
    expect(m.match({ name: 'Comune di Empoli', istatCode: '048014' })).toMatchObject({
      by: 'istat',
      comune: { name: 'Empoli' },
    })
    expect(m.match({ name: 'Empoli', istatCode: '48014' })?.by).toBe('istat')
    expect(m.match({ name: 'Vinci', istatCode: '099999' })).toBeUndefined()
    expect(isOurComune({ name: 'Vinci', istatCode: '099999' }, EMPOLESE[10]!)).toBe(false)
    expect(isOurComune({ name: 'Vinci', istatCode: '048050' }, EMPOLESE[10]!)).toBe(true)
    // Ours without a code: the name decides.
    expect(
      createComuniMatcher([{ name: 'Vinci' }]).match({ name: 'Vinci', istatCode: '048050' })?.by,
    ).toBe('name')
  })

  it('the vigilance names with dropped letters, by the whole name only', () => {
    const vig = parseVigilanzaZones(specText('vigilanza/geojson/20260720_domani.toscana.json'))
    const comuni = vig.zones.flatMap((z) => z.comuni)
    const other = createComuniMatcher([
      { name: 'Città della Pieve' },
      { name: 'Castel San Niccolò' },
      { name: 'Castelfranco Piandiscò' },
    ])
    const hits = comuni.flatMap((c) => {
      const hit = other.match(c)
      return hit ? [[c, hit.comune.name, hit.by]] : []
    })
    expect(hits).toEqual([
      ['Citt della Pieve', 'Città della Pieve', 'dropped_letters'],
      ['Castelfranco Piandisc', 'Castelfranco Piandiscò', 'dropped_letters'],
      ['Castel San Niccol', 'Castel San Niccolò', 'dropped_letters'],
    ])
    expect(isOurComune('Citt della Pieve', { name: 'Città della Pieve' })).toBe(true)
    // Not a prefix: "Citt" alone, or the name with a letter more, is not the comune.
    expect(other.match('Citt')).toBeUndefined()
    expect(other.match('Citta della Pieve X')).toBeUndefined()
    // A form two of ours would share decides nothing.
    const twins = createComuniMatcher([{ name: 'Castel Niccolò' }, { name: 'Castel Niccolà' }])
    expect(twins.match('Castel Niccol')).toBeUndefined()
    expect(twins.match('Castel Niccolò')?.comune.name).toBe('Castel Niccolò')
  })

  it('aliases cover names the publisher still uses (pre-merger comuni)', () => {
    const bt = createComuniMatcher([
      { name: 'Barberino Tavarnelle', aliases: ["Barberino Val d'Elsa", 'Tavarnelle Val di Pesa'] },
    ])
    expect(bt.match('Tavarnelle Val di Pesa')?.comune.name).toBe('Barberino Tavarnelle')
    expect(bt.match('Barberino Tavarnelle')?.by).toBe('name')
  })
})
