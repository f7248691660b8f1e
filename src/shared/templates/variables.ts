/**
 * The variables a template may use, written `{{name}}`. The catalogue is closed:
 * any other name is an error when the template is saved, so a typo cannot reach
 * citizens as a literal `{{comune}}`.
 */

import type { Locale } from './alert-kinds'

export const TEMPLATE_VARIABLE_NAMES = [
  'esercitazione',
  'ente',
  'comuni',
  'tipo',
  'livello',
  'dalle',
  'alle',
  'data',
  'titolo',
  'descrizione',
  'istruzioni',
  'link',
  'numero_emergenza',
  'hashtag',
  'youtube',
] as const
export type TemplateVariableName = (typeof TEMPLATE_VARIABLE_NAMES)[number]

/** Values to fill a template with; names outside the catalogue are ignored. */
export type TemplateValues = Partial<Record<TemplateVariableName, string>>

export interface TemplateVariable {
  name: TemplateVariableName
  description: Record<Locale, string>
  /** Realistic value for previews and length budgets (Italian, GSM-7 safe). */
  sample: string
  /**
   * True when an empty value is legitimate. Every other variable must have a
   * non-blank value to send: an empty hole in an alert is worse than no send.
   */
  allowEmpty: boolean
  /**
   * True when a caller that gives no value means "none" (the ente's hashtag). Not
   * the drill marker: every sender must say whether it is in a drill.
   */
  emptyWhenAbsent?: boolean
}

/** What `{{esercitazione}}` renders to in a drill; empty in real operations. */
export const DRILL_MARKER = 'ESERCITAZIONE - '
/** What `{{esercitazione}}` renders to in a drill in an English text (`_en` variants). */
export const DRILL_MARKER_EN = 'EXERCISE - '

const v = (
  name: TemplateVariableName,
  it: string,
  en: string,
  sample: string,
  allowEmpty = false,
): TemplateVariable => ({ name, description: { it, en }, sample, allowEmpty })

export const TEMPLATE_VARIABLES: Record<TemplateVariableName, TemplateVariable> = {
  esercitazione: v(
    'esercitazione',
    `Segno di esercitazione: "${DRILL_MARKER}" durante un'esercitazione, vuoto negli invii reali. Mettilo all'inizio del testo.`,
    `Drill marker: "${DRILL_MARKER}" during a drill, empty in real sends. Put it at the start of the text.`,
    '',
    true,
  ),
  ente: v(
    'ente',
    "Nome dell'ente che invia il messaggio.",
    'Name of the authority sending the message.',
    'Protezione civile Empolese Valdelsa',
  ),
  comuni: v(
    'comuni',
    'Comuni interessati, già uniti in italiano ("Empoli, Vinci e Certaldo").',
    'Municipalities concerned, joined in Italian ("Empoli, Vinci e Certaldo").',
    'Empoli, Vinci e Certaldo',
  ),
  tipo: v(
    'tipo',
    'Tipo di allerta, dal modello ("neve", "rischio idrogeologico"…).',
    'Kind of alert, from the template ("neve", "rischio idrogeologico"…).',
    'neve',
  ),
  livello: v(
    'livello',
    'Codice colore in maiuscolo, dal modello ("ARANCIONE").',
    'Colour code in capitals, from the template ("ARANCIONE").',
    'ARANCIONE',
  ),
  dalle: v(
    'dalle',
    'Inizio della validità: ora e giorno, ora italiana ("14:00 di sabato 7 febbraio").',
    'Start of validity: time and day, Italian time ("14:00 di sabato 7 febbraio").',
    '14:00 di sabato 7 febbraio',
  ),
  alle: v(
    'alle',
    'Fine della validità; solo l\'ora se è lo stesso giorno di "dalle".',
    'End of validity; only the time when on the same day as "dalle".',
    '23:59 di domenica 8 febbraio',
  ),
  data: v(
    'data',
    'Un giorno, per esempio quello di chiusura delle scuole ("lunedì 9 febbraio").',
    'A day, for instance the day schools are closed ("lunedì 9 febbraio").',
    'lunedì 9 febbraio',
  ),
  titolo: v(
    'titolo',
    'Titolo breve del messaggio.',
    'Short title of the message.',
    'Strada chiusa a Vinci',
  ),
  descrizione: v(
    'descrizione',
    'Descrizione della situazione, una o due frasi.',
    'Description of the situation, one or two sentences.',
    'La SP 13 è chiusa tra Vinci e Sovigliana per un albero caduto sulla carreggiata.',
  ),
  istruzioni: v(
    'istruzioni',
    'Cosa devono fare i cittadini, in frasi brevi.',
    'What citizens should do, in short sentences.',
    'Segui le deviazioni indicate sul posto.',
  ),
  link: v(
    'link',
    'Indirizzo della pagina con gli aggiornamenti.',
    'Address of the page with updates.',
    'https://www.empolese-valdelsa.it/allerta',
  ),
  numero_emergenza: v(
    'numero_emergenza',
    'Numero da chiamare in emergenza.',
    'Number to call in an emergency.',
    '112',
  ),
  // Left out by a caller (a quick reply, an older one): no hashtag, not a hole in the text.
  hashtag: {
    ...v(
      'hashtag',
      "Hashtag con cui l'ente chiude i post (Configurazione → Ente); vuoto se non ne usa.",
      'Hashtags the authority ends its posts with (Configuration → Authority); empty if none.',
      '#allertameteoTOS',
      true,
    ),
    emptyWhenAbsent: true,
  },
  // Filled when a draft takes a template, from the first active YouTube account; empty without one.
  youtube: {
    ...v(
      'youtube',
      'Link della diretta in corso sul canale YouTube, o del suo ultimo video; vuoto senza un canale YouTube attivo.',
      "Link of the YouTube channel's live stream now, or of its latest video; empty without an active YouTube channel.",
      'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
      true,
    ),
    emptyWhenAbsent: true,
  },
}

