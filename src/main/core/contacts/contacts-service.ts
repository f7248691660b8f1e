import type { Db } from '../db/open'
import type { FieldIssue } from '../../../shared/validation/issues'
import type {
  Contact,
  ContactMerge,
  OptOutScope,
  SaveContactResult,
  SearchPage,
} from '../../../shared/contacts/types'
import {
  consentInputSchema,
  contactInputSchema,
  optOutInputSchema,
  type ConsentInput,
  type ContactInput,
  type OptOutInput,
  type SearchQuery,
} from '../../../shared/contacts/schemas'
import { normalizePhone } from '../../../shared/contacts/phone'
import { normalizeEmail } from '../../../shared/contacts/email'
import { normalizeTelegram } from '../../../shared/contacts/telegram'
import { normalizeLanguage } from '../../../shared/contacts/language'
import { parseDay } from '../../../shared/contacts/dates'
import { foldText, tidy } from '../../../shared/contacts/text'
import { createContactsRepository, type NewPhone } from './contacts-repository'
import { createRolesRepository } from './roles-repository'
import { createContactSearch, type SearchScope } from './contacts-search'
import { createDraftWriter, type SavedDraft } from './save-draft'
import { draftKeys, type ContactDraft } from './draft'
import { normalizeTag } from './filter-sql'
import { InputError, NotFoundError, parseInput } from './errors'

export interface ServiceOptions {
  /** The clock, injectable for tests. */
  now?: () => Date
}

export type ContactsService = ReturnType<typeof createContactsService>

const today = (now: Date): string => now.toISOString().slice(0, 10)

/**
 * Contacts as the UI and the CLI use them: create and edit with duplicate
 * merging (same E.164 number or same e-mail is the same person), consent and
 * opt-out records, search.
 */
