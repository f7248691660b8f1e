import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { parseCap } from '../../../src/main/core/feeds/parsers/cap'

const SPECS = path.resolve(__dirname, '../../../../shared/specs')
const spec = (name: string): Buffer => readFileSync(path.join(SPECS, name))
const fixture = (name: string): Buffer => readFileSync(path.join(__dirname, 'fixtures', name))

function failure(run: () => unknown): FeedError {
  try {
    run()
  } catch (err) {
    if (err instanceof FeedError) return err
    throw err
  }
  throw new Error('expected a FeedError')
}

describe('parseCap on the public samples', () => {
  it('reads a CAP 1.2 message with a namespace prefix and two info blocks (australia.cap)', () => {
    const b = parseCap(spec('cap/australia.cap'))
    expect(b.externalId).toBe('tag:www.rfs.nsw.gov.au2011-10-06:40184')
    expect(b.sender).toBe('webmaster@rfs.nsw.gov.au')
    expect(b.sent).toBe('2011-10-05T23:04:00+10:00')
    expect(b.msgType).toBe('Alert')
    expect(b.status).toBe('Actual')
    expect(b.event).toBe('Fire')
    expect(b.severity).toBe('Minor')
    expect(b.urgency).toBe('Expected')
    expect(b.certainty).toBe('Observed')
    expect(b.headline).toBe('Yerong Creek Structure Fire')
    expect(b.language).toBe('en-AU')
    // Both en-AU info blocks describe the same area with different geocodes: both are kept.
    expect(b.areas).toEqual([
      {
        name: 'Yerong Creek Structure Fire',
        geocodes: [{ valueName: 'http://www.iso.org/iso/country_codes.html', value: 'AU-NSW' }],
      },
      {
        name: 'Yerong Creek Structure Fire',
        geocodes: [
          { valueName: 'http://www.psma.com.au/?product=postcode-boundaries', value: '2642' },
        ],
      },
    ])
    // No colour named: the severity table of README gives Minor → verde, deduced not stated.
    expect(b.level).toBe('verde')
    expect(b.levelKind).toBe('cap_severity')
  })

  it('reads references of an Update and prefers English over French (canada.cap)', () => {
    const b = parseCap(spec('cap/canada.cap'))
    expect(b.msgType).toBe('Update')
    expect(b.references).toEqual([
      {
        sender: 'cap@ec.gc.ca',
        identifier: '2.49.0.1.124.a3f342a4.2012',
        sent: '2012-05-02T21:45:05-00:00',
      },
      {
        sender: 'cap@ec.gc.ca',
        identifier: '2.49.0.1.124.60f31a3a.2012',
        sent: '2012-05-02T21:55:21-00:00',
      },
    ])
    expect(b.language).toBe('en-CA')
    expect(b.headline).toBe('severe thunderstorm watch')
    expect(b.areas.map((a) => a.name)).toEqual([
      'Windsor - Leamington - Essex County',
      'Chatham-Kent - Rondeau Park',
    ])
    expect(b.areas[0]?.geocodes).toHaveLength(10)
  })

  it('falls back to the first language when neither Italian nor English is present', () => {
    const b = parseCap(spec('cap/canada.cap'), { preferredLanguages: ['de'] })
    expect(b.language).toBe('en-CA')
    const fr = parseCap(spec('cap/canada.cap'), { preferredLanguages: ['fr'] })
    expect(fr.language).toBe('fr-CA')
    expect(fr.headline).toBe("veille d'orages violents")
    expect(fr.description).toContain("C'est l'épreuve")
  })

  it('decodes a message declared ISO-8859-1 (earthquake-iso8859-1.cap)', () => {
    const b = parseCap(spec('cap/earthquake-iso8859-1.cap'))
    expect(b.headline).toBe('EQ 4.6 Usulután, Usulután, El Salvador - PRELIMINARY REPORT')
    expect(b.onset).toBe('2012-10-14T22:40:56+00:00')
    // CAP: a missing <language> means en-US.
    expect(b.language).toBe('en-US')
  })

  it('reads CAP 1.1 messages (earthquake.cap, weather.cap, thunderstorm.cap, wcatwc-warning.cap)', () => {
    expect(parseCap(spec('cap/earthquake.cap')).headline).toBe(
      'EQ 6.3 Neiafu, Tonga - PRELIMINARY REPORT',
    )
    const weather = parseCap(spec('cap/weather.cap'))
    expect(weather.event).toBe('Flash Flood Watch')
    expect(weather.areas[0]?.geocodes).toEqual([
      { valueName: 'FIPS6', value: '030049' },
      { valueName: 'UGC', value: 'MTZ014' },
    ])
    expect(weather.description).toContain('FLASH FLOOD WATCH REMAINS IN EFFECT')
    const storm = parseCap(spec('cap/thunderstorm.cap'))
    expect(storm.instruction).toBe('TAKE COVER IN A SUBSTANTIAL SHELTER UNTIL THE STORM PASSES.')
    const tsunami = parseCap(spec('cap/wcatwc-warning.cap'))
    expect(tsunami.severity).toBe('Extreme')
    expect(tsunami.references).toEqual([
      { sender: 'PAAQ', identifier: 'PAAQ-1-lqw6d6', sent: '2011-09-02T10:55:55-00:00' },
    ])
  })

  it('accepts a message with no info block (no_optional_fields.cap)', () => {
    const b = parseCap(spec('cap/no_optional_fields.cap'))
    expect(b.externalId).toBe('USGS-earthquakes-us2010apcd.6.20100831T000925.496Z')
    expect(b.event).toBeNull()
    expect(b.areas).toEqual([])
    expect(b.language).toBeNull()
  })

  it('reads MeteoAlarm awareness_level as a meteorological warning level', () => {
    // The poller says the source is MeteoAlarm (its URL); the message itself does not.
    const france = parseCap(spec('meteoalarm/france_sample_detail.xml'), { meteoAlarm: true })
    expect(france.level).toBe('giallo')
    expect(france.levelKind).toBe('meteo_warning')
    expect(france.language).toBe('en-GB')
    expect(france.areas.map((a) => a.geocodes[0]?.value)).toEqual([
      'FR821',
      'FR822',
      'FR823',
      'FR714',
      'FR717',
      'FR718',
    ])
    const ireland = parseCap(spec('meteoalarm/ireland_sample_detail.xml'))
    expect(ireland.level).toBe('giallo')
    expect(ireland.headline).toBe('Ice warning for Ireland')
    expect(ireland.sender).toBe('forecasts@met.ie')
  })

  it('chooses the it-IT info when several languages exist', () => {
    const b = parseCap(fixture('meteoalarm-it-alert.cap'))
    expect(b.language).toBe('it-IT')
    expect(b.headline).toBe('Avviso arancione per piogge in Toscana')
    expect(b.instruction).toBe('Evitare i sottopassi.')
    expect(b.level).toBe('arancione')
    expect(b.areas.map((a) => a.name)).toEqual(['Firenze', 'Pisa'])
  })
})

