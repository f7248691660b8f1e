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
    twilio_account_sid:
      'Account SID non valido: comincia con AC e ha altre 32 cifre esadecimali (lo trovi nella console Twilio, Account Info).',
    twilio_content_sid:
      'Content SID non valido: comincia con HX e ha altre 32 cifre esadecimali (Twilio, Content Template Builder).',
    twilio_sender:
      'Mittente non valido: un numero in formato internazionale (+390571…), un Messaging Service SID (MG e 32 cifre esadecimali) o un nome fino a 11 lettere e cifre.',
    whatsapp_sender:
      'Mittente WhatsApp non valido: whatsapp:+390571…, +390571… o un Messaging Service SID (MG e 32 cifre esadecimali).',
    phone_e164:
      'Numero non valido: scrivilo in formato internazionale, con + e prefisso del paese, senza spazi (per esempio +390571123456).',
    vonage_number:
      'Numero non valido: in formato internazionale con il prefisso del paese, senza spazi (per esempio 390571123456).',
    sms_sender:
      'Mittente non valido: un numero (+39… o un numero breve) o un nome fino a 11 lettere e cifre, per esempio ProtCivile.',
    uuid: 'Identificativo non valido: 32 cifre esadecimali a gruppi 8-4-4-4-12, come lo mostra il fornitore.',
    telegram_chat:
      'Canale non valido: il numero della chat (i canali cominciano con -100) o il nome con la chiocciola, per esempio @allerte_empolese.',
    telegram_bot_token:
      'Token del bot non valido: è il numero del bot, due punti e almeno 30 caratteri, come lo dà @BotFather.',
    graph_id: 'Identificativo non valido: solo cifre, come lo mostra Meta.',
    graph_version: 'Versione non valida: v seguita da due numeri, per esempio v23.0.',
    x_handle: 'Nome utente non valido: fino a 15 lettere, cifre o trattini bassi, con o senza @.',
    bluesky_handle:
      'Handle non valido: un nome di dominio come protezionecivile.bsky.social, o un DID.',
    whatsapp_template_name:
      'Nome del modello non valido: lettere minuscole, cifre e trattini bassi, come approvato da Meta.',
    whatsapp_language: 'Lingua non valida: un codice come it o en_US.',
    youtube_channel_id:
      'ID del canale non valido: UC seguito da 22 lettere, cifre, trattini o trattini bassi (YouTube Studio → Impostazioni → Canale → Impostazioni avanzate).',
    https_url:
      'Indirizzo non sicuro: usa https:// (http:// solo per un server su questo computer).',
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
    twilio_account_sid:
      'Invalid Account SID: AC followed by 32 hexadecimal digits (Twilio console, Account Info).',
    twilio_content_sid:
      'Invalid Content SID: HX followed by 32 hexadecimal digits (Twilio Content Template Builder).',
    twilio_sender:
      'Invalid sender: an international number (+390571…), a Messaging Service SID (MG and 32 hex digits) or a name of up to 11 letters and digits.',
    whatsapp_sender:
      'Invalid WhatsApp sender: whatsapp:+390571…, +390571… or a Messaging Service SID (MG and 32 hex digits).',
    phone_e164:
      'Invalid number: write it in international form, with + and the country code, no spaces (e.g. +390571123456).',
    vonage_number:
      'Invalid number: international form with the country code, no spaces (e.g. 390571123456).',
    sms_sender:
      'Invalid sender: a number (+39… or a short code) or a name of up to 11 letters and digits, e.g. ProtCivile.',
    uuid: 'Invalid identifier: 32 hexadecimal digits grouped 8-4-4-4-12, as the provider shows it.',
    telegram_chat:
      'Invalid chat: the chat’s number (channels start with -100) or its name with @, e.g. @allerte_empolese.',
    telegram_bot_token:
      'Invalid bot token: the bot’s number, a colon and at least 30 characters, as @BotFather gives it.',
    graph_id: 'Invalid identifier: digits only, as Meta shows it.',
    graph_version: 'Invalid version: v followed by two numbers, e.g. v23.0.',
    x_handle: 'Invalid user name: up to 15 letters, digits or underscores, with or without @.',
    bluesky_handle: 'Invalid handle: a domain name such as civilprotection.bsky.social, or a DID.',
    whatsapp_template_name:
      'Invalid template name: lower-case letters, digits and underscores, as approved by Meta.',
    whatsapp_language: 'Invalid language: a code such as it or en_US.',
    youtube_channel_id:
      'Invalid channel id: UC followed by 22 letters, digits, dashes or underscores (YouTube Studio → Settings → Channel → Advanced settings).',
    https_url: 'Insecure address: use https:// (http:// only for a server on this computer).',
  },
}

/** One line for a person, e.g. for the CLI: `settings.port: Invalid port…`. */
export function describeIssue(issue: FieldIssue, locale: 'it' | 'en' = 'en'): string {
  let text = validationMessages[locale][issue.code]
  for (const [k, v] of Object.entries(issue.params ?? {}))
    text = text.replaceAll(`{${k}}`, String(v))
  return issue.path ? `${issue.path}: ${text}` : text
}
