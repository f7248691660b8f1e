import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateContacts,
  generatedContactsCsv,
  type GeneratedContact,
} from '../../../src/main/core/contacts/generate'
import { importContacts } from '../../../src/main/core/contacts/csv/import-contacts'
import {
  createContactSearch,
  type ContactSearch,
} from '../../../src/main/core/contacts/contacts-search'
import type { SearchQuery } from '../../../src/shared/contacts/schemas'
import type { ContactSummary } from '../../../src/shared/contacts/types'
import { normalizePhone } from '../../../src/shared/contacts/phone'
import { foldText } from '../../../src/shared/contacts/text'
import { comuneId, roleId, tempWorkspace, type TempWorkspace } from './workspace'

const N = 100_000

describe('search on 100,000 generated contacts', () => {
  let ws: TempWorkspace
  let people: GeneratedContact[]
  let search: ContactSearch

  /** Every page of a search, following cursors to the end. */
  const all = (query: SearchQuery): ContactSummary[] => {
    const out: ContactSummary[] = []
    let cursor: string | undefined
    do {
      const page = search.search({ ...query, limit: 500, ...(cursor ? { cursor } : {}) })
      out.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    return out
  }

  beforeAll(() => {
    ws = tempWorkspace()
    people = generateContacts(N, 2025)
    const report = importContacts(ws.db, new TextEncoder().encode(generatedContactsCsv(people)))
    expect(report).toMatchObject({
      rows: N,
      valid: N,
      invalid: [],
      merged: 0,
      created: N,
      committed: true,
    })
    expect(report.landlines).toBeGreaterThan(N * 0.05)
    search = createContactSearch(ws.db)
  })
  afterAll(() => ws.cleanup())

  it('finds a person by any written form of their number', () => {
    for (let i = 0; i < N; i += 4999) {
      const person = people[i] as GeneratedContact
      const e164 = normalizePhone(person.phones[0] as string).e164 as string
      const national = e164.slice(3)
      for (const form of [
        e164,
        `0039 ${national}`,
        `${national.slice(0, 3)} ${national.slice(3)}`,
      ]) {
        const found = search.search({ query: form }).items
        expect({ form, names: found.map((f) => f.name) }).toEqual({ form, names: [person.name] })
      }
    }
  })

  it('finds everyone whose name starts with the words typed, in name order, across pages', () => {
    const expected = people.filter((p) => {
      const words = foldText(p.name).split(' ')
      return words.some((w) => w.startsWith('giul')) && words.some((w) => w.startsWith('bar'))
    })
    const found = all({ query: 'Giul Bar' })
    expect(found).toHaveLength(expected.length)
    expect(found.length).toBeGreaterThan(0)
    const keys = found.map((f) => foldText(f.name))
    expect(keys).toEqual([...keys].sort())
  })

  it('ignores accents: "niccolo" finds every Niccolò', () => {
    const expected = people.filter((p) => p.name.startsWith('Niccolò ')).length
    expect(expected).toBeGreaterThan(100)
    expect(all({ query: 'niccolo' })).toHaveLength(expected)
  })

  it('finds by e-mail', () => {
    const person = people.find((p) => p.email !== null) as GeneratedContact
    const found = search.search({ query: person.email as string }).items
    expect(found.map((f) => f.email)).toEqual([person.email])
  })

  it('combines words with comune, role, school and language filters exactly', () => {
    const filter = {
      comuneIds: [comuneId(ws.db, 'Certaldo'), comuneId(ws.db, 'Montaione')],
      roleIds: [roleId(ws.db, 'genitore')],
      institutions: ['IC Certaldo'],
    }
    const expected = people.filter(
      (p) =>
        (p.comune === 'Certaldo' || p.comune === 'Montaione') &&
        p.roles.includes('genitore') &&
        p.institution === 'IC Certaldo',
    )
    const found = all({ filter })
    expect(found).toHaveLength(expected.length)
    expect(new Set(found.map((f) => f.id)).size).toBe(found.length)
    expect(found.every((f) => ['Certaldo', 'Montaione'].includes(f.comuneName ?? ''))).toBe(true)

    const rare = people.filter((p) => p.roles.includes('sindaco') && p.language === 'ro')
    expect(
      all({ filter: { roleIds: [roleId(ws.db, 'sindaco')], languages: ['ro'] } }),
    ).toHaveLength(rare.length)

    const marios = people.filter(
      (p) =>
        foldText(p.name)
          .split(' ')
          .some((w) => w.startsWith('ma')) && p.comune === 'Vinci',
    )
    expect(all({ query: 'ma', filter: { comuneIds: [comuneId(ws.db, 'Vinci')] } })).toHaveLength(
      marios.length,
    )
  })

  it('matches comune, role and school names typed as words', () => {
    const montaione = people.filter((p) => p.comune === 'Montaione').length
    expect(all({ query: 'montaione' })).toHaveLength(montaione)
  })
})
