import { foldKey } from './text'

/** The contact fields a CSV column can fill. */
export const IMPORT_FIELDS = [
  'name',
  'firstName',
  'lastName',
  'phone',
  'email',
  'telegram',
  'comune',
  'roles',
  'institution',
  'language',
  'tags',
  'notes',
  'consentSource',
  'consentDate',
  'optOut',
  'optOutDate',
  'optOutReason',
  'whatsapp',
  'prefersCall',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/** Fields that several columns may fill (`Telefono`, `Cellulare`, `Telefono 2`…). */
export const MULTI_COLUMN_FIELDS: ReadonlySet<ImportField> = new Set([
  'phone',
  'roles',
  'tags',
  'notes',
])

/**
 * Header names as Italian and English offices write them, per field. Matching
 * ignores case, accents, spaces and punctuation, and a trailing number
 * (`Cellulare 2`). Add aliases here, not in the importer.
 */
export const HEADER_ALIASES: Record<ImportField, readonly string[]> = {
  name: [
    'nominativo',
    'nome e cognome',
    'cognome e nome',
    'nome cognome',
    'cognome nome',
    'nome completo',
    'denominazione',
    'contatto',
    'name',
    'full name',
    'contact',
    'contact name',
    'display name',
  ],
  firstName: ['nome', 'nome di battesimo', 'first name', 'firstname', 'given name', 'forename'],
  lastName: ['cognome', 'last name', 'lastname', 'surname', 'family name'],
  phone: [
    'telefono',
    'telefoni',
    'tel',
    'cellulare',
    'cellulari',
    'cell',
    'numero',
    'numero di telefono',
    'numero telefono',
    'numero cellulare',
    'recapito telefonico',
    'recapito',
    'telefono cellulare',
    'telefono fisso',
    'mobile',
    'phone',
    'phones',
    'phone number',
    'telephone',
    'mobile phone',
    'cell phone',
    'cellphone',
    'sms',
  ],
  email: [
    'email',
    'e-mail',
    'mail',
    'posta elettronica',
    'indirizzo email',
    'indirizzo e-mail',
    'indirizzo mail',
    'email address',
    'e-mail address',
  ],
  telegram: [
    'telegram',
    'username telegram',
    'utente telegram',
    'telegram username',
    'telegram handle',
  ],
  comune: [
    'comune',
    'comune di residenza',
    'residenza',
    'citta',
    'localita',
    'city',
    'town',
    'municipality',
  ],
  roles: ['ruolo', 'ruoli', 'qualifica', 'funzione', 'categoria', 'role', 'roles', 'category'],
  institution: [
    'scuola',
    'istituto',
    'istituzione',
    'ente',
    'plesso',
    'organizzazione',
    'school',
    'institution',
    'organisation',
    'organization',
  ],
  language: ['lingua', 'lingua preferita', 'idioma', 'language', 'preferred language'],
  tags: [
    'tag',
    'tags',
    'etichetta',
    'etichette',
    'gruppo',
    'gruppi',
    'label',
    'labels',
    'group',
    'groups',
  ],
  notes: ['note', 'annotazioni', 'commento', 'commenti', 'notes', 'comment', 'comments'],
  consentSource: [
    'consenso',
    'fonte consenso',
    'consenso fonte',
    'origine consenso',
    'base giuridica',
    'consent',
    'consent source',
    'legal basis',
  ],
  consentDate: [
    'data consenso',
    'consenso data',
    'consent date',
    'date of consent',
    'consent given on',
  ],
  optOut: [
    'opt-out',
    'opt out',
    'disiscrizione',
    'disiscritto',
    'revoca',
    'revoca consenso',
    'unsubscribed',
    'unsubscribe',
  ],
  optOutDate: [
    'opt-out data',
    'data opt-out',
    'data disiscrizione',
    'data revoca',
    'opt-out date',
    'unsubscribe date',
    'unsubscribed on',
  ],
  optOutReason: [
    'opt-out motivo',
    'motivo opt-out',
    'motivo disiscrizione',
    'motivo revoca',
    'opt-out reason',
    'unsubscribe reason',
  ],
  whatsapp: [
    'whatsapp',
    'consenso whatsapp',
    'whatsapp consenso',
    'avvisi whatsapp',
    'whatsapp si',
    'whatsapp si no',
    'data consenso whatsapp',
    'whatsapp opt-in',
    'whatsapp opt in',
    'whatsapp consent',
  ],
  prefersCall: [
    'preferisce chiamata',
    'preferisce telefonata',
    'preferisce essere chiamato',
    'preferisce essere chiamata',
    'chiamata',
    'telefonata',
    'solo chiamata',
    'prefers call',
    'prefers a call',
    'call',
  ],
}

let aliasIndex: Map<string, ImportField> | undefined

/** Folded alias → field. */
function aliases(): Map<string, ImportField> {
  if (aliasIndex) return aliasIndex
  const index = new Map<string, ImportField>()
  for (const field of IMPORT_FIELDS) {
    for (const alias of HEADER_ALIASES[field]) index.set(foldKey(alias), field)
  }
  aliasIndex = index
  return index
}

/** The field a header names, or null when it is not one we know (`Cellulare 2` → phone). */
export function matchHeader(header: string): ImportField | null {
  const key = foldKey(header)
  if (key === '') return null
  const index = aliases()
  return index.get(key) ?? index.get(key.replace(/\d+$/, '')) ?? null
}
