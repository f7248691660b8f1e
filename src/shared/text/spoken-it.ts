/**
 * An alert written to be read, turned into one a speech synthesiser reads well
 * to a landline: numbers, times and dates in Italian words, no links, e-mail
 * addresses, hashtags' signs, emoji or symbols, a few abbreviations expanded.
 * Whatever it does not recognise it leaves as written: a word is never dropped.
 *
 * The function is idempotent (its output contains nothing it would change), so
 * a text already spoken may pass through it again: the composer's estimate and
 * preview do that with what the operator typed.
 *
 * Dates take their weekday from Rome's calendar; a date written without a year
 * ("3 dicembre", "03/12") is the nearest such day to today in Rome.
 */
import { Temporal } from 'temporal-polyfill'
import { DRILL_MARKER } from '../templates/variables'
import { romeWallClock, type InstantLike } from '../time'
import { ITALIAN_MONTHS as MONTHS, ITALIAN_WEEKDAYS as WEEKDAYS } from '../templates/format-it'

/** The sentence every voice call opens with, before the alert itself. */
export const voiceOpening = 'Messaggio della Protezione civile del Circondario Empolese Valdelsa.'

export interface SpokenItalianOptions {
  /** Today, for a date written without its year and for saying a year only when it is not this one. */
  now?: InstantLike
}

// ---------------------------------------------------------------- numbers

const UNITS = [
  'zero',
  'uno',
  'due',
  'tre',
  'quattro',
  'cinque',
  'sei',
  'sette',
  'otto',
  'nove',
  'dieci',
  'undici',
  'dodici',
  'tredici',
  'quattordici',
  'quindici',
  'sedici',
  'diciassette',
  'diciotto',
  'diciannove',
]
const TENS = [
  '',
  '',
  'venti',
  'trenta',
  'quaranta',
  'cinquanta',
  'sessanta',
  'settanta',
  'ottanta',
  'novanta',
]

/** 0–99; "venti" + "uno" drops its vowel: ventuno, ventotto. */
function below100(n: number): string {
  if (n < 20) return UNITS[n]!
  const tens = TENS[Math.floor(n / 10)]!
  const unit = n % 10
  if (unit === 0) return tens
  if (unit === 1 || unit === 8) return tens.slice(0, -1) + UNITS[unit]!
  return tens + UNITS[unit]!
}

/** 0–999: centotto, centottanta (the "o" of cento melts into otto and ottanta). */
function below1000(n: number): string {
  const hundreds = Math.floor(n / 100)
  const rest = n % 100
  if (hundreds === 0) return below100(rest)
  const head = hundreds === 1 ? 'cento' : `${UNITS[hundreds]!}cento`
  if (rest === 0) return head
  const tail = below100(rest)
  return tail.startsWith('o') ? head + tail.slice(1) : head + tail
}

/** 0–999 999: mille, duemila, millenovecentonovantotto. */
function below1e6(n: number): string {
  const thousands = Math.floor(n / 1000)
  const rest = n % 1000
  if (thousands === 0) return below1000(rest)
  const head = thousands === 1 ? 'mille' : `${below1000(thousands)}mila`
  return rest === 0 ? head : head + below1000(rest)
}

/** A compound that ends in "tre" takes its accent: ventitré, centotré, milletré. */
const accentTre = (words: string): string =>
  words !== 'tre' && words.endsWith('tre') && !words.endsWith(' tre')
    ? `${words.slice(0, -3)}tré`
    : words

/**
 * A whole number in Italian words, as it is said: 14 "quattordici", 21
 * "ventuno", 1998 "millenovecentonovantotto", 2 500 000 "due milioni
 * cinquecentomila". Up to 999 999 999 999; beyond, the digits one by one.
 */
