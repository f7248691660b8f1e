/** Contacts in the core: CRUD with duplicate merging, search, CSV import/export, roles. */
export {
  createContactsService,
  type ContactsService,
  type ServiceOptions,
} from './contacts-service'
export { createContactsRepository, type ContactsRepository } from './contacts-repository'
export { createContactSearch, type ContactSearch, type SearchScope } from './contacts-search'
export { createRolesRepository, type RolesRepository } from './roles-repository'
export { importContacts, type ImportOptions } from './csv/import-contacts'
export { exportContactsCsv, EXPORT_HEADERS } from './csv/export-csv'
export { readCsv, decodeCsv, detectDelimiter, type CsvTable } from './csv/read-csv'
export { mapColumns, type ColumnMapping } from './csv/map-columns'
export { generateContacts, generatedContactsCsv, type GeneratedContact } from './generate'
export {
  runContactsImport,
  runContactsExport,
  formatImportReport,
  EXIT,
  type ContactsImportArgs,
  type ContactsExportArgs,
  type CliResult,
} from './cli'
export { InputError, NotFoundError, InUseError } from './errors'
