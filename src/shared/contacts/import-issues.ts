/**
 * Problems an import finds, as codes with parameters plus ready sentences in
 * Italian and English, so the UI, the CLI and a script reading JSON all say the
 * same thing a person understands.
 */

/** The file cannot be imported at all. */
export const FATAL_CODES = [
  'empty_file',
  'no_name_column',
  'no_address_column',
  'mapping_unknown_header',
  'list_is_dynamic',
  'strict_invalid_rows',
  'header_quote_unclosed',
  'sync_removal_unconfirmed',
  'sync_removal_mismatch',
] as const
export type FatalCode = (typeof FATAL_CODES)[number]

/** This row is skipped. */
export const ROW_ERROR_CODES = [
  'name_missing',
  'no_address',
  'phone_invalid',
  'email_invalid',
  'telegram_invalid',
  'language_invalid',
  'date_invalid',
  'opt_out_invalid',
  'whatsapp_invalid',
  'prefers_call_invalid',
  'too_long',
  'extra_cells',
] as const
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number]

/** This row is imported, but something in it deserves a look. */
export const ROW_WARNING_CODES = [
  'landline',
  'phone_not_mobile',
  'comune_unknown',
  'role_unknown',
  'column_ignored',
  'quote_recovered',
] as const
export type RowWarningCode = (typeof ROW_WARNING_CODES)[number]

export type ImportIssueCode = FatalCode | RowErrorCode | RowWarningCode

export type IssueParams = Record<string, string | number>

