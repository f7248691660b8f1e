import type { Db } from '../db/open'
import type { PhoneType } from '../../../shared/contacts/phone'
import type {
  Consent,
  Contact,
  ContactPhone,
  OptOut,
  OptOutScope,
} from '../../../shared/contacts/types'
import { foldText } from '../../../shared/contacts/text'
import { buildSearchDoc } from './search-doc'
import { createFoldCache } from './fold-cache'

/** The single-valued fields of a contact, already normalized. */
export interface ContactFields {
  name: string
  email: string | null
  telegram: string | null
  comuneId: number | null
  institution: string | null
  language: string
  notes: string | null
  /** The day the person said yes to alerts on WhatsApp (`YYYY-MM-DD`); null: never, or withdrawn. */
  whatsappOptInOn: string | null
  /** The person is better reached by a call than by an SMS; null: no preference. */
  prefersCall: true | null
}

export const SCALAR_FIELDS = [
  'name',
  'email',
  'telegram',
  'comuneId',
  'institution',
  'language',
  'notes',
  'whatsappOptInOn',
  'prefersCall',
] as const satisfies readonly (keyof ContactFields)[]

interface ContactRow {
  id: number
  name: string
  email: string | null
  telegram: string | null
  comune_id: number | null
  comune_name: string | null
  institution: string | null
  language: string
  notes: string | null
  whatsapp_opt_in_at: string | null
  prefers_call: number
  created_at: string
  updated_at: string
}

interface OptOutRow {
  id: number
  scope: OptOutScope
  on_day: string
  channel: string | null
  reason: string | null
  recorded_at: string
  lifted_at: string | null
  lifted_reason: string | null
}

export interface NewPhone {
  e164: string
  type: PhoneType
  original: string
}

