import type { Db } from '../db/open'
import type { ContactList, ListKind, SearchPage } from '../../../shared/contacts/types'
import {
  listFilterSchema,
  listInputSchema,
  type ListFilter,
  type ListInput,
  type SearchQuery,
} from '../../../shared/contacts/schemas'
import { InputError, NotFoundError, parseInput } from '../contacts/errors'
import { createContactSearch } from '../contacts/contacts-search'

interface ListRow {
  id: number
  name: string
  kind: ListKind
  filter: string | null
  description: string | null
  calls_only: number
  created_at: string
  updated_at: string
}

export type MemberSource = 'manual' | 'import'

export type ListsRepository = ReturnType<typeof createListsRepository>

/**
 * Lists of people to message: static ones (members picked by hand or by an
 * import) and dynamic ones (a saved filter evaluated when used).
 */
export function createListsRepository(db: Db, now: () => Date = () => new Date()) {
  const search = createContactSearch(db)
  const s = {
    all: db.prepare('SELECT * FROM lists ORDER BY name COLLATE NOCASE'),
    get: db.prepare('SELECT * FROM lists WHERE id = ?'),
    byName: db.prepare('SELECT * FROM lists WHERE name = ? COLLATE NOCASE'),
    insert: db.prepare(`
      INSERT INTO lists (name, kind, filter, description, calls_only, created_at, updated_at)
      VALUES (@name, @kind, @filter, @description, @callsOnly, @now, @now)`),
    update: db.prepare(
      `UPDATE lists SET name = @name, filter = @filter, description = @description,
         calls_only = @callsOnly, updated_at = @now WHERE id = @id`,
    ),
    remove: db.prepare('DELETE FROM lists WHERE id = ?'),
    addMember: db.prepare(
      'INSERT OR IGNORE INTO list_members (list_id, contact_id, source, added_at) VALUES (?, ?, ?, ?)',
    ),
    removeMember: db.prepare('DELETE FROM list_members WHERE list_id = ? AND contact_id = ?'),
    memberCount: db.prepare('SELECT count(*) FROM list_members WHERE list_id = ?').pluck(),
    contactExists: db.prepare('SELECT 1 FROM contacts WHERE id = ?').pluck(),
  }

  const toList = (r: ListRow): ContactList => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    description: r.description,
    filter: r.filter === null ? null : (listFilterSchema.parse(JSON.parse(r.filter)) as ListFilter),
    callsOnly: r.calls_only === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  })

  const checkName = (name: string, exceptId: number | null): void => {
    const other = s.byName.get(name) as ListRow | undefined
    if (other && other.id !== exceptId) throw new InputError([{ path: 'name', code: 'duplicate' }])
  }

  const mustGetRow = (id: number): ListRow => {
    const row = s.get.get(id) as ListRow | undefined
    if (!row) throw new NotFoundError('list', id)
    return row
  }

  const mustBeStatic = (row: ListRow): void => {
    if (row.kind !== 'static') {
      throw new InputError([{ path: 'kind', code: 'invalid', params: { detail: 'dynamic list' } }])
    }
  }

  const repo = {
    list(): ContactList[] {
      return (s.all.all() as ListRow[]).map(toList)
    },

    get(id: number): ContactList | null {
      const row = s.get.get(id) as ListRow | undefined
      return row ? toList(row) : null
    },

    byName(name: string): ContactList | null {
      const row = s.byName.get(name.trim()) as ListRow | undefined
      return row ? toList(row) : null
    },

    create(input: ListInput): ContactList {
      const l = parseInput(listInputSchema, input)
      checkName(l.name, null)
      const id = Number(
        s.insert.run({
          name: l.name,
          kind: l.kind,
          filter: l.kind === 'dynamic' ? JSON.stringify(l.filter) : null,
          description: l.description ?? null,
          callsOnly: l.callsOnly ? 1 : 0,
          now: now().toISOString(),
        }).lastInsertRowid,
      )
      return repo.get(id) as ContactList
    },

    /** Renames, re-describes or re-filters a list; a list cannot change kind. */
    update(id: number, input: ListInput): ContactList {
      const l = parseInput(listInputSchema, input)
      const row = mustGetRow(id)
      if (row.kind !== l.kind) throw new InputError([{ path: 'kind', code: 'invalid' }])
      checkName(l.name, id)
      s.update.run({
        id,
        name: l.name,
        filter: l.kind === 'dynamic' ? JSON.stringify(l.filter) : null,
        description: l.description ?? null,
        // Left out, the list keeps what it was.
        callsOnly: l.callsOnly === undefined ? row.calls_only : l.callsOnly ? 1 : 0,
        now: now().toISOString(),
      })
      return repo.get(id) as ContactList
    },

    /** Deletes the list only: its members stay contacts. */
    remove(id: number): boolean {
      return s.remove.run(id).changes > 0
    },

    /** Adds contacts to a static list; returns how many were not members yet. */
    addMembers(
      listId: number,
      contactIds: readonly number[],
      source: MemberSource = 'manual',
    ): number {
      mustBeStatic(mustGetRow(listId))
      return db.transaction(() => {
        const at = now().toISOString()
        let added = 0
        contactIds.forEach((contactId, i) => {
          if (s.contactExists.get(contactId) === undefined) {
            throw new InputError([{ path: `contactIds.${i}`, code: 'choice' }])
          }
          added += s.addMember.run(listId, contactId, source, at).changes
        })
        return added
      })()
    },

    removeMembers(listId: number, contactIds: readonly number[]): number {
      mustBeStatic(mustGetRow(listId))
      return db.transaction(() => {
        let removed = 0
        for (const contactId of contactIds) removed += s.removeMember.run(listId, contactId).changes
        return removed
      })()
    },

    /** A page of the list's members (a dynamic list's are those its filter matches now). */
    members(listId: number, query: Omit<SearchQuery, 'filter'> = {}): SearchPage {
      const row = mustGetRow(listId)
      if (row.kind === 'static') return search.search(query, { listId })
      return search.search({ ...query, filter: toList(row).filter ?? {} })
    },
  }
  return repo
}
