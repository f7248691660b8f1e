import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { htmlToText } from '../../../src/shared/text/html-to-text'
import {
  estimateSpokenSeconds,
  numberToItalian,
  toSpokenItalian,
  voiceOpening,
} from '../../../src/shared/text/spoken-it'

// Thursday 3 December 2026, ten in the morning in Rome.
const now = '2026-12-03T10:00:00+01:00'
const spoken = (text: string) => toSpokenItalian(text, { now })

describe('numberToItalian', () => {
  it.each([
    [0, 'zero'],
    [3, 'tre'],
    [14, 'quattordici'],
    [21, 'ventuno'],
    [23, 'ventitré'],
    [28, 'ventotto'],
    [100, 'cento'],
    [108, 'centotto'],
    [112, 'centododici'],
    [183, 'centottantatré'],
    [1000, 'mille'],
    [1998, 'millenovecentonovantotto'],
    [2026, 'duemilaventisei'],
    [9999, 'novemilanovecentonovantanove'],
    [21000, 'ventunomila'],
    [2_500_000, 'due milioni cinquecentomila'],
  ])('%i is "%s"', (n, words) => {
    expect(numberToItalian(n)).toBe(words)
  })
})

describe('toSpokenItalian', () => {
  it('says numbers in words, with the article "1" is before a noun', () => {
    expect(spoken('Attesi 14 centimetri su 21 comuni')).toBe(
      'Attesi quattordici centimetri su ventuno comuni.',
    )
    expect(spoken('1 strada, 1 comune, 1 ora, 1 e 2')).toBe(
      "Una strada, un comune, un'ora, uno e due.",
    )
    expect(spoken('3.500 persone, 12,5 mm, -3 °C, 10-15 cm')).toBe(
      'Tremilacinquecento persone, dodici virgola cinque millimetri, meno tre gradi, dieci, quindici centimetri.',
    )
  })

  it('says times the way they are said, after their preposition or with "le"', () => {
    expect(spoken('Alle 14:00')).toBe('Alle quattordici.')
    expect(spoken('Chiusura 14.30')).toBe('Chiusura le quattordici e trenta.')
    expect(spoken('ore 8')).toBe('Le otto.')
    expect(spoken('dalle ore 8:00 alle 1:00')).toBe("Dalle otto all'una.")
    expect(spoken('alle 00:00')).toBe('A mezzanotte.')
    expect(spoken('ore 14-18')).toBe('Dalle quattordici alle diciotto.')
    // A height and a thousand are not times.
    expect(spoken('Idrometro a 2.30 m')).toBe('Idrometro a due virgola trenta metri.')
  })

  it('says dates with their weekday from the calendar, the year only when it is not this one', () => {
    expect(spoken('2026-12-03')).toBe('Giovedì tre dicembre.')
    expect(spoken('03/12/2026')).toBe('Giovedì tre dicembre.')
    expect(spoken('Scuole chiuse 3 dicembre')).toBe('Scuole chiuse giovedì tre dicembre.')
    expect(spoken('giovedì 3 dicembre')).toBe('Giovedì tre dicembre.')
    expect(spoken('il 1° dicembre')).toBe('Il primo dicembre.')
    expect(spoken('03/12/2025')).toBe('Mercoledì tre dicembre duemilaventicinque.')
    expect(spoken('3 dicembre 2026')).toBe('Giovedì tre dicembre duemilaventisei.')
    // Not a day: left as written, its numbers in words.
    expect(spoken('31/02/2026')).not.toMatch(/febbraio/)
  })

  it('takes "3 gennaio" without a year as the nearest one', () => {
    expect(toSpokenItalian('2 gennaio', { now: '2026-12-30T10:00:00+01:00' })).toBe(
      'Sabato due gennaio.',
    )
    expect(toSpokenItalian('2 gennaio', { now: '2027-01-05T10:00:00+01:00' })).toBe(
      'Sabato due gennaio.',
    )
    expect(toSpokenItalian('30 dicembre', { now: '2027-01-05T10:00:00+01:00' })).toBe(
      'Mercoledì trenta dicembre.',
    )
  })

  it('reads the rendered validity window of a template aloud', () => {
    expect(spoken('Dalle 14:00 di sabato 7 febbraio alle 23:59 di domenica 8 febbraio')).toBe(
      'Dalle quattordici di sabato sette febbraio alle ventitré e cinquantanove di domenica otto febbraio.',
    )
  })

  it('removes links, e-mail addresses, emoji and signs; hashtags keep their words', () => {
    expect(
      spoken(
        '⚠️ Allerta 🔴 su Empoli. Info: https://www.empolese-valdelsa.it/allerta. Scrivi a allerta@comune.empoli.fi.it #AllertaMeteo',
      ),
    ).toBe('Allerta su Empoli. Info. Scrivi a Allerta Meteo.')
    expect(spoken('Vedi protezionecivile.gov.it/it/bollettini')).toBe('Vedi.')
  })

  it('expands the usual abbreviations', () => {
    expect(spoken('Vento a 80 km/h, 40 mm in 3 h, SP 13 chiusa, n. 4, ecc. Poi 1 km')).toBe(
      'Vento a ottanta chilometri orari, quaranta millimetri in tre ore, strada provinciale tredici chiusa, numero quattro, eccetera. Poi un chilometro.',
    )
    expect(spoken('Neve sopra 600 m s.l.m., salite al 1° piano')).toBe(
      'Neve sopra seicento metri sul livello del mare, salite al primo piano.',
    )
  })

  it('reads telephone numbers digit by digit', () => {
    expect(spoken('Chiama il 112 o lo 0571 757 111')).toBe(
      'Chiama il centododici o lo zero cinque sette uno, sette cinque sette, uno uno uno.',
    )
  })

  it('makes every line a sentence and lowers words written in capitals', () => {
    expect(spoken('ALLERTA ROSSA\nCosa fare:\n- Resta in casa\n- Sali ai piani alti')).toBe(
      'Allerta rossa. Cosa fare: Resta in casa. Sali ai piani alti.',
    )
  })

  it('reads an apostrophe typed for an accent as the accent', () => {
    expect(
      spoken("E' cessata la CRITICITA' e la città e' sicura, 'Allerta' e un po' d'acqua"),
    ).toBe("È cessata la criticità e la città è sicura, 'Allerta' e un po' d'acqua.")
  })

  it('lowers a run of capitals but keeps a lone acronym', () => {
    expect(spoken('MODERATA CRITICITA PER RISCHIO / ALLERTA ARANCIONE. Chiama ANAS')).toBe(
      'Moderata criticita per rischio, allerta arancione. Chiama ANAS.',
    )
  })

  it('says a real national bulletin with no digit left and every word kept', () => {
    const specs = resolve(__dirname, '../../../../shared/specs/dpc/criticita')
    const fold = (w: string) => w.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
    for (const file of ['20260720_1510.json', '20260720_1559.json', '20260720_2331.json']) {
      const bulletin = JSON.parse(readFileSync(resolve(specs, file), 'utf8')) as {
        name: string
        today: { html_descrition: string }
      }
      const text = `${bulletin.name}\n${htmlToText(bulletin.today.html_descrition)}`
      const out = toSpokenItalian(text, { now: '2026-07-20T16:00:00+02:00' })
      expect(out).not.toMatch(/\d/)
      expect(out).toContain('Bollettino del venti luglio duemilaventisei')
      const said = new Set((fold(out).match(/\p{L}+/gu) ?? []).map(fold))
      // "ore 15:10" is said "le quindici e dieci": the one word meant to change.
      for (const word of text.match(/\p{L}+/gu) ?? [])
        if (word !== 'ore') expect(said, word).toContain(fold(word))
    }
  })

  it('leaves what it does not know as written, dropping no word', () => {
    const text = 'Parola sconosciuta xyzzy, Fi-Pi-Li e COC di Vinci'
    const out = spoken(text)
    for (const word of text.split(/[\s,]+/)) expect(out).toContain(word)
  })

  it('is idempotent: a spoken text passes through unchanged', () => {
    for (const text of [
      'Dalle 14:00 di giovedì 3 dicembre alle 23:59, 50 mm, SP 13, https://x.it #Neve',
      `${voiceOpening} Allerta ARANCIONE su Empoli e Vinci.`,
    ]) {
      const once = spoken(text)
      expect(spoken(once)).toBe(once)
    }
  })

  it('says a drill marker as a sentence of its own', () => {
    expect(spoken(`ESERCITAZIONE - ${voiceOpening} Allerta.`)).toBe(
      `Esercitazione. ${voiceOpening} Allerta.`,
    )
    expect(spoken('Esercitazione di protezione civile')).toBe('Esercitazione di protezione civile.')
  })

  it('keeps the opening sentence as written', () => {
    expect(spoken(voiceOpening)).toBe(voiceOpening)
  })
})

