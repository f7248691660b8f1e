import { z } from 'zod'
import {
  comuneInputSchema,
  consentInputSchema,
  contactInputSchema,
  listInputSchema,
  optOutInputSchema,
  partnerInputSchema,
  roleInputSchema,
  searchQuerySchema,
  OPT_OUT_SCOPES,
  type Comune,
  type Contact,
  type ContactList,
  type ImportReport,
  type ListReach,
  type Partner,
  type Role,
  type SaveContactResult,
  type SearchPage,
} from '../contacts'
import { IMPORT_FIELDS } from '../contacts/csv-fields'
import { command, shaped, shapedList } from './define'

const id = z.number().int().positive()
/** Chosen by the caller for one import run: its progress events carry it, and a cancel names it. */
const importId = z.string().regex(/^[\w-]{1,64}$/)
const ok = z.object({ id })
const nullableId = id.nullable()
const maybeText = z.string().nullable()
const count = z.number().int().min(0)

/** Outputs are typed by the core's interfaces and checked here by the fields the screens read. */
const contactShape = {
  id,
  name: z.string(),
  email: maybeText,
  telegram: maybeText,
  roles: z.array(z.string()),
  institution: maybeText,
}
const ContactOut = shaped<Contact>({
  ...contactShape,
  phones: z.array(z.looseObject({ e164: z.string() })),
  comuneId: nullableId,
  comuneName: maybeText,
  whatsappOptInOn: maybeText,
  prefersCall: z.boolean(),
})
const SaveContactOut = shaped<SaveContactResult>({
  contact: ContactOut,
  merge: z.looseObject({ intoContactId: id, mergedContactIds: z.array(id) }).nullable(),
})
const roleShape = { id, name: z.string(), labelEn: maybeText }
const comuneShape = {
  id,
  name: z.string(),
  istatCode: maybeText,
  province: maybeText,
  alertZones: z.array(z.string()),
}
const listShape = {
  id,
  name: z.string(),
  kind: z.enum(['static', 'dynamic']),
  description: maybeText,
  callsOnly: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  reach: z.looseObject({
    members: count,
    sms: count,
    email: count,
    telegram: count,
    voice: count,
    whatsapp: count,
  }),
}
const partnerShape = {
  id,
  name: z.string(),
  relayMode: z.string(),
  notes: maybeText,
  pages: z.array(
    z.looseObject({ id, kind: z.string(), url: z.string(), channelAccountId: nullableId }),
  ),
  admins: z.array(z.looseObject({ contactId: id, name: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
}

export type ListView = ContactList & { reach: ListReach }

export const contactsCommands = {
  'contacts:search': command(
    searchQuerySchema.extend({ listId: id.optional() }),
    shaped<SearchPage>({
      items: z.array(z.looseObject({ ...contactShape, comuneName: maybeText })),
      nextCursor: maybeText,
    }),
  ),
  'contacts:get': command(z.strictObject({ id }), ContactOut),
  'contacts:create': command(z.strictObject({ contact: z.unknown() }), SaveContactOut),
  'contacts:update': command(z.strictObject({ id, contact: z.unknown() }), SaveContactOut),
  'contacts:delete': command(z.strictObject({ id }), ok),
  'contacts:recordConsent': command(
    z.strictObject({ id, consent: consentInputSchema }),
    ContactOut,
  ),
  'contacts:recordOptOut': command(z.strictObject({ id, optOut: optOutInputSchema }), ContactOut),
  'contacts:liftOptOut': command(
    z.strictObject({ id, scope: z.enum(OPT_OUT_SCOPES), consent: consentInputSchema }),
    ContactOut,
  ),
  /**
   * Always a dry run first: `dryRun: false` commits all of it in one transaction, or nothing.
   * Runs off the core's event loop and reports `contacts:importProgress`; cancelled
   * (`contacts:cancelImport`) before its commit, it fails with `conflict` and saves nothing.
   */
  'contacts:import': command(
    z.strictObject({
      importId: importId.optional(),
      fileName: z.string().max(300),
      /** The file's bytes, base64: the importer detects UTF-8 (with or without BOM) or Windows-1252. */
      content: z.base64().max(100 * 1024 * 1024),
      mapping: z.record(z.string().max(300), z.enum(IMPORT_FIELDS).nullable()).optional(),
      dryRun: z.boolean(),
      strict: z.boolean().optional(),
      list: z.string().trim().max(200).optional(),
      sourceKey: z.string().trim().max(100).optional(),
      /**
       * With `sourceKey`: the number of people the dry run said would
       * disappear, when that is more than a fifth of the source's people
       * (the report's fatal `sync_removal_unconfirmed`). Another number is refused.
       */
      confirmRemoval: z.number().int().min(0).optional(),
    }),
    shaped<ImportReport>({
      file: maybeText,
      columns: z.array(z.looseObject({})),
      fatal: z.looseObject({ code: z.string() }).nullable(),
      rows: count,
      valid: count,
      invalid: z.array(z.looseObject({})),
      created: count,
      updated: count,
    }),
  ),
  /** Stops a running import at its next rows: nothing of it is saved. False when it had already ended. */
  'contacts:cancelImport': command(
    z.strictObject({ importId }),
    z.object({ cancelled: z.boolean() }),
  ),
  'contacts:export': command(
    z.strictObject({}),
    z.object({ csv: z.string(), contacts: z.number() }),
  ),
  'roles:list': command(z.strictObject({}), shapedList<Role>(roleShape)),
  'roles:create': command(roleInputSchema, shaped<Role>(roleShape)),
  'comuni:list': command(z.strictObject({}), shapedList<Comune>(comuneShape)),
  'comuni:create': command(comuneInputSchema, shaped<Comune>(comuneShape)),
  'comuni:update': command(
    z.strictObject({ id, comune: comuneInputSchema }),
    shaped<Comune>(comuneShape),
  ),
  'comuni:delete': command(z.strictObject({ id }), ok),
  'lists:list': command(z.strictObject({}), shapedList<ListView>(listShape)),
  'lists:get': command(z.strictObject({ id }), shaped<ListView>(listShape)),
  'lists:create': command(z.strictObject({ list: z.unknown() }), shaped<ListView>(listShape)),
  'lists:update': command(z.strictObject({ id, list: z.unknown() }), shaped<ListView>(listShape)),
  'lists:delete': command(z.strictObject({ id }), ok),
  'lists:addMembers': command(
    z.strictObject({ id, contactIds: z.array(id).max(10_000) }),
    shaped<ListView>(listShape),
  ),
  'lists:removeMembers': command(
    z.strictObject({ id, contactIds: z.array(id).max(10_000) }),
    shaped<ListView>(listShape),
  ),
  'partners:list': command(z.strictObject({}), shapedList<Partner>(partnerShape)),
  'partners:create': command(
    z.strictObject({ partner: z.unknown() }),
    shaped<Partner>(partnerShape),
  ),
  'partners:update': command(
    z.strictObject({ id, partner: z.unknown() }),
    shaped<Partner>(partnerShape),
  ),
  'partners:delete': command(z.strictObject({ id }), ok),
}

/** The domain schemas the core applies (kept here so the renderer can pre-check forms too). */
export const contactSchemas = { contactInputSchema, listInputSchema, partnerInputSchema }

export const contactsEvents = {
  /** Contacts, lists, partners or comuni changed: views reload. */
  'contacts:changed': z.object({
    what: z.enum(['contacts', 'lists', 'partners', 'comuni', 'roles']),
  }),
  /** An import under way: rows checked, then written; a few a second at most. */
  'contacts:importProgress': z.object({
    importId: z.string(),
    dryRun: z.boolean(),
    phase: z.enum(['checking', 'writing']),
    rowsDone: z.number(),
    rows: z.number(),
    /** Of the whole run, 0–100. */
    percent: z.number(),
    /** Whole seconds left, estimated from the pace so far; null at the very start. */
    secondsLeft: z.number().nullable(),
  }),
}
