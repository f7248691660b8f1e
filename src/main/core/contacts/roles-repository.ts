import type { Db } from '../db/open'
import type { Role } from '../../../shared/contacts/types'
import { roleInputSchema, type RoleInput } from '../../../shared/contacts/schemas'
import { foldText } from '../../../shared/contacts/text'
import { InputError, NotFoundError, parseInput } from './errors'
import { createContactsRepository } from './contacts-repository'

interface RoleRow {
  id: number
  name: string
  label_en: string | null
}

const toRole = (r: RoleRow): Role => ({ id: r.id, name: r.name, labelEn: r.label_en })

export type RolesRepository = ReturnType<typeof createRolesRepository>

/** The configurable vocabulary of roles (genitore, docente, sindaco…). */
export function createRolesRepository(db: Db, now: () => Date = () => new Date()) {
  const contacts = createContactsRepository(db)
  const s = {
    all: db.prepare('SELECT id, name, label_en FROM roles ORDER BY name_key'),
    get: db.prepare('SELECT id, name, label_en FROM roles WHERE id = ?'),
    byKey: db.prepare('SELECT id FROM roles WHERE name_key = ?').pluck(),
    insert: db.prepare(
      'INSERT INTO roles (name, name_key, label_en, created_at) VALUES (?, ?, ?, ?)',
    ),
    update: db.prepare('UPDATE roles SET name = ?, name_key = ?, label_en = ? WHERE id = ?'),
    remove: db.prepare('DELETE FROM roles WHERE id = ?'),
    holders: db.prepare('SELECT contact_id FROM contact_roles WHERE role_id = ?').pluck(),
  }

  const checkUnique = (key: string, exceptId: number | null): void => {
    const other = s.byKey.get(key) as number | undefined
    if (other !== undefined && other !== exceptId) {
      throw new InputError([{ path: 'name', code: 'duplicate' }])
    }
  }

  return {
    list(): Role[] {
      return (s.all.all() as RoleRow[]).map(toRole)
    },

    get(id: number): Role | null {
      const row = s.get.get(id) as RoleRow | undefined
      return row ? toRole(row) : null
    },

    /** Maps folded names (`Personale Scolastico` → `personale scolastico`) to ids. */
    idsByKey(): Map<string, number> {
      return new Map((s.all.all() as RoleRow[]).map((r) => [foldText(r.name), r.id]))
    },

    create(input: RoleInput): Role {
      const role = parseInput(roleInputSchema, input)
      const key = foldText(role.name)
      checkUnique(key, null)
      const id = Number(
        s.insert.run(role.name, key, role.labelEn ?? null, now().toISOString()).lastInsertRowid,
      )
      return { id, name: role.name, labelEn: role.labelEn ?? null }
    },

    /** Renames a role; contacts keep it, and search finds them by the new name. */
    update(id: number, input: RoleInput): Role {
      const role = parseInput(roleInputSchema, input)
      if (!s.get.get(id)) throw new NotFoundError('role', id)
      const key = foldText(role.name)
      checkUnique(key, id)
      db.transaction(() => {
        s.update.run(role.name, key, role.labelEn ?? null, id)
        for (const contactId of s.holders.all(id) as number[]) contacts.refreshSearch(contactId)
      })()
      return { id, name: role.name, labelEn: role.labelEn ?? null }
    },

    /** Removes a role from the vocabulary and from every contact that had it. */
    remove(id: number): boolean {
      return db.transaction(() => {
        const holders = s.holders.all(id) as number[]
        const removed = s.remove.run(id).changes > 0
        for (const contactId of holders) contacts.refreshSearch(contactId)
        return removed
      })()
    },
  }
}