describe('toSpokenItalian on long texts', () => {
  // The composer re-reads the voice text at every key: a text four times longer
  // takes about four times as long, not sixteen (one scan, not one per letter).
  // The fastest of five runs: the least disturbed by other work on the machine.
  const timeOf = (text: string) =>
    Math.min(
      ...[0, 1, 2, 3, 4].map(() => {
        const start = performance.now()
        toSpokenItalian(text, { now })
        return performance.now() - start
      }),
    )
  it.each(['ab', 'a.', 'a-', '1.', '1-', 'x@y.'])('grows in line with the text (%s…)', (unit) => {
    timeOf(unit.repeat(1000))
    const short = timeOf(unit.repeat(2500))
    const long = timeOf(unit.repeat(10000))
    expect(long / Math.max(short, 0.5)).toBeLessThan(9)
  })
})

describe('estimateSpokenSeconds', () => {
  it('grows with the words to say, at about 150 a minute', () => {
    const sentence = 'Resta in casa e non usare la macchina se non è necessario. '
    const one = estimateSpokenSeconds(sentence)
    const ten = estimateSpokenSeconds(sentence.repeat(10))
    expect(ten / one).toBeGreaterThan(8)
    expect(ten / one).toBeLessThan(11)
    // 150 short words and one full stop: a minute and half a second.
    expect(estimateSpokenSeconds(`${'casa '.repeat(150).trim()}.`)).toBe(61)
  })

  it('counts numbers as the words they become', () => {
    expect(estimateSpokenSeconds('1998')).toBeGreaterThan(estimateSpokenSeconds('14'))
    expect(estimateSpokenSeconds('')).toBe(0)
    expect(estimateSpokenSeconds('⚠️ https://x.it')).toBe(0)
  })
})