export function createContactsService(db: Db, options: ServiceOptions = {}) {
  const now = options.now ?? (() => new Date())
  const repo = createContactsRepository(db)
  const roles = createRolesRepository(db, now)
  const writer = createDraftWriter(db, repo)
  const finder = createContactSearch(db)
  const comuneExists = db.prepare('SELECT 1 FROM comuni WHERE id = ?').pluck()

  /** Validates a form and normalizes it; unknown roles or comuni are field issues. */
  const toDraft = (input: ContactInput): ContactDraft => {
    const c = parseInput(contactInputSchema, input)
    const issues: FieldIssue[] = []
    const phones: NewPhone[] = []
    for (const original of c.phones ?? []) {
      const n = normalizePhone(original)
      if (n.e164 && !phones.some((p) => p.e164 === n.e164)) {
        phones.push({ e164: n.e164, type: n.type, original: tidy(original) })
      }
    }
    const roleIds: number[] = []
    const known = roles.idsByKey()
    ;(c.roles ?? []).forEach((name, i) => {
      const id = known.get(foldText(name))
      if (id === undefined) issues.push({ path: `roles.${i}`, code: 'choice' })
      else if (!roleIds.includes(id)) roleIds.push(id)
    })
    if (c.comuneId != null && comuneExists.get(c.comuneId) === undefined) {
      issues.push({ path: 'comuneId', code: 'choice' })
    }
    if (issues.length > 0) throw new InputError(issues)
    return {
      name: tidy(c.name),
      phones,
      email: c.email ? normalizeEmail(c.email) : null,
      telegram: c.telegram ? normalizeTelegram(c.telegram) : null,
      comuneId: c.comuneId ?? null,
      roleIds,
      institution: c.institution ? tidy(c.institution) : null,
      language: c.language ? normalizeLanguage(c.language) : null,
      tags: [...new Set((c.tags ?? []).map(normalizeTag))],
      notes: c.notes ?? null,
      whatsappOptInOn: c.whatsappOptInOn ? parseDay(c.whatsappOptInOn) : null,
      whatsappWithdrawn: c.whatsappOptInOn === null,
      prefersCall: c.prefersCall ?? null,
      consent: c.consent
        ? {
            source: tidy(c.consent.source),
            givenOn: c.consent.givenOn ? parseDay(c.consent.givenOn) : null,
          }
        : null,
      optOuts: [],
    }
  }

  /** Existing contacts sharing a number or the e-mail, and which key matched each. */
  const matches = (draft: ContactDraft) => {
    const found: { field: 'phone' | 'email'; value: string; contactId: number }[] = []
    for (const key of draftKeys(draft)) {
      const id = key.field === 'phone' ? repo.idByPhone(key.value) : repo.idByEmail(key.value)
      if (id !== undefined) found.push({ ...key, contactId: id })
    }
    return found
  }

  const describe = (
    saved: SavedDraft,
    matched: ReturnType<typeof matches>,
    self: number | null,
  ): ContactMerge | null => {
    const others = matched.filter((m) => m.contactId !== self)
    if (others.length === 0) return null
    return {
      intoContactId: saved.contactId,
      mergedContactIds: saved.mergedContactIds,
      matchedBy: others.map(({ field, value }) => ({ field, value })),
      changes: saved.changes,
    }
  }

  const mustGet = (id: number): Contact => {
    const contact = repo.get(id)
    if (!contact) throw new NotFoundError('contact', id)
    return contact
  }

  return {
    get(id: number): Contact | null {
      return repo.get(id)
    },

    /**
     * Adds a contact. When it shares a number or the e-mail with existing ones
     * it is merged into them (the oldest survives) and the merge is described.
     */
    create(input: ContactInput): SaveContactResult {
      const draft = toDraft(input)
      return db.transaction(() => {
        const matched = matches(draft)
        const saved = writer.save(
          draft,
          matched.map((m) => m.contactId),
          now().toISOString(),
        )
        return { contact: mustGet(saved.contactId), merge: describe(saved, matched, null) }
      })()
    },

    /**
     * Replaces a contact's details with the form's. A number or e-mail that
     * belongs to another contact merges that contact into this one.
     */
    update(id: number, input: ContactInput): SaveContactResult {
      const draft = toDraft(input)
      return db.transaction(() => {
        if (!repo.exists(id)) throw new NotFoundError('contact', id)
        const matched = matches(draft)
        const saved = writer.save(
          draft,
          matched.map((m) => m.contactId),
          now().toISOString(),
          { kind: 'replace', id },
        )
        return { contact: mustGet(id), merge: describe(saved, matched, id) }
      })()
    },

    /** Erases a contact and its histories (a person's request to be forgotten). */
    remove(id: number): boolean {
      return db.transaction(() => repo.remove(id))()
    },

    /** Adds a consent event (the legal basis for messaging them). */
    recordConsent(id: number, input: ConsentInput): Contact {
      const c = parseInput(consentInputSchema, input)
      db.transaction(() => {
        if (!repo.exists(id)) throw new NotFoundError('contact', id)
        repo.addConsent(
          id,
          tidy(c.source),
          c.givenOn ? parseDay(c.givenOn) : null,
          now().toISOString(),
        )
      })()
      return mustGet(id)
    },

    /** Records an opt-out: from now on nothing is sent to them on that scope, whatever list they are in. */
    recordOptOut(id: number, input: OptOutInput): Contact {
      const o = parseInput(optOutInputSchema, input)
      db.transaction(() => {
        if (!repo.exists(id)) throw new NotFoundError('contact', id)
        const at = now()
        repo.addOptOut(
          id,
          {
            scope: o.scope,
            on: o.on ? (parseDay(o.on) as string) : today(at),
            channel: o.channel ?? null,
            reason: o.reason ?? null,
          },
          at.toISOString(),
        )
      })()
      return mustGet(id)
    },

    /**
     * Lifts an opt-out because the person consented again; the new consent is
     * recorded with it, and the opt-out stays in the history as lifted.
     */
    liftOptOut(id: number, scope: OptOutScope, consent: ConsentInput): Contact {
      const c = parseInput(consentInputSchema, consent)
      db.transaction(() => {
        if (!repo.exists(id)) throw new NotFoundError('contact', id)
        const at = now().toISOString()
        const source = tidy(c.source)
        if (repo.liftOptOuts(id, scope, source, at) === 0) {
          throw new InputError([
            { path: 'scope', code: 'invalid', params: { detail: 'not opted out' } },
          ])
        }
        repo.addConsent(id, source, c.givenOn ? parseDay(c.givenOn) : null, at)
      })()
      return mustGet(id)
    },

    /** A page of contacts matching words and filters; see {@link createContactSearch}. */
    search(query: SearchQuery = {}, scope: SearchScope = {}): SearchPage {
      return finder.search(query, scope)
    },
  }
}