describe('parseCap refuses invalid messages with a clear message', () => {
  it('names the missing required element (invalid.cap lacks <scope>)', () => {
    const err = failure(() => parseCap(spec('cap/invalid.cap')))
    expect(err.code).toBe('invalid_cap')
    expect(err.message).toContain('manca <scope>')
  })

  it('rejects an empty <references/> (canada_errors.cap)', () => {
    const err = failure(() => parseCap(spec('cap/canada_errors.cap')))
    expect(err.code).toBe('invalid_cap')
    expect(err.message).toContain('<references> è presente ma vuoto')
  })

  it('lists every problem at once (noaa_errors.cap)', () => {
    const err = failure(() => parseCap(spec('cap/noaa_errors.cap')))
    expect(err.code).toBe('invalid_cap')
    expect(err.extra.details).toEqual(
      expect.arrayContaining([
        '<references> è presente ma vuoto',
        'info 1: manca <urgency> (obbligatorio)',
        'info 1: manca <severity> (obbligatorio)',
        'info 1: manca <certainty> (obbligatorio)',
      ]),
    )
  })

  it('rejects values outside the CAP enumerations and unreadable dates', () => {
    const text = spec('cap/thunderstorm.cap')
      .toString('utf8')
      .replace('<status>Actual</status>', '<status>Real</status>')
      .replace('2003-06-17T14:57:00-07:00', 'ieri alle tre')
    const err = failure(() => parseCap(text))
    expect(err.message).toContain('<status> vale "Real"')
    expect(err.message).toContain('<sent> non è una data valida')
  })

  it('says when the document is not CAP at all', () => {
    expect(failure(() => parseCap(spec('cap/weather.atom'))).code).toBe('not_a_feed')
    expect(failure(() => parseCap('<alert><identifier>x</identifier></alert>')).message).toContain(
      'non è un messaggio CAP',
    )
  })

  it('reports truncated XML with its position', () => {
    const text = spec('cap/weather.cap').toString('utf8')
    const err = failure(() => parseCap(text.slice(0, 900)))
    expect(err.code).toBe('malformed')
    expect(err.message).toMatch(/riga \d+, colonna \d+/)
  })
})
