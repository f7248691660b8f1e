/**
 * Problems found in a scenario file, as codes with parameters and the place they
 * are at (line and column, 1-based). One catalogue words them in Italian and
 * English for the trainer's screen and the CLI.
 */

export const SCENARIO_ISSUE_CODES = [
  'unreadable', // { detail }
  'too_large', // { max }
  'syntax', // { detail }
  'syntax_colon', // { detail }: the usual cause is a text holding ": "
  'not_object',
  'required',
  'wrong_type',
  'choice', // { options }
  'unknown_key', // { key }
  'unknown_event_type', // { type, options }
  'unknown_checkpoint_type', // { type, options }
  'time_format', // { value }
  'duration_format', // { value }
  'delay_format', // { value }
  'datetime_format',
  'id_format',
  'schema_version', // { supported }
  'empty',
  'too_long', // { max }
  'range', // { min, max }
  'time_backwards', // { at, previous, previousIndex }
  'duplicate_id', // { id }
  'reserved_id', // { id }
  'unknown_event_ref', // { ref }
  'reference_not_bulletin', // { ref }
  'reference_not_earlier', // { ref }
  'references_required',
  'references_not_allowed',
  'expires_before_onset', // { onset, expires }
  'count_below_samples', // { count, samples }
  'unknown_list', // { name, suggestion? }
  'unknown_partner', // { name, suggestion? }
  'unknown_channel', // { name, suggestion? }
  'unknown_comune', // { name, suggestion? }
  'invalid', // { detail }
] as const
export type ScenarioIssueCode = (typeof SCENARIO_ISSUE_CODES)[number]

export type IssueParams = Record<string, string | number>

/** Where a problem is, as a path into the parsed document (`['events', 3, 'at']`). */
export interface PathIssue {
  path: readonly (string | number)[]
  code: ScenarioIssueCode
  params?: IssueParams
}

/** A problem with its place in the file. */
export interface ScenarioIssue {
  /** 1-based; 0 when the problem is about the whole file. */
  line: number
  column: number
  /** Readable path, e.g. `events[3].at` (indexes from 0). */
  path: string
  code: ScenarioIssueCode
  params?: IssueParams
}

export const isScenarioIssueCode = (s: string): s is ScenarioIssueCode =>
  (SCENARIO_ISSUE_CODES as readonly string[]).includes(s)

/** `['events', 3, 'at']` → `events[3].at`. */
export function formatIssuePath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg),
    '',
  )
}

