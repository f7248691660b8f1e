import type { Db } from '../db/open'
import type { FieldChange } from '../../../shared/contacts/types'
import { SCALAR_FIELDS, type ContactFields, type ContactsRepository } from './contacts-repository'

/** What a contact folded into another brought with it, for callers that rebuild lists. */
export interface AbsorbedContact {
  id: number
  fields: ContactFields
  phones: string[]
  roleIds: number[]
  tags: string[]
}

export interface MergeOutcome {
  absorbed: AbsorbedContact[]
  /** Values of absorbed contacts that lost to the survivor's (an address is never lost unseen). */
  changes: FieldChange[]
}

export type ContactMerger = ReturnType<typeof createContactMerger>

const display = (value: string | number | boolean | null): string | null =>
  value === null ? null : String(value)

/**
 * Folds duplicate contacts into one. Everything the others had moves to the
 * survivor: numbers, roles, tags, consent and opt-out history, list
 * memberships, import-source links and partner admin seats. Empty fields of the
 * survivor are filled from the others; conflicting values are reported.
 */
export function createContactMerger(db: Db, repo: ContactsRepository) {
  const s = {
    movePhones: db.prepare(
      'UPDATE contact_phones SET contact_id = @to, position = position + @offset WHERE contact_id = @from',
    ),
    copyRoles: db.prepare(
      'INSERT OR IGNORE INTO contact_roles (contact_id, role_id) SELECT @to, role_id FROM contact_roles WHERE contact_id = @from',
    ),
    copyTags: db.prepare(
      'INSERT OR IGNORE INTO contact_tags (contact_id, tag) SELECT @to, tag FROM contact_tags WHERE contact_id = @from',
    ),
    moveConsents: db.prepare('UPDATE consents SET contact_id = @to WHERE contact_id = @from'),
    moveOptOuts: db.prepare('UPDATE opt_outs SET contact_id = @to WHERE contact_id = @from'),
    copyMemberships: db.prepare(`
      INSERT OR IGNORE INTO list_members (list_id, contact_id, source, added_at)
      SELECT list_id, @to, source, added_at FROM list_members WHERE contact_id = @from`),
    copySourceLinks: db.prepare(`
      INSERT INTO import_source_contacts (source_id, contact_id, present, first_seen_at, last_seen_at, gone_at)
      SELECT source_id, @to, present, first_seen_at, last_seen_at, gone_at
      FROM import_source_contacts WHERE contact_id = @from
      ON CONFLICT (source_id, contact_id) DO UPDATE SET
        present = max(present, excluded.present),
        first_seen_at = min(first_seen_at, excluded.first_seen_at),
        last_seen_at = max(last_seen_at, excluded.last_seen_at),
        gone_at = CASE WHEN max(present, excluded.present) = 1 THEN NULL ELSE gone_at END`),
    copyPartnerAdmins: db.prepare(`
      INSERT OR IGNORE INTO partner_admins (partner_id, contact_id, position)
      SELECT partner_id, @to, position FROM partner_admins WHERE contact_id = @from`),
  }

  return {
    /**
     * Merges `otherIds` into `survivorId` and deletes them. Must run inside the
     * caller's transaction; the survivor's search document is not refreshed here.
     */
    mergeInto(survivorId: number, otherIds: readonly number[], now: string): MergeOutcome {
      const survivor = repo.fields(survivorId)
      if (!survivor) throw new Error(`contact ${survivorId} vanished during a merge`)
      const absorbed: AbsorbedContact[] = []
      const changes: FieldChange[] = []
      for (const from of otherIds) {
        if (from === survivorId) continue
        const fields = repo.fields(from)
        if (!fields) continue
        absorbed.push({
          id: from,
          fields,
          phones: repo.phones(from).map((p) => p.e164),
          roleIds: repo.roleIds(from),
          tags: repo.tags(from),
        })
        const params = { to: survivorId, from }
        s.movePhones.run({ ...params, offset: 1000 * absorbed.length })
        s.copyRoles.run(params)
        s.copyTags.run(params)
        s.moveConsents.run(params)
        s.moveOptOuts.run(params)
        s.copyMemberships.run(params)
        s.copySourceLinks.run(params)
        s.copyPartnerAdmins.run(params)
        repo.remove(from)
        for (const field of SCALAR_FIELDS) {
          const theirs = fields[field]
          const ours = survivor[field]
          if (theirs === null || theirs === ours) continue
          if (ours === null) (survivor as unknown as Record<string, unknown>)[field] = theirs
          else changes.push({ field, from: display(theirs), to: display(ours) })
        }
      }
      if (absorbed.length > 0) repo.update(survivorId, survivor, now)
      return { absorbed, changes }
    },
  }
}
