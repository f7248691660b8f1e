import type { FieldIssue, ValidationCode } from './issues'

/** The one catalogue of validation messages, used by the renderer (vue-i18n) and the CLI. */
export const validationMessages: Record<'it' | 'en', Record<ValidationCode, string>> = {
  it: {
    required: 'Campo obbligatorio.',
    url: 'Indirizzo non valido: scrivi un URL completo, per esempio https://api.esempio.it',
    host: 'Nome host non valido: scrivi solo il nome o l’indirizzo IP, senza http:// né porta.',
    port: 'Porta non valida: un numero intero da 1 a 65535.',
    number: 'Scrivi un numero.',
    range: 'Il valore deve stare tra {min} e {max}.',
    email: 'Indirizzo e-mail non valido.',
    path: 'Percorso non valido: scrivi un percorso assoluto di cartella.',
    choice: 'Scegli uno dei valori proposti.',
    too_long: 'Testo troppo lungo (massimo {max} caratteri).',
    duplicate: 'Esiste già un elemento con questo nome.',
    invalid: 'Valore non valido.',
    unknown_variable: 'La variabile «{name}» non esiste: scegline una dall’elenco.',
    unknown_variable_suggestion:
      'La variabile «{name}» non esiste: forse intendevi «{suggestion}»?',
    unclosed_variable: 'Variabile non chiusa vicino a «{name}»: mancano le due graffe di chiusura.',
    malformed_variable:
      'Segnaposto non valido: «{name}». Scrivi il nome della variabile tra due coppie di graffe.',
    missing_variable: 'Il testo deve contenere la variabile «{name}».',
    missing_value: 'Manca il valore di «{name}»: compilalo prima di inviare.',
    missing_setting:
      'Manca un dato dell’ente («{name}»): impostalo in Configurazione → Ente prima di inviare.',
    ucs2: 'Caratteri non GSM ({chars}): l’SMS scende a 70 caratteri per parte e può costare di più.',
    over_limit: 'Testo troppo lungo per questo canale: {length} su un massimo di {limit}.',
    empty: 'Testo vuoto: questo canale non viene usato.',
    time_gap:
      'Le {time} del {date} non esistono in Italia: quella notte gli orologi passano dalle 02:00 alle 03:00 (inizio dell’ora legale). Scegli un’ora prima delle 02:00 o dalle 03:00 in poi.',
    hashtag:
      'Scrivi uno o più hashtag che iniziano con #, separati da spazi (es. #allertameteoTOS).',
  },
  en: {
    required: 'This field is required.',
    url: 'Invalid address: write a full URL, for example https://api.example.com',
    host: 'Invalid host name: write only the name or IP address, without http:// or port.',
    port: 'Invalid port: a whole number from 1 to 65535.',
    number: 'Write a number.',
    range: 'The value must be between {min} and {max}.',
    email: 'Invalid e-mail address.',
    path: 'Invalid path: write the absolute path of a folder.',
    choice: 'Choose one of the proposed values.',
    too_long: 'Text too long (at most {max} characters).',
    duplicate: 'Something with this name already exists.',
    invalid: 'Invalid value.',
    unknown_variable: 'There is no variable "{name}": pick one from the list.',
    unknown_variable_suggestion: 'There is no variable "{name}": did you mean "{suggestion}"?',
    unclosed_variable: 'Variable not closed near "{name}": the two closing braces are missing.',
    malformed_variable:
      'Invalid placeholder "{name}". Write the variable name between double braces.',
    missing_variable: 'The text must contain the variable "{name}".',
    missing_value: 'No value for "{name}": fill it in before sending.',
    missing_setting:
      'A value of the authority ("{name}") is not set: set it in Configuration → Authority before sending.',
    ucs2: 'Non-GSM characters ({chars}): the SMS drops to 70 characters per part and may cost more.',
    over_limit: 'Too long for this channel: {length} of at most {limit}.',
    empty: 'Empty text: this channel is not used.',
    time_gap:
      '{time} on {date} does not exist in Italy: that night clocks jump from 02:00 to 03:00 (start of summer time). Choose a time before 02:00 or from 03:00 on.',
    hashtag:
      'Write one or more hashtags starting with #, separated by spaces (e.g. #allertameteoTOS).',
  },
}

/** One line for a person, e.g. for the CLI: `settings.port: Invalid port…`. */
export function describeIssue(issue: FieldIssue, locale: 'it' | 'en' = 'en'): string {
  let text = validationMessages[locale][issue.code]
  for (const [k, v] of Object.entries(issue.params ?? {}))
    text = text.replaceAll(`{${k}}`, String(v))
  return issue.path ? `${issue.path}: ${text}` : text
}