/**
 * Variables whose value is the workspace's own, set once in Configurazione →
 * Ente, with the setting each comes from. When one is missing the operator is
 * told where to set it, not that a variable was left in the text.
 */
export const WORKSPACE_VARIABLES = {
  ente: 'ente',
  link: 'link',
  numero_emergenza: 'numeroEmergenza',
  hashtag: 'hashtag',
} as const satisfies Partial<Record<TemplateVariableName, string>>
export type WorkspaceVariable = keyof typeof WORKSPACE_VARIABLES

export function isWorkspaceVariable(name: string): name is WorkspaceVariable {
  return Object.hasOwn(WORKSPACE_VARIABLES, name)
}

/** Sample values for every variable, used by previews. */
export const SAMPLE_VALUES: Record<TemplateVariableName, string> = Object.fromEntries(
  TEMPLATE_VARIABLE_NAMES.map((name) => [name, TEMPLATE_VARIABLES[name].sample]),
) as Record<TemplateVariableName, string>

/** True when `name` is in the catalogue. */
export function isTemplateVariableName(name: string): name is TemplateVariableName {
  return (TEMPLATE_VARIABLE_NAMES as readonly string[]).includes(name)
}

/**
 * The sample values an English text (`_en` variants) is previewed with: the
 * same alert as {@link SAMPLE_VALUES}, its dates and list in English, comune
 * names in Italian.
 */
export const SAMPLE_VALUES_EN: Record<TemplateVariableName, string> = {
  ...SAMPLE_VALUES,
  comuni: 'Empoli, Vinci and Certaldo',
  tipo: 'snow',
  livello: 'ORANGE',
  dalle: '2 pm on Saturday 7 February',
  alle: '11:59 pm on Sunday 8 February',
  data: 'Monday 9 February',
  titolo: 'Road closed in Vinci',
  descrizione: 'The SP 13 is closed between Vinci and Sovigliana: a tree fell across it.',
  istruzioni: 'Follow the diversions signposted on site.',
}
