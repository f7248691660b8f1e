/**
 * The kinds of alert a template is written for and the levels of the Italian
 * regional alert system (codice colore), with labels for both UI languages and
 * the Italian words the `{{tipo}}` and `{{livello}}` variables render to.
 */

export type Locale = 'it' | 'en'

export const ALERT_KINDS = [
  'neve',
  'ghiaccio',
  'pioggia',
  'idraulico',
  'temporali',
  'vento',
  'mareggiate',
  'scuole_chiuse',
  'cessata_allerta',
  'generico',
] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

export const ALERT_LEVELS = ['verde', 'giallo', 'arancione', 'rosso'] as const
export type AlertLevel = (typeof ALERT_LEVELS)[number]

export const ALERT_KIND_LABELS: Record<Locale, Record<AlertKind, string>> = {
  it: {
    neve: 'Neve',
    ghiaccio: 'Ghiaccio',
    pioggia: 'Pioggia (rischio idrogeologico)',
    idraulico: 'Rischio idraulico',
    temporali: 'Temporali forti',
    vento: 'Vento forte',
    mareggiate: 'Mareggiate',
    scuole_chiuse: 'Scuole chiuse',
    cessata_allerta: 'Cessata allerta',
    generico: 'Avviso generico',
  },
  en: {
    neve: 'Snow',
    ghiaccio: 'Ice',
    pioggia: 'Rain (landslides and local flooding)',
    idraulico: 'River flooding',
    temporali: 'Thunderstorms',
    vento: 'Strong wind',
    mareggiate: 'Storm surge',
    scuole_chiuse: 'Schools closed',
    cessata_allerta: 'All clear',
    generico: 'General notice',
  },
}

export const ALERT_LEVEL_LABELS: Record<Locale, Record<AlertLevel, string>> = {
  it: { verde: 'Verde', giallo: 'Giallo', arancione: 'Arancione', rosso: 'Rosso' },
  en: { verde: 'Green', giallo: 'Yellow', arancione: 'Orange', rosso: 'Red' },
}

/** What `{{tipo}}` renders to: the phrase that follows "Allerta ARANCIONE per …". */
export const ALERT_KIND_PHRASES: Record<AlertKind, string> = {
  neve: 'neve',
  ghiaccio: 'ghiaccio',
  pioggia: 'rischio idrogeologico',
  idraulico: 'rischio idraulico',
  temporali: 'temporali forti',
  vento: 'vento forte',
  mareggiate: 'mareggiate',
  scuole_chiuse: 'chiusura delle scuole',
  cessata_allerta: 'cessata allerta',
  generico: 'avviso',
}

/** What `{{livello}}` renders to: the colour code in capitals, as bulletins write it. */
export function levelWord(level: AlertLevel): string {
  return ALERT_LEVEL_LABELS.it[level].toUpperCase()
}

/**
 * What `{{tipo}}` renders to in an English text (the `_en` variants): the phrase
 * that follows "ORANGE alert for …".
 */
export const ALERT_KIND_PHRASES_EN: Record<AlertKind, string> = {
  neve: 'snow',
  ghiaccio: 'ice',
  pioggia: 'hydrogeological risk',
  idraulico: 'flood risk',
  temporali: 'thunderstorms',
  vento: 'strong wind',
  mareggiate: 'storm surge',
  scuole_chiuse: 'school closure',
  cessata_allerta: 'all clear',
  generico: 'notice',
}

/** What `{{livello}}` renders to in an English text: the colour in capitals ("ORANGE"). */
export function levelWordEnglish(level: AlertLevel): string {
  return ALERT_LEVEL_LABELS.en[level].toUpperCase()
}