export const scenarioIssueMessages: Record<'it' | 'en', Record<ScenarioIssueCode, string>> = {
  it: {
    unreadable: 'Impossibile leggere il file: {detail}',
    too_large: 'File troppo grande (massimo {max} byte).',
    syntax: 'Errore di sintassi: {detail}',
    syntax_colon:
      'Errore di sintassi: {detail}. Se un testo contiene «: », mettilo tra virgolette oppure scrivilo a capo dopo >-.',
    not_object:
      'Il file deve contenere uno scenario (una mappa con schemaVersion, id, title, events…).',
    required: 'Campo obbligatorio mancante.',
    wrong_type: 'Tipo di valore sbagliato.',
    choice: 'Valore non ammesso: scegli tra {options}.',
    unknown_key: 'Campo sconosciuto «{key}».',
    unknown_event_type: 'Tipo di evento sconosciuto «{type}»: i tipi ammessi sono {options}.',
    unknown_checkpoint_type:
      'Tipo di verifica sconosciuto «{type}»: i tipi ammessi sono {options}.',
    time_format:
      'Orario «{value}» non valido: scrivi il tempo dall’inizio come T+H:MM, per esempio T+0:15.',
    duration_format: 'Durata «{value}» non valida: scrivi per esempio 15m, 2h, 1h30m o 45s.',
    delay_format: 'Ritardo «{value}» non valido: scrivi una durata (per esempio 40m) oppure never.',
    datetime_format:
      'Scrivi now oppure una data e ora ISO con fuso, per esempio 2026-01-12T13:00:00+01:00.',
    id_format:
      'Identificativo non valido: usa lettere minuscole, cifre, - e _ (massimo 64 caratteri).',
    schema_version:
      'Versione dello schema non supportata: questa versione di Vedetta legge schemaVersion {supported}.',
    empty: 'Il valore non può essere vuoto.',
    too_long: 'Testo troppo lungo (massimo {max} caratteri).',
    range: 'Il valore deve stare tra {min} e {max}.',
    time_backwards:
      'Il tempo torna indietro: {at} viene prima di {previous}, l’orario dell’evento precedente (events[{previousIndex}]). Gli eventi vanno in ordine di tempo.',
    duplicate_id: 'L’identificativo «{id}» è già usato più sopra.',
    reserved_id: 'L’identificativo «{id}» è riservato: scegline un altro.',
    unknown_event_ref: 'Nessun evento ha identificativo «{ref}».',
    reference_not_bulletin: '«{ref}» non è un bollettino: references deve indicare un bollettino.',
    reference_not_earlier:
      'Il bollettino «{ref}» non viene prima di questo: references deve indicare un bollettino precedente.',
    references_required:
      'Un aggiornamento o una cessata allerta (msgType Update o Cancel) deve indicare in references il bollettino che modifica.',
    references_not_allowed:
      'Un nuovo bollettino (msgType Alert) non ha references: usa Update o Cancel.',
    expires_before_onset: 'La fine validità {expires} non viene dopo l’inizio {onset}.',
    count_below_samples: 'count ({count}) è minore del numero di messaggi di esempio ({samples}).',
    unknown_list: 'La lista «{name}» non esiste nello spazio di lavoro.',
    unknown_partner: 'Il partner «{name}» non esiste nello spazio di lavoro.',
    unknown_channel: 'Il canale «{name}» non esiste nello spazio di lavoro.',
    unknown_comune: 'Il comune «{name}» non è tra i comuni dello spazio di lavoro.',
    invalid: 'Valore non valido: {detail}',
  },
  en: {
    unreadable: 'The file cannot be read: {detail}',
    too_large: 'File too large (at most {max} bytes).',
    syntax: 'Syntax error: {detail}',
    syntax_colon:
      'Syntax error: {detail}. If a text contains ": ", put it in quotes or write it on the next lines after >-.',
    not_object: 'The file must hold a scenario (a mapping with schemaVersion, id, title, events…).',
    required: 'Required field missing.',
    wrong_type: 'Wrong type of value.',
    choice: 'Value not allowed: choose one of {options}.',
    unknown_key: 'Unknown field "{key}".',
    unknown_event_type: 'Unknown event type "{type}": the allowed types are {options}.',
    unknown_checkpoint_type: 'Unknown checkpoint type "{type}": the allowed types are {options}.',
    time_format:
      'Invalid time "{value}": write the time from the start as T+H:MM, for example T+0:15.',
    duration_format: 'Invalid duration "{value}": write for example 15m, 2h, 1h30m or 45s.',
    delay_format: 'Invalid delay "{value}": write a duration (for example 40m) or never.',
    datetime_format:
      'Write now or an ISO date-time with offset, for example 2026-01-12T13:00:00+01:00.',
    id_format: 'Invalid id: use lower-case letters, digits, - and _ (at most 64 characters).',
    schema_version: 'Unsupported schema version: this Vedetta reads schemaVersion {supported}.',
    empty: 'The value cannot be empty.',
    too_long: 'Text too long (at most {max} characters).',
    range: 'The value must be between {min} and {max}.',
    time_backwards:
      'Time goes backwards: {at} comes before {previous}, the time of the previous event (events[{previousIndex}]). Events must be in time order.',
    duplicate_id: 'The id "{id}" is already used above.',
    reserved_id: 'The id "{id}" is reserved: choose another one.',
    unknown_event_ref: 'No event has the id "{ref}".',
    reference_not_bulletin: '"{ref}" is not a bulletin: references must name a bulletin.',
    reference_not_earlier:
      'Bulletin "{ref}" does not come before this one: references must name an earlier bulletin.',
    references_required:
      'An update or an all-clear (msgType Update or Cancel) must name in references the bulletin it changes.',
    references_not_allowed:
      'A new bulletin (msgType Alert) has no references: use Update or Cancel.',
    expires_before_onset: 'The expiry {expires} does not come after the onset {onset}.',
    count_below_samples:
      'count ({count}) is smaller than the number of sample messages ({samples}).',
    unknown_list: 'The list "{name}" does not exist in the workspace.',
    unknown_partner: 'The partner "{name}" does not exist in the workspace.',
    unknown_channel: 'The channel "{name}" does not exist in the workspace.',
    unknown_comune: 'The comune "{name}" is not among the workspace\'s comuni.',
    invalid: 'Invalid value: {detail}',
  },
}

const suggestionText = {
  it: ' Forse intendevi «{suggestion}»?',
  en: ' Did you mean "{suggestion}"?',
}

/** The issue in words, with its path: `events[3].at: Invalid time…`. */
export function describeScenarioIssue(
  issue: Pick<ScenarioIssue, 'path' | 'code' | 'params'>,
  locale: 'it' | 'en' = 'en',
): string {
  let text = scenarioIssueMessages[locale][issue.code]
  if (issue.params?.suggestion !== undefined) text += suggestionText[locale]
  for (const [k, v] of Object.entries(issue.params ?? {}))
    text = text.replaceAll(`{${k}}`, String(v))
  return issue.path ? `${issue.path}: ${text}` : text
}

/** One line for the CLI, compiler style: `scenario.yaml:42: events[3].at: …`. */
export function formatScenarioIssue(
  fileName: string,
  issue: ScenarioIssue,
  locale: 'it' | 'en' = 'en',
): string {
  const where = issue.line > 0 ? `${fileName}:${issue.line}` : fileName
  return `${where}: ${describeScenarioIssue(issue, locale)}`
}