export interface NewOptOut {
  scope: OptOutScope
  on: string
  channel: string | null
  reason: string | null
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>

/** Rows of one contact and its children; statements prepared once per connection. */
export function createContactsRepository(db: Db) {
  const foldInstitution = createFoldCache()
  const fieldParams = (f: ContactFields) => ({
    name: f.name,
    sortKey: foldText(f.name),
    email: f.email,
    telegram: f.telegram,
    comuneId: f.comuneId,
    institution: f.institution,
    institutionKey: f.institution === null ? null : foldInstitution(f.institution),
    language: f.language,
    notes: f.notes,
    whatsappOptInOn: f.whatsappOptInOn,
    prefersCall: f.prefersCall ? 1 : 0,
  })

  const s = {
    insert: db.prepare(`
      INSERT INTO contacts (name, sort_key, email, telegram, comune_id, institution, institution_key,
        language, notes, whatsapp_opt_in_at, prefers_call, created_at, updated_at)
      VALUES (@name, @sortKey, @email, @telegram, @comuneId, @institution, @institutionKey,
        @language, @notes, @whatsappOptInOn, @prefersCall, @now, @now)`),
    update: db.prepare(`
      UPDATE contacts SET name = @name, sort_key = @sortKey, email = @email, telegram = @telegram,
        comune_id = @comuneId, institution = @institution, institution_key = @institutionKey,
        language = @language, notes = @notes, whatsapp_opt_in_at = @whatsappOptInOn,
        prefers_call = @prefersCall, updated_at = @now
      WHERE id = @id`),
    remove: db.prepare('DELETE FROM contacts WHERE id = ?'),
    get: db.prepare(`
      SELECT c.id, c.name, c.email, c.telegram, c.comune_id, m.name AS comune_name, c.institution,
        c.language, c.notes, c.whatsapp_opt_in_at, c.prefers_call, c.created_at, c.updated_at
      FROM contacts c LEFT JOIN comuni m ON m.id = c.comune_id WHERE c.id = ?`),
    exists: db.prepare('SELECT 1 FROM contacts WHERE id = ?').pluck(),
    byEmail: db.prepare('SELECT id FROM contacts WHERE email = ?').pluck(),
    byPhone: db.prepare('SELECT contact_id FROM contact_phones WHERE e164 = ?').pluck(),
    phones: db.prepare(
      'SELECT e164, type, original FROM contact_phones WHERE contact_id = ? ORDER BY position',
    ),
    nextPhonePosition: db
      .prepare('SELECT coalesce(max(position), -1) + 1 FROM contact_phones WHERE contact_id = ?')
      .pluck(),
    insertPhone: db.prepare(
      'INSERT INTO contact_phones (contact_id, e164, type, original, position) VALUES (?, ?, ?, ?, ?)',
    ),
    deletePhone: db.prepare('DELETE FROM contact_phones WHERE contact_id = ? AND e164 = ?'),
    roles: db.prepare(`
      SELECT r.name FROM contact_roles cr JOIN roles r ON r.id = cr.role_id
      WHERE cr.contact_id = ? ORDER BY r.name_key`),
    roleIds: db.prepare('SELECT role_id FROM contact_roles WHERE contact_id = ?').pluck(),
    addRole: db.prepare('INSERT OR IGNORE INTO contact_roles (contact_id, role_id) VALUES (?, ?)'),
    clearRoles: db.prepare('DELETE FROM contact_roles WHERE contact_id = ?'),
    tags: db.prepare('SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag').pluck(),
    addTag: db.prepare('INSERT OR IGNORE INTO contact_tags (contact_id, tag) VALUES (?, ?)'),
    clearTags: db.prepare('DELETE FROM contact_tags WHERE contact_id = ?'),
    consents: db.prepare(
      'SELECT id, source, given_on, recorded_at FROM consents WHERE contact_id = ? ORDER BY id DESC',
    ),
    addConsent: db.prepare(
      'INSERT INTO consents (contact_id, source, given_on, recorded_at) VALUES (?, ?, ?, ?)',
    ),
    optOuts: db.prepare(`
      SELECT id, scope, on_day, channel, reason, recorded_at, lifted_at, lifted_reason
      FROM opt_outs WHERE contact_id = ? ORDER BY id DESC`),
    activeScopes: db
      .prepare(
        'SELECT DISTINCT scope FROM opt_outs WHERE contact_id = ? AND lifted_at IS NULL ORDER BY scope',
      )
      .pluck(),
    addOptOut: db.prepare(`
      INSERT INTO opt_outs (contact_id, scope, on_day, channel, reason, recorded_at)
      VALUES (?, ?, ?, ?, ?, ?)`),
    liftOptOuts: db.prepare(`
      UPDATE opt_outs SET lifted_at = @now, lifted_reason = @reason
      WHERE contact_id = @id AND lifted_at IS NULL AND (@scope = 'all' OR scope = @scope)`),
    searchDelete: db.prepare('DELETE FROM contact_search WHERE rowid = ?'),
    searchInsert: db.prepare('INSERT INTO contact_search (rowid, doc) VALUES (?, ?)'),
  }

  const phonesOf = (id: number): ContactPhone[] => s.phones.all(id) as ContactPhone[]
  const rolesOf = (id: number): string[] =>
    (s.roles.all(id) as { name: string }[]).map((r) => r.name)
  const tagsOf = (id: number): string[] => s.tags.all(id) as string[]

  const repo = {
    /** Inserts the contact row only; children are added with the other methods. */
    insert(fields: ContactFields, now: string): number {
      return Number(s.insert.run({ ...fieldParams(fields), now }).lastInsertRowid)
    },

    update(id: number, fields: ContactFields, now: string): void {
      s.update.run({ ...fieldParams(fields), id, now })
    },

    remove(id: number): boolean {
      s.searchDelete.run(id)
      return s.remove.run(id).changes > 0
    },

    exists(id: number): boolean {
      return s.exists.get(id) !== undefined
    },

    fields(id: number): ContactFields | null {
      const row = s.get.get(id) as ContactRow | undefined
      if (!row) return null
      return {
        name: row.name,
        email: row.email,
        telegram: row.telegram,
        comuneId: row.comune_id,
        institution: row.institution,
        language: row.language,
        notes: row.notes,
        whatsappOptInOn: row.whatsapp_opt_in_at,
        prefersCall: row.prefers_call === 1 ? true : null,
      }
    },

    /** The whole contact, histories included; null when it does not exist. */
    get(id: number): Contact | null {
      const row = s.get.get(id) as ContactRow | undefined
      if (!row) return null
      return {
        id: row.id,
        name: row.name,
        phones: phonesOf(id),
        email: row.email,
        telegram: row.telegram,
        comuneId: row.comune_id,
        comuneName: row.comune_name,
        roles: rolesOf(id),
        institution: row.institution,
        language: row.language,
        tags: tagsOf(id),
        notes: row.notes,
        whatsappOptInOn: row.whatsapp_opt_in_at,
        prefersCall: row.prefers_call === 1,
        consents: repo.consents(id),
        optOuts: (s.optOuts.all(id) as OptOutRow[]).map(toOptOut),
        activeOptOuts: repo.activeOptOuts(id),
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    },

    idByEmail(email: string): number | undefined {
      return s.byEmail.get(email) as number | undefined
    },

    idByPhone(e164: string): number | undefined {
      return s.byPhone.get(e164) as number | undefined
    },

    phones: phonesOf,

    /** Adds numbers the contact does not have yet, after the ones it has (`fresh`: it has none). */
    addPhones(id: number, phones: readonly NewPhone[], fresh = false): void {
      if (phones.length === 0) return
      let position = fresh ? 0 : (s.nextPhonePosition.get(id) as number)
      for (const p of phones) s.insertPhone.run(id, p.e164, p.type, p.original, position++)
    },

    removePhone(id: number, e164: string): void {
      s.deletePhone.run(id, e164)
    },

    roles: rolesOf,

    roleIds(id: number): number[] {
      return s.roleIds.all(id) as number[]
    },

    addRoles(id: number, roleIds: readonly number[]): void {
      for (const roleId of roleIds) s.addRole.run(id, roleId)
    },

    clearRoles(id: number): void {
      s.clearRoles.run(id)
    },

    tags: tagsOf,

    addTags(id: number, tags: readonly string[]): void {
      for (const tag of tags) s.addTag.run(id, tag)
    },

    clearTags(id: number): void {
      s.clearTags.run(id)
    },

    consents(id: number): Consent[] {
      return (
        s.consents.all(id) as {
          id: number
          source: string
          given_on: string | null
          recorded_at: string
        }[]
      ).map((r) => ({ id: r.id, source: r.source, givenOn: r.given_on, recordedAt: r.recorded_at }))
    },

    addConsent(id: number, source: string, givenOn: string | null, now: string): void {
      s.addConsent.run(id, source, givenOn, now)
    },

    activeOptOuts(id: number): OptOutScope[] {
      return s.activeScopes.all(id) as OptOutScope[]
    },

    addOptOut(id: number, optOut: NewOptOut, now: string): void {
      s.addOptOut.run(id, optOut.scope, optOut.on, optOut.channel, optOut.reason, now)
    },

    /** Lifts active opt-outs of a scope (`all` lifts every one); returns how many. */
    liftOptOuts(id: number, scope: OptOutScope, reason: string, now: string): number {
      return s.liftOptOuts.run({ id, scope, reason, now }).changes
    },

    /** Rewrites the contact's full-text document from what is stored now. */
    refreshSearch(id: number): void {
      const row = s.get.get(id) as ContactRow | undefined
      s.searchDelete.run(id)
      if (!row) return
      s.searchInsert.run(
        id,
        buildSearchDoc({
          name: row.name,
          email: row.email,
          telegram: row.telegram,
          phones: phonesOf(id),
          comuneName: row.comune_name,
          roles: rolesOf(id),
          institution: row.institution,
          tags: tagsOf(id),
        }),
      )
    },

    /** Writes a full-text document directly: the import's fast path for a new contact. */
    indexNew(id: number, doc: string): void {
      s.searchInsert.run(id, doc)
    },
  }
  return repo
}

function toOptOut(r: OptOutRow): OptOut {
  return {
    id: r.id,
    scope: r.scope,
    on: r.on_day,
    channel: r.channel,
    reason: r.reason,
    recordedAt: r.recorded_at,
    liftedAt: r.lifted_at,
    liftedReason: r.lifted_reason,
  }
}
