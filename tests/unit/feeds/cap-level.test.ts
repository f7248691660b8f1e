import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { draftFromBulletin } from '../../../src/main/core/bulletins/bulletin-draft'
import { parseCap } from '../../../src/main/core/feeds/parsers/cap'
import type { Bulletin, FeedItem } from '../../../src/shared/feeds/types'

const SPECS = path.resolve(__dirname, '../../../../shared/specs')
const spec = (name: string): string => readFileSync(path.join(SPECS, name), 'utf8')

/** Météo-France's real MeteoAlarm detail, with its `awareness_level` parameters taken out. */
const withoutAwareness = (xml: string): string =>
  xml.replace(/<parameter>\s*<valueName>awareness_level<\/valueName>[\s\S]*?<\/parameter>/g, '')

function item(b: Bulletin): FeedItem {
  return {
    id: 7,
    sourceId: 1,
    externalId: b.externalId,
    capIdentifier: b.capIdentifier,
    hash: 'h',
    fetchedAt: '2026-01-01T00:00:00Z',
    sent: '2026-01-01T00:00:00Z',
    kind: 'cap',
    level: b.level ?? null,
    headline: b.headline ?? '',
    isOurs: true,
    supersedesId: null,
    bulletin: b,
  }
}
const draft = (b: Bulletin) =>
  draftFromBulletin(
    item(b),
    { ourAreas: [], level: b.level ?? null },
    ['Empoli'],
    (kind, level) => `${kind}-${level}`,
  )

describe('the level of a CAP message that is not from MeteoAlarm', () => {
  it('comes from its severity when it names no colour (thunderstorm.cap: Severe → arancione)', () => {
    const b = parseCap(spec('cap/thunderstorm.cap'))
    expect(b.level).toBe('arancione')
    expect(b.levelKind).toBe('cap_severity')
  })

  it('follows the severity table of README (wcatwc Extreme → rosso, canada Minor → verde, earthquake Unknown → none)', () => {
    expect(parseCap(spec('cap/wcatwc-warning.cap')).level).toBe('rosso')
    expect(parseCap(spec('cap/canada.cap')).level).toBe('verde')
    expect(parseCap(spec('cap/earthquake.cap')).level).toBeUndefined()
    const moderate = parseCap(withoutAwareness(spec('meteoalarm/france_sample_detail.xml')))
    expect(moderate.level).toBe('giallo')
    expect(moderate.levelKind).toBe('cap_severity')
  })

  it('takes a regional level parameter before the severity', () => {
    // Derived from the real sample: its awareness_level replaced by a regional parameter.
    const xml = spec('meteoalarm/france_sample_detail.xml').replace(
      /<valueName>awareness_level<\/valueName>\s*<value>[^<]*<\/value>/g,
      '<valueName>livello_allerta</valueName><value>Allerta arancione</value>',
    )
    const b = parseCap(xml)
    expect(b.level).toBe('arancione')
    expect(b.levelKind).toBe('cap_level')
  })

  it('is labelled a MeteoAlarm warning only when the source is MeteoAlarm', () => {
    const xml = spec('meteoalarm/france_sample_detail.xml')
    const elsewhere = parseCap(xml)
    expect(elsewhere.level).toBe('giallo')
    expect(elsewhere.levelKind).toBe('cap_level')
    const fromMeteoAlarm = parseCap(xml, { meteoAlarm: true })
    expect(fromMeteoAlarm.levelKind).toBe('meteo_warning')
    // A message whose own web page is MeteoAlarm's says so itself.
    const linked = parseCap(
      xml.replace(/http:\/\/vigilance\.meteofrance\.com\//g, 'https://meteoalarm.org/en/live/'),
    )
    expect(linked.levelKind).toBe('meteo_warning')
  })
})

describe('a draft from a CAP message', () => {
  it('carries its description and instructions', () => {
    const b = parseCap(spec('cap/thunderstorm.cap'))
    const d = draft(b)
    expect(d.description).toContain('NATIONAL WEATHER SERVICE DOPPLER RADAR INDICATED')
    expect(d.instruction).toBe('TAKE COVER IN A SUBSTANTIAL SHELTER UNTIL THE STORM PASSES.')
    expect(d.warnings).toEqual([])
    expect(d.level).toBe('arancione')
  })

  it('takes the higher level, with a warning, when the headline names another colour', () => {
    // thunderstorm.cap with a Moderate severity (giallo) and an Italian headline saying orange.
    const xml = spec('cap/thunderstorm.cap')
      .replace('<severity>Severe</severity>', '<severity>Moderate</severity>')
      .replace(
        '<headline>SEVERE THUNDERSTORM WARNING</headline>',
        '<headline>Allerta arancione per temporali</headline>',
      )
    const d = draft(parseCap(xml))
    expect(d.level).toBe('arancione')
    expect(d.templateId).toBe('temporali-arancione')
    expect(d.warnings).toEqual([
      { code: 'headline_level', params: { headline: 'arancione', bulletin: 'giallo' } },
    ])
    // A headline naming a lower colour does not lower the level, but still warns.
    const lower = draft(parseCap(xml.replace('Moderate', 'Extreme')))
    expect(lower.level).toBe('rosso')
    expect(lower.warnings[0]?.params).toEqual({ headline: 'arancione', bulletin: 'rosso' })
  })
})
