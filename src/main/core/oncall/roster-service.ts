import { normalizeEmail } from '../../../shared/contacts/email'
import { normalizePhone } from '../../../shared/contacts/phone'
import type { z } from 'zod'
import {
  OncallSettings,
  type OncallException,
  type OncallExceptionInput,
  type OncallPerson,
  type OncallPersonInput,
  type OncallShift,
  type OncallShiftInput,
} from '../../../shared/contract/oncall'
import type { FieldIssue } from '../../../shared/validation/issues'
import { toFieldIssues } from '../../../shared/validation/issues'
import type { AuditLog } from '../audit/audit-log'
import { CoreError, invalid, notFound } from '../errors'
import type { RosterRepository } from './roster-repository'

type PersonInput = z.output<typeof OncallPersonInput>
type ShiftInput = z.output<typeof OncallShiftInput>
type ExceptionInput = z.output<typeof OncallExceptionInput>

/**
 * Edits of the roster, checked against what the schema cannot see: the contact exists,
 * the numbers are numbers, the people named are on the roster, the accounts chosen are of
 * the right kind. Every change is audited and announced.
 */
export function createRosterService(deps: {
  repo: RosterRepository
  audit: AuditLog
  contacts: { get(id: number): { id: number; name: string } | null }
  accounts: { get(id: number): { id: number; kind: string } | undefined }
  accountFamily(kind: string): string
  changed(what: 'roster' | 'settings'): void
  now(): Date
}) {
  const { repo, audit } = deps
  const at = () => deps.now().toISOString()
  const check = (issues: FieldIssue[]) => {
    if (issues.length) throw invalid(issues)
  }
  const knownPeople = (ids: readonly number[], path: string): FieldIssue[] =>
    ids.flatMap((id, i) =>
      repo.person(id)
        ? []
        : [{ path: ids.length > 1 ? `${path}.${i}` : path, code: 'choice' as const }],
    )
  /** SQLite's RESTRICT said no: the person is still in a chain or an exception. */
  const inUse = (err: unknown): never => {
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY')
      throw new CoreError('conflict', 'the person is in a shift chain or an exception')
    throw err
  }

  return {
    savePerson(input: PersonInput, actor: string): OncallPerson {
      const contact = deps.contacts.get(input.contactId)
      const issues: FieldIssue[] = []
      if (!contact) issues.push({ path: 'contactId', code: 'choice' })
      let phone: string | null = null
      if (input.phone) {
        const n = normalizePhone(input.phone)
        if (!n.e164 || !n.valid) issues.push({ path: 'phone', code: 'invalid' })
        else phone = n.e164
      }
      let email: string | null = null
      if (input.email) {
        email = normalizeEmail(input.email)
        if (!email) issues.push({ path: 'email', code: 'email' })
      }
      const chat = input.telegramChatId ?? null
      if (!phone && !chat && !issues.some((i) => i.path === 'phone'))
        issues.push({ path: 'telegramChatId', code: 'required' })
      if (input.id !== undefined && !repo.person(input.id))
        throw notFound(`on-call person ${input.id}`)
      const other = repo.personOfContact(input.contactId)
      if (other !== undefined && other !== input.id)
        issues.push({ path: 'contactId', code: 'duplicate' })
      if (chat) {
        const holder = repo.personByChat(chat)
        if (holder && holder.id !== input.id)
          issues.push({ path: 'telegramChatId', code: 'duplicate' })
      }
      check(issues)
      const id = repo.savePerson(
        input.id,
        { contactId: input.contactId, name: contact!.name, phone, telegramChatId: chat, email },
        at(),
      )
      audit.record(
        actor,
        input.id === undefined ? 'oncall.addPerson' : 'oncall.updatePerson',
        `oncall-person:${id}`,
        {
          name: contact!.name,
        },
      )
      deps.changed('roster')
      return repo.person(id)!
    },

    deletePerson(id: number, actor: string): { id: number } {
      const person = repo.person(id)
      if (!person) throw notFound(`on-call person ${id}`)
      if (repo.personInUse(id))
        throw new CoreError('conflict', `${person.name} is in a shift chain or an exception`)
      try {
        repo.deletePerson(id)
      } catch (err) {
        inUse(err)
      }
      audit.record(actor, 'oncall.deletePerson', `oncall-person:${id}`, { name: person.name })
      deps.changed('roster')
      return { id }
    },

    saveShift(input: ShiftInput, actor: string): OncallShift {
      if (input.id !== undefined && !repo.shiftExists(input.id)) throw notFound(`shift ${input.id}`)
      check(knownPeople(input.chain, 'chain'))
      const id = repo.saveShift(
        input.id,
        {
          label: input.label,
          weekday: input.weekday,
          starts: input.starts,
          ends: input.ends,
          chain: input.chain,
        },
        at(),
      )
      audit.record(
        actor,
        input.id === undefined ? 'oncall.addShift' : 'oncall.updateShift',
        `oncall-shift:${id}`,
        {
          weekday: input.weekday,
          starts: input.starts,
          ends: input.ends,
          chain: input.chain.map((p) => repo.person(p)?.name ?? `#${p}`),
        },
      )
      deps.changed('roster')
      return repo.shifts().find((s) => s.id === id)!
    },

    deleteShift(id: number, actor: string): { id: number } {
      if (!repo.deleteShift(id)) throw notFound(`shift ${id}`)
      audit.record(actor, 'oncall.deleteShift', `oncall-shift:${id}`, {})
      deps.changed('roster')
      return { id }
    },

    saveException(input: ExceptionInput, actor: string): OncallException {
      if (input.id !== undefined && !repo.exceptionExists(input.id))
        throw notFound(`exception ${input.id}`)
      check([
        ...knownPeople([input.personId], 'personId'),
        ...knownPeople([input.replacementId], 'replacementId'),
      ])
      const id = repo.saveException(
        input.id,
        {
          from: input.from,
          to: input.to,
          personId: input.personId,
          replacementId: input.replacementId,
          note: input.note,
        },
        at(),
      )
      audit.record(
        actor,
        input.id === undefined ? 'oncall.addException' : 'oncall.updateException',
        `oncall-exception:${id}`,
        {
          from: input.from,
          to: input.to,
          person: repo.person(input.personId)?.name,
          replacement: repo.person(input.replacementId)?.name,
        },
      )
      deps.changed('roster')
      return repo.exceptions().find((e) => e.id === id)!
    },

    deleteException(id: number, actor: string): { id: number } {
      if (!repo.deleteException(id)) throw notFound(`exception ${id}`)
      audit.record(actor, 'oncall.deleteException', `oncall-exception:${id}`, {})
      deps.changed('roster')
      return { id }
    },

    updateSettings(patch: Partial<OncallSettings>, actor: string): OncallSettings {
      const current = repo.settings()
      const next = OncallSettings.safeParse(
        {
          ...current,
          ...patch,
          triggers: { ...current.triggers, ...patch.triggers },
          afterHours: { ...current.afterHours, ...patch.afterHours },
          phone: { ...current.phone, ...patch.phone },
        },
        { reportInput: true },
      )
      if (!next.success) throw invalid(toFieldIssues(next.error))
      const issues: FieldIssue[] = []
      const family = (id: number | null) => {
        if (id === null) return null
        const account = deps.accounts.get(id)
        return account ? deps.accountFamily(account.kind) : undefined
      }
      const tg = family(next.data.telegramAccountId)
      if (tg !== null && tg !== 'telegram')
        issues.push({ path: 'telegramAccountId', code: 'choice' })
      const sms = family(next.data.smsAccountId)
      if (sms !== null && sms !== 'sms') issues.push({ path: 'smsAccountId', code: 'choice' })
      const voice = family(next.data.voiceAccountId)
      if (voice !== null && voice !== 'voice')
        issues.push({ path: 'voiceAccountId', code: 'choice' })
      next.data.phone.accountIds.forEach((id, i) => {
        if (!deps.accounts.get(id)) issues.push({ path: `phone.accountIds.${i}`, code: 'choice' })
      })
      check(issues)
      repo.putSettings(next.data)
      audit.record(actor, 'oncall.updateSettings', null, patch)
      deps.changed('settings')
      return next.data
    },
  }
}

export type RosterService = ReturnType<typeof createRosterService>