export function numberToItalian(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Not a whole number: ${n}`)
  if (n < 0) return `meno ${numberToItalian(-n)}`
  if (n >= 1e12) return digitsToItalian(String(n))
  const parts: string[] = []
  const billions = Math.floor(n / 1e9)
  const millions = Math.floor((n % 1e9) / 1e6)
  const rest = n % 1e6
  if (billions)
    parts.push(billions === 1 ? 'un miliardo' : `${accentTre(below1e6(billions))} miliardi`)
  if (millions)
    parts.push(millions === 1 ? 'un milione' : `${accentTre(below1000(millions))} milioni`)
  if (rest || parts.length === 0) parts.push(accentTre(below1e6(rest)))
  return parts.join(' ')
}

/** Digits one by one, as a telephone number is read: "zero cinque cinque". */
function digitsToItalian(digits: string): string {
  return [...digits].map((d) => UNITS[Number(d)]!).join(' ')
}

/** A decimal written the Italian way, "12,5": "dodici virgola cinque"; "3,05": "tre virgola zero cinque". */
function decimalToItalian(whole: number, fraction: string): string {
  const lead = /^0+/.exec(fraction)?.[0] ?? ''
  const restDigits = fraction.slice(lead.length)
  const tail = [
    ...[...lead].map(() => 'zero'),
    ...(restDigits ? [numberToItalian(Number(restDigits))] : []),
  ]
  return `${numberToItalian(whole)} virgola ${tail.join(' ')}`
}

const ORDINALS_M = [
  '',
  'primo',
  'secondo',
  'terzo',
  'quarto',
  'quinto',
  'sesto',
  'settimo',
  'ottavo',
  'nono',
  'decimo',
]

// ---------------------------------------------------------------- calendar

// The names format-it.ts writes, so a rendered date reads back.
const MONTH_RE = MONTHS.join('|')
/** A weekday as people write it, with or without its accent. */
const WEEKDAY_RE = 'luned[iì]|marted[iì]|mercoled[iì]|gioved[iì]|venerd[iì]|sabato|domenica'

interface Today {
  date: Temporal.PlainDate
}

function todayInRome(now: InstantLike | undefined): Today {
  const c = romeWallClock(now ?? Date.now())
  return { date: Temporal.PlainDate.from({ year: c.year, month: c.month, day: c.day }) }
}

function plainDate(year: number, month: number, day: number): Temporal.PlainDate | undefined {
  try {
    return Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' })
  } catch {
    // Not a date (31/02): the caller leaves the written text as it is.
    return undefined
  }
}

/** The day of that month and day nearest to today: on 30 December, "2 gennaio" is next year's. */
function nearestDate(month: number, day: number, today: Today): Temporal.PlainDate | undefined {
  const y = today.date.year
  let best: Temporal.PlainDate | undefined
  let bestDistance = Infinity
  for (const year of [y - 1, y, y + 1]) {
    const d = plainDate(year, month, day)
    if (!d) continue
    const distance = Math.abs(today.date.until(d, { largestUnit: 'days' }).days)
    if (distance < bestDistance) {
      best = d
      bestDistance = distance
    }
  }
  return best
}

const dayWord = (day: number): string => (day === 1 ? 'primo' : numberToItalian(day))

/**
 * "giovedì tre dicembre"; the weekday is left out when the text already names
 * one or puts an article before the day ("il tre dicembre"), the year is said
 * only when it is not this year's (or when it was written out in words' place).
 */
function spokenDate(
  d: Temporal.PlainDate,
  opts: { weekday: boolean; year: boolean | 'if_other'; today: Today },
): string {
  const words = [dayWord(d.day), MONTHS[d.month - 1]!]
  if (opts.weekday) words.unshift(WEEKDAYS[d.dayOfWeek - 1]!)
  const sayYear = opts.year === 'if_other' ? d.year !== opts.today.date.year : opts.year
  if (sayYear) words.push(numberToItalian(d.year))
  return words.join(' ')
}

/** Words before a day that make a weekday unwanted: a weekday already, or an article/preposition. */
const NO_WEEKDAY_BEFORE = new RegExp(
  `(?:\\b(?:${WEEKDAY_RE}|il|dal|al|del|nel|sul|entro il|fino al)\\s+|\\b(?:l|dall|all|dell|nell|sull)['’]\\s*)$`,
  'iu',
)

// ---------------------------------------------------------------- times

const ARTICLE_PREPS: Record<string, { one: string; midnight: string }> = {
  le: { one: "l'", midnight: '' },
  dalle: { one: "dall'", midnight: 'da ' },
  alle: { one: "all'", midnight: 'a ' },
  delle: { one: "dell'", midnight: 'di ' },
  nelle: { one: "nell'", midnight: 'a ' },
  sulle: { one: "sull'", midnight: 'verso ' },
}

const keepCase = (model: string, word: string): string =>
  model[0] && model[0] !== model[0].toLowerCase()
    ? word.charAt(0).toUpperCase() + word.slice(1)
    : word

/**
 * A time of day after its preposition, or with "le" when none is written:
 * "le quattordici e trenta", "dalle quattordici", "all'una", "a mezzanotte".
 */
function spokenTime(prep: string | undefined, hour: number, minute: number): string {
  const key = (prep ?? 'le').toLowerCase()
  const forms = ARTICLE_PREPS[key] ?? ARTICLE_PREPS.le!
  let phrase: string
  if ((hour === 0 || hour === 24) && minute === 0) phrase = `${forms.midnight}mezzanotte`
  else {
    const h = hour === 24 ? 0 : hour
    const minutes = minute ? ` e ${numberToItalian(minute)}` : ''
    phrase = h === 1 ? `${forms.one}una${minutes}` : `${key} ${numberToItalian(h)}${minutes}`
  }
  return prep ? keepCase(prep, phrase) : phrase
}

const TIME_PREP = '(?:(dalle|alle|delle|nelle|sulle|le)\\s+)?'
const HOUR_WORD = '(?:(?:ore|h\\.?)\\s*)?'
/** 14:00, 14.30, 8:05; not 3.500 (a thousand). */
const CLOCK = '([01]?\\d|2[0-4])[:.]([0-5]\\d)(?!\\d|[.,]\\d)'
/** Not 2.30 m nor 12.50 €: a measure or a price with a dot, not a time. */
const NOT_A_MEASURE = '(?!\\s*(?:(?:m|cm|mm|km|metri|euro)(?!\\p{L})|%|€))'

// ---------------------------------------------------------------- the pipeline

const LINK =
  /\b(?:https?:\/\/|www\.)[^\s<>"'«»]+|(?<![\p{L}\d.-])(?:[a-z0-9-]+\.)+(?:it|eu|com|org|net|info|gov)(?:\/[^\s<>"'«»]*)?(?![\p{L}\d])/giu
// Each starts only where a token starts: a long run of letters is scanned once, not once per letter.
const EMAIL = /(?<![\p{L}\d._%+-])[\p{L}\d._%+-]+@[\p{L}\d-]+(?:\.[\p{L}\d-]+)+/gu
const EMOJI =
  /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u{FE0E}|\u{FE0F}|\u{200D}|\u{20E3}|[\u{1F3FB}-\u{1F3FF}]/gu

/** #AllertaMeteo → "Allerta Meteo": the word stays, the sign goes. */
const splitCamel = (word: string): string =>
  word.replace(/_/g, ' ').replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')

function removeLinks(text: string): string {
  return text
    .replace(EMAIL, ' ')
    .replace(LINK, (m) => {
      // A link's sentence may end right after it: keep that full stop.
      const trail = /[.,;:!?)]+$/.exec(m)?.[0] ?? ''
      return ` ${trail}`
    })
    .replace(
      /(^|[^\p{L}\d&])#([\p{L}\d_]+)/gu,
      (_, pre: string, tag: string) => `${pre}${splitCamel(tag)}`,
    )
    .replace(
      /(^|[\s(])@([\p{L}\d_.]*[\p{L}\d])/gu,
      (_, pre: string, name: string) => `${pre}${splitCamel(name)}`,
    )
    .replace(EMOJI, ' ')
}

function spellDates(text: string, today: Today): string {
  const noWeekdayBefore = (s: string, offset: number) => NO_WEEKDAY_BEFORE.test(s.slice(0, offset))
  // An instant, as a bulletin writes it: Rome's wall clock at that instant.
  text = text.replace(
    /\b(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})/gi,
    (m: string, ...rest: unknown[]) => {
      try {
        const c = romeWallClock(m)
        const d = Temporal.PlainDate.from({ year: c.year, month: c.month, day: c.day })
        const offset = rest[4] as number
        const date = spokenDate(d, {
          weekday: !noWeekdayBefore(rest[5] as string, offset),
          year: 'if_other',
          today,
        })
        return `${date} ${spokenTime('alle', c.hour, c.minute)}`
      } catch {
        // Not an instant after all: said as written, never dropped.
        return m
      }
    },
  )
  // 2026-12-03
  text = text.replace(
    /(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])/g,
    (m, y: string, mo: string, d: string, offset: number, s: string) => {
      const date = plainDate(Number(y), Number(mo), Number(d))
      return date
        ? spokenDate(date, { weekday: !noWeekdayBefore(s, offset), year: 'if_other', today })
        : m
    },
  )
  // 03/12/2026, 3-12-26, 03.12.2026, 03/12
  text = text.replace(
    /(?<![\d/.,-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\d/,-]|\.\d)/g,
    (m, d: string, sep: string, mo: string, y: string | undefined, offset: number, s: string) => {
      // 14.30 is a time, 3.5 a decimal: without a year, only the slash makes a date.
      if (y === undefined && sep !== '/') return m
      const year = y === undefined ? undefined : y.length === 2 ? 2000 + Number(y) : Number(y)
      const date =
        year === undefined
          ? nearestDate(Number(mo), Number(d), today)
          : plainDate(year, Number(mo), Number(d))
      return date
        ? spokenDate(date, { weekday: !noWeekdayBefore(s, offset), year: 'if_other', today })
        : m
    },
  )
  // 3 dicembre, 1° dicembre, 3 dicembre 2026
  text = text.replace(
    new RegExp(
      `(?<![\\d.,])(\\d{1,2})\\s*[°º]?\\s+(${MONTH_RE})(?:\\s+(\\d{4}))?(?!\\p{L})`,
      'giu',
    ),
    (m, d: string, month: string, y: string | undefined, offset: number, s: string) => {
      const mo = (MONTHS as readonly string[]).indexOf(month.toLowerCase()) + 1
      const date =
        y === undefined ? nearestDate(mo, Number(d), today) : plainDate(Number(y), mo, Number(d))
      if (!date) return m
      const spoken = spokenDate(date, {
        weekday: !noWeekdayBefore(s, offset),
        year: y !== undefined,
        today,
      })
      return keepCase(month, spoken.replace(MONTHS[mo - 1]!, month))
    },
  )
  return text
}

function spellTimes(text: string): string {
  // 14:00-18:00, ore 14-18: "dalle quattordici alle diciotto".
  text = text.replace(
    new RegExp(
      `\\b${TIME_PREP}(?:(?:ore|h\\.?)\\s*(\\d{1,2})(?::(\\d{2}))?|${CLOCK})\\s*[-–]\\s*(?:ore\\s*)?(\\d{1,2})(?:[:.]([0-5]\\d))?(?!\\d|[.,]\\d)`,
      'giu',
    ),
    (...g: unknown[]) => {
      const [m, prep, h1, m1, ch, cm, h2, m2] = g as (string | undefined)[]
      const fromH = Number(h1 ?? ch)
      const fromM = Number(m1 ?? cm ?? 0)
      const toH = Number(h2)
      const toM = Number(m2 ?? 0)
      // Without "ore", both ends need their minutes to be times rather than numbers.
      if (fromH > 24 || toH > 24 || fromM > 59 || (h1 === undefined && m2 === undefined)) return m!
      return `${spokenTime(keepCase(prep ?? '', 'dalle'), fromH, fromM)} ${spokenTime('alle', toH, toM)}`
    },
  )
  // 14:00, ore 14.30, alle 8:05.
  text = text.replace(
    new RegExp(`\\b${TIME_PREP}${HOUR_WORD}${CLOCK}${NOT_A_MEASURE}`, 'giu'),
    (_, prep: string | undefined, h: string, min: string) =>
      spokenTime(prep, Number(h), Number(min)),
  )
  // ore 8, dalle ore 8, h 14; and the hours whose words change after "alle": all'una, a mezzanotte.
  text = text.replace(
    new RegExp(
      `\\b${TIME_PREP}(?:ore|h\\.?)\\s*(\\d{1,2})(?!\\d|[:.,]\\d)(?!\\s*(?:ore|h)(?!\\p{L}))`,
      'giu',
    ),
    (m, prep: string | undefined, h: string) =>
      Number(h) > 24 ? m : spokenTime(prep, Number(h), 0),
  )
  return text.replace(
    /\b(dalle|alle)\s+(0|1|24)(?!\d|[:.,]\d)(?!\s*\p{L})/giu,
    (_, prep: string, h: string) => spokenTime(prep, Number(h), 0),
  )
}

/** Unit words after a number, singular and plural; longer symbols first. */
const UNIT_WORDS: [string, string, string][] = [
  ['km/h', 'chilometro orario', 'chilometri orari'],
  ['mm/h', "millimetro all'ora", "millimetri all'ora"],
  ['m/s', 'metro al secondo', 'metri al secondo'],
  ['°C', 'grado', 'gradi'],
  ['km', 'chilometro', 'chilometri'],
  ['cm', 'centimetro', 'centimetri'],
  ['mm', 'millimetro', 'millimetri'],
  ['min', 'minuto', 'minuti'],
  ['m', 'metro', 'metri'],
  ['h', 'ora', 'ore'],
  ['%', 'per cento', 'per cento'],
  ['€', 'euro', 'euro'],
]
const UNIT_AFTER_NUMBER = new RegExp(
  `(?<![\\d.,])(\\d+(?:[.,]\\d+)*)\\s?(${UNIT_WORDS.map(([u]) => u.replace(/\//g, '\\/').replace('C', '\\s?C')).join('|')})(?![\\p{L}\\d/])`,
  'gu',
)

const ORDINAL_NOUNS = 'piano|piani|livello|grado|giorno|turno|avviso|bollettino|aggiornamento|posto'

function expandAbbreviations(text: string): string {
  text = text
    // 1° piano: "primo piano"; any other number° is a temperature.
    .replace(
      new RegExp(`(?<![\\d.,])(10|[1-9])\\s?[°º]\\s+(${ORDINAL_NOUNS})(?!\\p{L})`, 'giu'),
      (_, n: string, noun: string) => `${ORDINALS_M[Number(n)]!} ${noun}`,
    )
    .replace(/(\d)\s?[°º](?!\s?C(?!\p{L}))/gu, '$1°C')
    .replace(/(?<![\d\p{L}])[°º]\s?C(?!\p{L})/gu, 'gradi')
    .replace(/\b([nN])(?:r\.|\.|°|º)\s*(?=\d)/g, (_, n: string) =>
      n === 'N' ? 'Numero ' : 'numero ',
    )
    .replace(/\becc\.?(?=\s*(?:$|\n|\s\p{Lu}))/gmu, 'eccetera.')
    .replace(/\becc\b\.?/g, 'eccetera')
    .replace(/\b([tT])el\.\s*/g, (_, t: string) => `${t}elefono `)
    .replace(/\bs\.\s?l\.\s?m\.?(?!\p{L})/giu, 'sul livello del mare')
    .replace(/\bS\.?\s?([PRS])\.?\s*(?=\d)/g, (_, k: string) =>
      k === 'P' ? 'strada provinciale ' : k === 'R' ? 'strada regionale ' : 'strada statale ',
    )
    .replace(/\bkm\s*(?=\d)/gi, 'chilometro ')
    .replace(/\s?&\s?/g, ' e ')
  // A number and its unit: "50 mm" "cinquanta millimetri", "1 km" "un chilometro".
  return text
    .replace(/€\s?(\d+(?:[.,]\d+)*)/g, '$1 euro')
    .replace(UNIT_AFTER_NUMBER, (_, n: string, unit: string) => {
      const key = unit.replace(/\s/g, '')
      const [, one, many] = UNIT_WORDS.find(([u]) => u === key)!
      if (n !== '1' || one === 'per cento') return `${n} ${many}`
      return one === 'ora' ? "un'ora" : `un ${one}`
    })
}

/** A telephone number is read digit by digit, in the groups it is written in. */
function spellPhoneNumbers(text: string): string {
  return text.replace(
    /(?<![\d.,])(\+\s?39[\s.-]?)?([038]\d{1,4}(?:[ .-]\d{2,8}){1,3}|[038]\d{7,10})(?![\d]|[.,]\d)/g,
    (m, prefix: string | undefined, number: string) => {
      const digits = number.replace(/\D/g, '')
      if (digits.length < 8 || digits.length > 11 || /^\d{1,3}(?:\.\d{3})+$/.test(number)) return m
      const groups = /[ .-]/.test(number) ? number.split(/[ .-]/) : (number.match(/\d{1,3}/g) ?? [])
      return `${prefix ? 'più trentanove, ' : ''}${groups.map(digitsToItalian).join(', ')}`
    },
  )
}

/** Words after which "1" stays "uno": it is then a number, not an article. */
const NOT_A_NOUN = new Set(
  'e ed o od di a da in con su per tra fra del dello della dei degli delle al allo alla ai agli alle dal dallo dalla dai dagli dalle nel nello nella nei negli nelle sul sullo sulla sui sugli sulle che è'.split(
    ' ',
  ),
)

/** "1" before a noun is an article: un comune, una strada, un'ora, uno studente. */
function oneBefore(next: string): string {
  const word = /^\s+(\p{Ll}[\p{L}'’]+)/u.exec(next)?.[1]
  if (!word || NOT_A_NOUN.has(word)) return 'uno'
  if (/a$/u.test(word) && !/(?:ma|ta)$/u.test(word))
    return /^[aeiouàèéìòùh]/u.test(word) ? "un'" : 'una'
  if (/^(?:s[^aeiouàèéìòù]|z|gn|ps|x|y)/u.test(word)) return 'uno'
  return 'un'
}

function spellNumbers(text: string): string {
  return (
    text
      // 10-15 cm: "dieci, quindici centimetri", the way it is said aloud.
      .replace(
        /(?<![\d.,])(\d+(?:,\d+)?)\s?[-–]\s?(\d+(?:,\d+)?)(?!\d|[.,]\d)/g,
        (_, a: string, b: string) => `${a}, ${b}`,
      )
      .replace(/(^|[\s(:;/])[-−](?=\d)/g, '$1meno ')
      .replace(/\+(?=\s?\d)/g, ' più ')
      .replace(
        /(?<!\d)(\d{1,3}(?:\.\d{3})+(?![.,]?\d)|\d+)(?:([.,])(\d+))?(?!\d)/g,
        (
          m,
          whole: string,
          sep: string | undefined,
          fraction: string | undefined,
          offset: number,
          s: string,
        ) => {
          // 3.500 is three thousand five hundred; 2.5 (a dot decimal) is two point five.
          if (
            sep === '.' &&
            fraction !== undefined &&
            fraction.length === 3 &&
            !whole.includes('.')
          )
            return numberToItalian(Number(whole + fraction))
          const digits = whole.replace(/\./g, '')
          if (digits.length > 12) return digitsToItalian(digits)
          const n = Number(digits)
          if (fraction !== undefined) return decimalToItalian(n, fraction)
          if (n === 1 && digits === '1') {
            const article = oneBefore(s.slice(offset + m.length))
            return article
          }
          return numberToItalian(n)
        },
      )
      // "un'" binds to its noun: un'ora.
      .replace(/\bun' +/g, "un'")
  )
}

/** Emoji and symbols go; the few that stand for words become those words. */
function dropSymbols(text: string): string {
  return text
    .replace(/…/g, '...')
    .replace(/(\p{L})\/(\p{L})/gu, '$1 $2')
    .replace(/[\p{S}*_\\|#@]/gu, ' ')
    .replace(/[ \t][-–—/]+[ \t]/g, ', ')
    .replace(/\//g, ' ')
    .replace(/\(\s*\)/g, ' ')
}

/** Every line ends as a sentence: a synthesiser pauses at a full stop, not at a line break. */
function joinLines(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s\-–—*•·>]+/u, '').trim())
    .filter((l) => l !== '')
  return lines
    .map((l, i) => {
      if (/[.!?;,]$/.test(l)) return l
      if (l.endsWith(':')) return i === lines.length - 1 ? `${l.slice(0, -1)}.` : l
      return `${l}.`
    })
    .join(' ')
}

/**
 * Words written in capitals for the eye would be spelt out by some voices: a
 * long one (ALLERTA) is lowered, and so is a run of capitals with a word of
 * four letters or more in it ("CRITICITÀ PER RISCHIO"); a lone short one (ANAS, COC)
 * stays, it is an acronym.
 */
const lowerShouting = (text: string): string =>
  text
    .replace(/(?<![\p{L}\d])\p{Lu}+(?:[\s'’-]+\p{Lu}+)+(?![\p{L}\d])/gu, (run) =>
      /\p{Lu}{4,}/u.test(run) ? run.toLowerCase() : run,
    )
    .replace(/(?<![\p{L}\d])\p{Lu}{5,}(?![\p{L}\d])/gu, (w) => w.toLowerCase())

const ACCENTED: Record<string, string> = { a: 'à', e: 'è', i: 'ì', o: 'ò', u: 'ù' }

/** CRITICITA' and E' cessata: an apostrophe typed for an accent is read as the accent. */
const accentsFromApostrophes = (text: string): string =>
  text
    .replace(/(?<![\p{L}'’‘])([Ee])['’](?=\s)/gu, (_, e: string) => (e === 'E' ? 'È' : 'è'))
    // Not a word in single quotes: 'Allerta' keeps its last vowel.
    .replace(
      /(?<![\p{L}'’‘])(\p{L}{2,})([aeiouAEIOU])['’](?![\p{L}])/gu,
      (_, stem: string, vowel: string) => {
        const accented = ACCENTED[vowel.toLowerCase()]!
        return stem + (vowel === vowel.toLowerCase() ? accented : accented.toUpperCase())
      },
    )

function tidy(text: string): string {
  return text
    .replace(/[ \t\u00A0]+/g, ' ')
    .replace(/ +([.,;:!?])/g, '$1')
    .replace(/[,;:]\s*([.!?])/g, '$1')
    .replace(/([.!?])(?:\s*[.,;:](?!\.))+/g, '$1')
    .replace(/^[\s.,;:!?]+/, '')
    .replace(/([.!?]\s+)(\p{Ll})/gu, (_, end: string, c: string) => end + c.toUpperCase())
    .replace(/^\p{Ll}/u, (c) => c.toUpperCase())
    .trim()
}

/**
 * A written Italian alert as a synthesised voice should read it: "Dalle 14:00
 * di giovedì 3 dicembre" becomes "Dalle quattordici di giovedì tre dicembre".
 * Links, e-mail addresses and emoji are removed, hashtags keep their word,
 * numbers, times and dates are said in words, telephone numbers digit by digit.
 */
export function toSpokenItalian(text: string, options: SpokenItalianOptions = {}): string {
  const today = todayInRome(options.now)
  let s = text.normalize('NFC')
  // A drill's written marker ("ESERCITAZIONE - ") is said as a sentence of its
  // own, the way the drill runtime opens a call: "Esercitazione."
  const marker = DRILL_MARKER.replace(/[\s\-–—:.]+$/u, '')
  s = s.replace(new RegExp(`^\\s*${marker}\\s*[-–—:.]+\\s*`, 'iu'), 'Esercitazione. ')
  s = removeLinks(s)
  s = accentsFromApostrophes(s)
  s = spellDates(s, today)
  s = spellTimes(s)
  s = expandAbbreviations(s)
  s = spellPhoneNumbers(s)
  // Digits glued to letters (A1, 3G) are said apart.
  s = s.replace(/(\p{L})(?=\d)/gu, '$1 ').replace(/(\d)(?=\p{L})/gu, '$1 ')
  s = spellNumbers(s)
  s = dropSymbols(s)
  s = joinLines(s)
  s = lowerShouting(s)
  return tidy(s)
}

/**
 * The pace the estimate assumes: 150 words a minute, the slow end of a
 * newsreader's Italian (150–170) and about the default rate of the Italian
 * synthesised voices the call providers offer; a full stop adds half a second
 * of pause, a comma, colon or semicolon a quarter; a word of more than nine
 * letters counts as its length over nine. The slow end is taken on
 * purpose: a call that runs longer than announced is worse than one that ends early.
 */
export const SPOKEN_WORDS_PER_MINUTE = 150
const SENTENCE_PAUSE_SECONDS = 0.5
const CLAUSE_PAUSE_SECONDS = 0.25

/** How long an Italian synthesised voice takes to read `text` (spoken form first), in whole seconds. */
export function estimateSpokenSeconds(text: string, options: SpokenItalianOptions = {}): number {
  const spoken = toSpokenItalian(text, options)
  // A compound number is one written word but several said ones: past nine
  // letters a word counts for its length ("millenovecentonovantotto", three).
  const words = (spoken.match(/[\p{L}\p{N}]+/gu) ?? []).reduce(
    (sum, w) => sum + Math.max(1, w.length / 9),
    0,
  )
  if (words === 0) return 0
  const sentences = spoken.match(/[.!?]+(?=\s|$)/g)?.length ?? 0
  const clauses = spoken.match(/[,;:]/g)?.length ?? 0
  return Math.ceil(
    (words * 60) / SPOKEN_WORDS_PER_MINUTE +
      sentences * SENTENCE_PAUSE_SECONDS +
      clauses * CLAUSE_PAUSE_SECONDS,
  )
}
