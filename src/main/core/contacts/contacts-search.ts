import type { Db } from '../db/open'
import type { ContactSummary, OptOutScope, SearchPage } from '../../../shared/contacts/types'
import type { PhoneType } from '../../../shared/contacts/phone'
import { searchQuerySchema, type SearchQuery } from '../../../shared/contacts/schemas'
import { FILTER_CONDITION, filterParams } from './filter-sql'
import { toMatchQuery } from './search-doc'
import { InputError, parseInput } from './errors'

const DEFAULT_LIMIT = 50

interface SummaryRow {
  id: number
  name: string
  sort_key: string
  email: string | null
  telegram: string | null
  comune_name: string | null
  institution: string | null
  language: string
}

const COLUMNS = `c.id, c.name, c.sort_key, c.email, c.telegram, m.name AS comune_name, c.institution, c.language`

/** Keyset pagination: the page starts after this (sort key, id). */
const AFTER = `(@afterKey IS NULL OR (c.sort_key, c.id) > (@afterKey, @afterId))`

/** Restricts to a static list's members when `@listId` is set. */
const IN_LIST = `(@listId IS NULL OR c.id IN (SELECT contact_id FROM list_members WHERE list_id = @listId))`

export interface SearchScope {
  /** Only members of this static list. */
  listId?: number
}

export type ContactSearch = ReturnType<typeof createContactSearch>

/**
 * Search by name, number, e-mail, Telegram, comune, role, school and tags, with
 * filters, in name order, a page at a time. Words match as prefixes through
 * the FTS5 index; browsing without words walks the name index.
 */
export function createContactSearch(db: Db) {
  const s = {
    // Walking the name index and probing the matches (SQLite builds a bloom filter) stays
    // fast for broad words like "genitore"; letting FTS drive would sort every match.
    matching: db.prepare(`
      SELECT ${COLUMNS} FROM contacts c INDEXED BY contacts_by_sort
      LEFT JOIN comuni m ON m.id = c.comune_id
      WHERE c.id IN (SELECT rowid FROM contact_search WHERE contact_search MATCH @match)
        AND ${AFTER} AND ${IN_LIST} AND ${FILTER_CONDITION}
      ORDER BY c.sort_key, c.id LIMIT @limit`),
    browsing: db.prepare(`
      SELECT ${COLUMNS} FROM contacts c LEFT JOIN comuni m ON m.id = c.comune_id
      WHERE ${AFTER} AND ${IN_LIST} AND ${FILTER_CONDITION}
      ORDER BY c.sort_key, c.id LIMIT @limit`),
    phones: db.prepare(
      'SELECT e164, type FROM contact_phones WHERE contact_id = ? ORDER BY position',
    ),
    roles: db
      .prepare(
        'SELECT r.name FROM contact_roles cr JOIN roles r ON r.id = cr.role_id WHERE cr.contact_id = ? ORDER BY r.name_key',
      )
      .pluck(),
    optOuts: db
      .prepare(
        'SELECT DISTINCT scope FROM opt_outs WHERE contact_id = ? AND lifted_at IS NULL ORDER BY scope',
      )
      .pluck(),
  }

  const summary = (r: SummaryRow): ContactSummary => ({
    id: r.id,
    name: r.name,
    phones: s.phones.all(r.id) as { e164: string; type: PhoneType }[],
    email: r.email,
    telegram: r.telegram,
    comuneName: r.comune_name,
    roles: s.roles.all(r.id) as string[],
    institution: r.institution,
    language: r.language,
    activeOptOuts: s.optOuts.all(r.id) as OptOutScope[],
  })

  return {
    /** One page of contacts matching the query and filter, in name order. */
    search(input: SearchQuery = {}, scope: SearchScope = {}): SearchPage {
      const q = parseInput(searchQuerySchema, input)
      const limit = q.limit ?? DEFAULT_LIMIT
      const after = decodeCursor(q.cursor)
      const match = toMatchQuery(q.query ?? '')
      const params = {
        ...filterParams(q.filter),
        afterKey: after?.key ?? null,
        afterId: after?.id ?? null,
        listId: scope.listId ?? null,
        // One more than asked tells whether a next page exists.
        limit: limit + 1,
      }
      const rows = (
        match === null ? s.browsing.all(params) : s.matching.all({ ...params, match })
      ) as SummaryRow[]
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      return {
        items: page.map(summary),
        nextCursor: rows.length > limit && last ? encodeCursor(last.sort_key, last.id) : null,
      }
    },
  }
}

function encodeCursor(key: string, id: number): string {
  return Buffer.from(JSON.stringify([key, id]), 'utf8').toString('base64url')
}

/** A damaged cursor is refused: restarting from the top would loop a paginating UI. */
function decodeCursor(cursor: string | undefined): { key: string; id: number } | null {
  if (!cursor) return null
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = null
  }
  if (Array.isArray(value) && typeof value[0] === 'string' && Number.isInteger(value[1])) {
    return { key: value[0], id: value[1] as number }
  }
  throw new InputError([{ path: 'cursor', code: 'invalid' }])
}