export const importIssueMessages: Record<'it' | 'en', Record<ImportIssueCode, string>> = {
  it: {
    empty_file: 'Il file è vuoto: serve almeno una riga di intestazione con i nomi delle colonne.',
    no_name_column:
      'Nessuna colonna con il nome della persona (per esempio "Nominativo", oppure "Nome" e "Cognome"): indica quale colonna lo contiene.',
    no_address_column:
      'Nessuna colonna con un recapito (telefono, e-mail o Telegram): indica quale colonna lo contiene.',
    mapping_unknown_header: 'La corrispondenza indica la colonna "{header}", che nel file non c’è.',
    list_is_dynamic:
      'La lista "{list}" è dinamica (un filtro salvato): un’importazione può riempire solo liste statiche.',
    strict_invalid_rows:
      'Modalità rigorosa: nessuna modifica salvata perché {count} righe non sono valide.',
    header_quote_unclosed:
      'Virgolette non chiuse nell’intestazione (riga 1): i nomi delle colonne non si possono leggere con certezza e il file non è stato importato. Correggi la riga 1 e riprova.',
    sync_removal_unconfirmed:
      '{count} contatti sparirebbero dall’elenco “{source}” ({percent}% di {total}, oltre il limite del {max}%): nulla è stato salvato e nessuno è stato tolto. Se è giusto, conferma il numero {count}.',
    sync_removal_mismatch:
      'Confermati {given} contatti che spariscono, ma dall’elenco “{source}” ne sparirebbero {count} ({percent}% di {total}): nulla è stato salvato. Controlla il rapporto e conferma il numero giusto.',
    name_missing: 'Manca il nome della persona.',
    no_address: 'Nessun recapito: servono almeno un telefono, un’e-mail o un utente Telegram.',
    phone_invalid: '"{value}" non è un numero di telefono valido.',
    email_invalid: '"{value}" non è un indirizzo e-mail valido.',
    telegram_invalid:
      '"{value}" non è un utente Telegram valido (da 5 a 32 caratteri: lettere, cifre e _).',
    language_invalid:
      'Lingua "{value}" sconosciuta: scrivi il codice a due lettere (it, en, fr…) o il nome.',
    date_invalid: '"{value}" non è una data valida: scrivi per esempio 31/01/2024.',
    opt_out_invalid:
      '"{value}" non è un canale di opt-out: scrivi sms, email, telegram o tutti (oppure sì/no).',
    whatsapp_invalid:
      '"{value}" non dice se la persona vuole gli avvisi su WhatsApp: scrivi sì, no o la data del consenso (31/01/2024).',
    prefers_call_invalid:
      '"{value}" non dice se la persona preferisce una chiamata: scrivi sì o no.',
    too_long: 'Testo troppo lungo (massimo {max} caratteri).',
    extra_cells:
      'La riga ha {cells} celle ma l’intestazione ne ha {expected}: forse un separatore dentro un valore senza virgolette.',
    landline: 'Il numero {value} è un fisso: non riceverà SMS.',
    phone_not_mobile: 'Il numero {value} non è un cellulare: non riceverà SMS.',
    comune_unknown:
      'Comune "{value}" non presente nell’elenco dei comuni: il contatto viene importato senza comune.',
    role_unknown: 'Ruolo "{value}" non presente nel vocabolario dei ruoli: ignorato.',
    column_ignored: 'Colonna "{header}" non riconosciuta: ignorata.',
    quote_recovered:
      'Virgolette non chiuse: la riga è stata letta come testo fino a fine riga (le virgolette restano nel valore). Controlla i valori di questa riga.',
  },
  en: {
    empty_file: 'The file is empty: it needs at least a header row with the column names.',
    no_name_column:
      'No column holds the person’s name (e.g. "Name", or "First name" and "Last name"): say which column does.',
    no_address_column:
      'No column holds a way to reach people (phone, e-mail or Telegram): say which column does.',
    mapping_unknown_header: 'The mapping names the column "{header}", which is not in the file.',
    list_is_dynamic:
      'The list "{list}" is dynamic (a saved filter): an import can only fill static lists.',
    strict_invalid_rows: 'Strict mode: nothing was saved because {count} rows are invalid.',
    header_quote_unclosed:
      'Unclosed quote in the header (row 1): the column names cannot be read with certainty and the file was not imported. Fix row 1 and try again.',
    sync_removal_unconfirmed:
      '{count} contacts would disappear from the list “{source}” ({percent}% of {total}, above the {max}% limit): nothing was saved and nobody was removed. If this is right, confirm the number {count}.',
    sync_removal_mismatch:
      '{given} disappearing contacts were confirmed, but {count} would disappear from the list “{source}” ({percent}% of {total}): nothing was saved. Check the report and confirm the right number.',
    name_missing: 'The person’s name is missing.',
    no_address: 'No way to reach this person: give at least a phone, an e-mail or a Telegram user.',
    phone_invalid: '"{value}" is not a valid phone number.',
    email_invalid: '"{value}" is not a valid e-mail address.',
    telegram_invalid:
      '"{value}" is not a valid Telegram user (5 to 32 characters: letters, digits and _).',
    language_invalid:
      'Unknown language "{value}": write the two-letter code (it, en, fr…) or its name.',
    date_invalid: '"{value}" is not a valid date: write e.g. 31/01/2024 or 2024-01-31.',
    opt_out_invalid:
      '"{value}" is not an opt-out channel: write sms, email, telegram or all (or yes/no).',
    whatsapp_invalid:
      '"{value}" does not say whether the person wants alerts on WhatsApp: write yes, no or the day they agreed (2024-01-31).',
    prefers_call_invalid:
      '"{value}" does not say whether the person prefers a call: write yes or no.',
    too_long: 'Text too long (at most {max} characters).',
    extra_cells:
      'The row has {cells} cells but the header has {expected}: perhaps a separator inside an unquoted value.',
    landline: 'The number {value} is a landline: it will not receive SMS.',
    phone_not_mobile: 'The number {value} is not a mobile: it will not receive SMS.',
    comune_unknown:
      'Comune "{value}" is not in the list of comuni: the contact is imported without a comune.',
    role_unknown: 'Role "{value}" is not in the role vocabulary: ignored.',
    column_ignored: 'Column "{header}" was not recognised: ignored.',
    quote_recovered:
      'Unclosed quote: the row was read as plain text up to its end (the quotes stay in the value). Check this row’s values.',
  },
}

/** Fills a message's `{placeholders}`; a fraction is written with the locale's decimal mark (20,5). */
export function describeImportIssue(
  code: ImportIssueCode,
  params: IssueParams = {},
  locale: 'it' | 'en' = 'en',
): string {
  let text = importIssueMessages[locale][code]
  for (const [k, v] of Object.entries(params)) {
    const shown =
      typeof v === 'number' && !Number.isInteger(v) && locale === 'it'
        ? String(v).replace('.', ',')
        : String(v)
    text = text.replaceAll(`{${k}}`, shown)
  }
  return text
}
