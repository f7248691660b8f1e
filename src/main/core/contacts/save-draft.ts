import type { Db } from '../db/open'
import type { FieldChange, OptOutScope } from '../../../shared/contacts/types'
import { DEFAULT_LANGUAGE } from '../../../shared/contacts/language'
import { SCALAR_FIELDS, type ContactFields, type ContactsRepository } from './contacts-repository'
import { createContactMerger, type AbsorbedContact } from './merge'
import { overlayField, type ContactDraft } from './draft'

export interface SavedDraft {
  contactId: number
  created: boolean
  /** Existing contacts folded into `contactId` (not counting itself). */
  mergedContactIds: number[]
  changes: FieldChange[]
  /** Opt-outs active on the saved contact: kept whatever the draft said. */
  activeOptOuts: OptOutScope[]
}

const display = (value: string | number | boolean | null): string | null =>
  value === null ? null : String(value)

export type DraftWriter = ReturnType<typeof createDraftWriter>

/**
 * Saves drafts, merging them with the existing contacts they match. Two modes:
 * `overlay` (create, import: given values win, lists grow) and `replace` (an
 * edit form: the contact becomes what the form says, plus whatever the
 * duplicates it absorbed brought). Never lifts an opt-out. Call inside a transaction.
 */
export function createDraftWriter(db: Db, repo: ContactsRepository) {
  const merger = createContactMerger(db, repo)

  const insert = (draft: ContactDraft, now: string): number => {
    const id = repo.insert(
      {
        name: draft.name,
        email: draft.email,
        telegram: draft.telegram,
        comuneId: draft.comuneId,
        institution: draft.institution,
        language: draft.language ?? DEFAULT_LANGUAGE,
        notes: draft.notes,
        whatsappOptInOn: draft.whatsappWithdrawn ? null : draft.whatsappOptInOn,
        prefersCall: draft.prefersCall ? true : null,
      },
      now,
    )
    repo.addPhones(id, draft.phones, true)
    repo.addRoles(id, draft.roleIds)
    repo.addTags(id, draft.tags)
    return id
  }

  const addHistory = (id: number, draft: ContactDraft, now: string): void => {
    if (draft.consent) {
      const latest = repo.consents(id)[0]
      // A nightly re-import repeats the same consent: history records changes, not echoes.
      if (
        !latest ||
        latest.source !== draft.consent.source ||
        latest.givenOn !== draft.consent.givenOn
      ) {
        repo.addConsent(id, draft.consent.source, draft.consent.givenOn, now)
      }
    }
    if (draft.optOuts.length > 0) {
      const active = new Set(repo.activeOptOuts(id))
      for (const o of draft.optOuts) {
        if (!active.has(o.scope) && !active.has('all')) repo.addOptOut(id, o, now)
      }
    }
  }

  const overlay = (id: number, draft: ContactDraft, now: string): FieldChange[] => {
    const current = repo.fields(id)
    if (!current) throw new Error(`contact ${id} vanished while saving`)
    const changes: FieldChange[] = []
    const next: ContactFields = { ...current }
    for (const field of SCALAR_FIELDS) {
      const given = overlayField(draft, field, current)
      if (given === undefined) continue
      changes.push({ field, from: display(current[field]), to: display(given) })
      ;(next as unknown as Record<string, unknown>)[field] = given
    }
    if (changes.length > 0) repo.update(id, next, now)
    const known = new Set(repo.phones(id).map((p) => p.e164))
    repo.addPhones(
      id,
      draft.phones.filter((p) => !known.has(p.e164)),
    )
    repo.addRoles(id, draft.roleIds)
    repo.addTags(id, draft.tags)
    return changes
  }

  const replace = (
    id: number,
    draft: ContactDraft,
    absorbed: AbsorbedContact[],
    now: string,
  ): void => {
    const kept = repo.fields(id)
    if (!kept) throw new Error(`contact ${id} vanished while saving`)
    const fallback = <K extends keyof ContactFields>(field: K): ContactFields[K] | null => {
      for (const a of absorbed) if (a.fields[field] !== null) return a.fields[field]
      return null
    }
    repo.update(
      id,
      {
        name: draft.name,
        email: draft.email ?? fallback('email'),
        telegram: draft.telegram ?? fallback('telegram'),
        comuneId: draft.comuneId ?? fallback('comuneId'),
        institution: draft.institution ?? fallback('institution'),
        language: draft.language ?? fallback('language') ?? DEFAULT_LANGUAGE,
        notes: draft.notes ?? fallback('notes'),
        // A no to WhatsApp is kept even if a duplicate said yes; saying nothing keeps the yes.
        whatsappOptInOn: draft.whatsappWithdrawn
          ? null
          : (draft.whatsappOptInOn ?? kept.whatsappOptInOn ?? fallback('whatsappOptInOn')),
        prefersCall:
          draft.prefersCall === null
            ? (kept.prefersCall ?? fallback('prefersCall'))
            : draft.prefersCall
              ? true
              : null,
      },
      now,
    )
    const keep = new Set([...draft.phones.map((p) => p.e164), ...absorbed.flatMap((a) => a.phones)])
    const current = repo.phones(id)
    for (const p of current) if (!keep.has(p.e164)) repo.removePhone(id, p.e164)
    const have = new Set(current.map((p) => p.e164))
    repo.addPhones(
      id,
      draft.phones.filter((p) => !have.has(p.e164)),
    )
    repo.clearRoles(id)
    repo.addRoles(id, [...draft.roleIds, ...absorbed.flatMap((a) => a.roleIds)])
    repo.clearTags(id)
    repo.addTags(id, [...draft.tags, ...absorbed.flatMap((a) => a.tags)])
  }

  return {
    /**
     * Saves a draft that matched `existingIds` (possibly none). In overlay mode
     * the lowest id survives; in replace mode `mode.id` does. `newDoc`, when given,
     * is the search document of a contact that turns out new (saves re-reading it).
     */
    save(
      draft: ContactDraft,
      existingIds: readonly number[],
      now: string,
      mode: { kind: 'overlay' } | { kind: 'replace'; id: number } = { kind: 'overlay' },
      newDoc?: string,
    ): SavedDraft {
      const others = [...new Set(existingIds)].sort((a, b) => a - b)
      let id: number
      let created = false
      let changes: FieldChange[] = []
      let mergedContactIds: number[] = []
      if (mode.kind === 'replace') {
        id = mode.id
        mergedContactIds = others.filter((o) => o !== id)
        const outcome = merger.mergeInto(id, mergedContactIds, now)
        replace(id, draft, outcome.absorbed, now)
        changes = outcome.changes
      } else if (others.length === 0) {
        id = insert(draft, now)
        created = true
      } else {
        id = others[0] as number
        mergedContactIds = others.slice(1)
        const outcome = merger.mergeInto(id, mergedContactIds, now)
        changes = [...outcome.changes, ...overlay(id, draft, now)]
      }
      addHistory(id, draft, now)
      if (created && newDoc !== undefined) repo.indexNew(id, newDoc)
      else repo.refreshSearch(id)
      return {
        contactId: id,
        created,
        mergedContactIds,
        changes,
        activeOptOuts: created && draft.optOuts.length === 0 ? [] : repo.activeOptOuts(id),
      }
    },
  }
}
