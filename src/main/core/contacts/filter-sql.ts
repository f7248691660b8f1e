import { foldText } from '../../../shared/contacts/text'
import type { ListFilter } from '../../../shared/contacts/schemas'

/**
 * The SQL condition of a saved filter over `contacts c`, written once and shared
 * by search, dynamic lists, reach and recipients. Every value is bound: arrays
 * travel as JSON read by json_each, and a null parameter means "no filter".
 *
 * Each test is `c.id IN (an indexed lookup)`: SQLite builds the set once (with a
 * bloom filter) and a name-ordered scan never has to read a contact's row to
 * check it, which keeps combined rare filters fast on 100,000 contacts.
 */
export const FILTER_CONDITION = `
  (@comuneIds IS NULL OR c.id IN (
    SELECT f.id FROM contacts f WHERE f.comune_id IN (SELECT value FROM json_each(@comuneIds))))
  AND (@roleIds IS NULL OR c.id IN (
    SELECT cr.contact_id FROM contact_roles cr WHERE cr.role_id IN (SELECT value FROM json_each(@roleIds))))
  AND (@institutions IS NULL OR c.id IN (
    SELECT f.id FROM contacts f WHERE f.institution_key IN (SELECT value FROM json_each(@institutions))))
  AND (@tags IS NULL OR c.id IN (
    SELECT ct.contact_id FROM contact_tags ct WHERE ct.tag IN (SELECT value FROM json_each(@tags))))
  AND (@languages IS NULL OR c.id IN (
    SELECT f.id FROM contacts f WHERE f.language IN (SELECT value FROM json_each(@languages))))
`

export interface FilterParams {
  comuneIds: string | null
  roleIds: string | null
  institutions: string | null
  tags: string | null
  languages: string | null
}

/** An empty selection in a filter means "any", as in the UI's multi-selects. */
const json = <T>(
  values: readonly T[] | undefined,
  map: (v: T) => unknown = (v) => v,
): string | null => (values && values.length > 0 ? JSON.stringify(values.map(map)) : null)

/** Binds a filter to {@link FILTER_CONDITION}'s parameters, folded as the columns are. */
export function filterParams(filter: ListFilter | null | undefined): FilterParams {
  return {
    comuneIds: json(filter?.comuneIds),
    roleIds: json(filter?.roleIds),
    institutions: json(filter?.institutions, foldText),
    tags: json(filter?.tags, normalizeTag),
    languages: json(filter?.languages),
  }
}

/** Tags are labels: compared and stored trimmed and lower-case. */
export function normalizeTag(tag: string): string {
  return tag.replace(/\s+/g, ' ').trim().toLowerCase()
}
