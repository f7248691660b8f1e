import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LEVEL_COLOURS } from '../../../src/main/core/maps'
import type { MapView } from '../../../src/shared/contract/maps'
import { smsAlerts, type SmsAlerts } from '../../support/sms-alert'
import { createTestCore, type TestCore } from '../../support/test-core'

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

let t: TestCore
let room: SmsAlerts
beforeEach(async () => {
  t = createTestCore()
  room = await smsAlerts(t, 'Giulia Neri')
})
afterEach(() => t.dispose())

/** Each comune's path in the SVG: its name and level attributes, and the pattern it is filled with. */
function paths(svg: string): { name: string; level: string; fill: string }[] {
  return [
    ...svg.matchAll(/<path id="comune-\d+" data-name="([^"]+)" data-level="(\w+)" fill="([^"]+)"/g),
  ].map((m) => ({ name: m[1]!, level: m[2]!, fill: m[3]! }))
}

/** The card's words, its lines joined. */
const words = (svg: string) =>
  [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ')

/** The colour under a level's pattern, as the SVG defines it. */
function patternColour(svg: string, level: string): string | undefined {
  return new RegExp(`<pattern id="level-${level}"[^>]*><rect [^>]*fill="(#[0-9a-f]{6})"`).exec(
    svg,
  )?.[1]
}

describe('maps:levels, the levels in force on the map', () => {
  it('draws the 11 comuni green when nothing is in force, compact: a viewBox and no title', async () => {
    const map = await room.call<MapView>('maps:levels', {})
    expect(map.variant).toBe('compact')
    expect(
      paths(map.svg)
        .map((p) => p.name)
        .sort(),
    ).toEqual(CIRCONDARIO)
    expect(paths(map.svg).every((p) => p.fill === 'url(#level-verde)')).toBe(true)
    expect(map.svg).toMatch(new RegExp(`viewBox="0 0 ${map.width} ${map.height}"`))
    expect(map.svg).not.toContain('Protezione civile')
    expect(map.alt).toContain('tutti gli 11 comuni in verde, senza allerta')
  })

  it('colours a confirmed alert’s comuni at its level, and follows an update', async () => {
    const orange = await room.confirm(
      await room.draft({
        level: 'arancione',
        comuni: ['Empoli', 'Vinci'],
        headline: 'Piena dell’Arno',
        sms: 'Allerta arancione',
      }),
    )
    let map = await room.call<MapView>('maps:levels', {})
    const byName = Object.fromEntries(paths(map.svg).map((p) => [p.name, p]))
    expect(byName['Empoli']).toMatchObject({ level: 'arancione', fill: 'url(#level-arancione)' })
    expect(byName['Vinci']).toMatchObject({ level: 'arancione', fill: 'url(#level-arancione)' })
    expect(byName['Certaldo']).toMatchObject({ level: 'verde', fill: 'url(#level-verde)' })
    expect(patternColour(map.svg, 'arancione')).toBe(LEVEL_COLOURS.arancione)
    expect(map.comuni.find((c) => c.name === 'Empoli')?.level).toBe('arancione')
    expect(map.alt).toContain('Empoli e Vinci in arancione')
    expect(map.alt).toContain('gli altri 9 comuni in verde')

    await room.confirm(
      await room.followUp(orange, 'Update', {
        level: 'rosso',
        comuni: ['Empoli', 'Vinci', 'Certaldo'],
        sms: 'Allerta rossa',
      }),
    )
    map = await room.call<MapView>('maps:levels', {})
    expect(
      paths(map.svg)
        .filter((p) => p.level === 'rosso')
        .map((p) => p.name),
    ).toEqual(expect.arrayContaining(['Empoli', 'Vinci', 'Certaldo']))
    expect(patternColour(map.svg, 'rosso')).toBe(LEVEL_COLOURS.rosso)
    expect(map.alt).toContain('Certaldo, Empoli e Vinci in rosso')
  })

  it('leaves off the picture a comune of another union, and says so', async () => {
    await room.call('comuni:create', { name: 'Borgo di Prova', province: 'FI' })
    const map = await room.call<MapView>('maps:levels', {})
    expect(map.unmapped).toEqual(['Borgo di Prova'])
    expect(paths(map.svg)).toHaveLength(11)
  })
})

describe('maps:alert, an alert’s card', () => {
  it('draws a draft’s comuni at its level, with its title, validity and the alt text naming them', async () => {
    const draft = await room.draft({
      level: 'giallo',
      comuni: ['Certaldo', 'Montaione'],
      headline: 'Temporali <forti> & grandine',
      sms: 'Allerta gialla',
    })
    const map = await room.call<MapView>('maps:alert', { id: draft.id })
    expect(map.variant).toBe('card')
    expect(paths(map.svg)).toHaveLength(11)
    const yellow = paths(map.svg).filter((p) => p.level === 'giallo')
    expect(yellow.map((p) => p.name).sort()).toEqual(['Certaldo', 'Montaione'])
    expect(yellow.every((p) => p.fill === 'url(#level-giallo)')).toBe(true)
    expect(patternColour(map.svg, 'giallo')).toBe(LEVEL_COLOURS.giallo)
    expect(words(map.svg)).toContain('Allerta gialla per rischio idraulico')
    // The headline is the operator's text: escaped, never markup.
    expect(map.svg).toContain('Temporali &lt;forti&gt; &amp; grandine')
    expect(map.svg).not.toContain('<forti>')
    expect(map.alt).toMatch(/^Mappa dei comuni del Circondario: Certaldo e Montaione in giallo; /)
    expect(map.alt).toContain('Allerta gialla per rischio idraulico, dalle')
    expect(map.alt).toContain('Protezione civile Empolese Valdelsa')
  })

  it('draws a cessata’s comuni back to green', async () => {
    const orange = await room.confirm(
      await room.draft({ level: 'arancione', comuni: ['Fucecchio'], headline: 'h', sms: 's' }),
    )
    const cessata = await room.followUp(orange, 'Cancel', {
      level: 'verde',
      comuni: ['Fucecchio'],
      sms: 'Cessata',
    })
    const map = await room.call<MapView>('maps:alert', { id: cessata.id })
    expect(paths(map.svg).every((p) => p.level === 'verde')).toBe(true)
    expect(map.alt).toContain('Cessata allerta')
  })

  it('answers not_found for an alert that does not exist', async () => {
    await expect(room.call('maps:alert', { id: 999 })).rejects.toThrow(/maps:alert/)
  })
})
