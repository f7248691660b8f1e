/** The union's municipalities: seeded from resources/comuni.json, editable. */
export {
  createComuniRepository,
  comuniFileSchema,
  readComuniFile,
  type ComuniRepository,
  type ComuniFile,
  type ComuniImportResult,
} from './comuni-repository'
