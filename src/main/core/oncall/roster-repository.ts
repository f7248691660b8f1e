import {
  DEFAULT_ONCALL_SETTINGS,
  OncallSettings,
  type OncallException,
  type OncallPerson,
  type OncallShift,
} from '../../../shared/contract/oncall'
import type { Db } from '../db/open'

interface PersonRow {
  id: number
  contact_id: number | null
  name: string
  phone: string | null
  telegram_chat_id: string | null
  email: string | null
}

interface ShiftRow {
  id: number
  label: string
  weekday: number
  starts: string
  ends: string
  chain: string
}

interface ExceptionRow {
  id: number
  from_day: string
  to_day: string
  person_id: number
  replacement_id: number
  note: string
}

const toPerson = (r: PersonRow): OncallPerson => ({
  id: r.id,
  contactId: r.contact_id,
  name: r.name,
  phone: r.phone,
  telegramChatId: r.telegram_chat_id,
  email: r.email,
})

const toShift = (r: ShiftRow): OncallShift => ({
  id: r.id,
  label: r.label,
  weekday: r.weekday,
  starts: r.starts,
  ends: r.ends,
  chain: (JSON.parse(r.chain) as (number | null)[]).filter((id): id is number => id !== null),
})

const toException = (r: ExceptionRow): OncallException => ({
  id: r.id,
  from: r.from_day,
  to: r.to_day,
  personId: r.person_id,
  replacementId: r.replacement_id,
  note: r.note,
})

export interface PersonFields {
  contactId: number
  name: string
  phone: string | null
  telegramChatId: string | null
  email: string | null
}

export type ShiftFields = Omit<OncallShift, 'id'>
export type ExceptionFields = Omit<OncallException, 'id'>

/** The roster's rows; statements prepared once, multi-row writes in one transaction. */
export function createRosterRepository(db: Db) {
  // The person's name follows the contact's while the contact exists.
  const personSelect = `SELECT p.id, p.contact_id, coalesce(c.name, p.name) AS name, p.phone,
      p.telegram_chat_id, p.email
    FROM oncall_people p LEFT JOIN contacts c ON c.id = p.contact_id`
  const s = {
    people: db.prepare<[], PersonRow>(`${personSelect} ORDER BY name COLLATE NOCASE, p.id`),
    person: db.prepare<[number], PersonRow>(`${personSelect} WHERE p.id = ?`),
    personByChat: db.prepare<[string], PersonRow>(`${personSelect} WHERE p.telegram_chat_id = ?`),
    personByContact: db.prepare<[number], { id: number }>(
      'SELECT id FROM oncall_people WHERE contact_id = ?',
    ),
    insertPerson: db.prepare(`INSERT INTO oncall_people
      (contact_id, name, phone, telegram_chat_id, email, created_at, updated_at)
      VALUES (:contactId, :name, :phone, :telegramChatId, :email, :at, :at)`),
    updatePerson: db.prepare(`UPDATE oncall_people SET contact_id = :contactId, name = :name,
      phone = :phone, telegram_chat_id = :telegramChatId, email = :email, updated_at = :at
      WHERE id = :id`),
    deletePerson: db.prepare<[number]>('DELETE FROM oncall_people WHERE id = ?'),
    personInUse: db.prepare<[number, number, number], { n: number }>(`SELECT
      (SELECT count(*) FROM oncall_chain WHERE person_id = ?) +
      (SELECT count(*) FROM oncall_exceptions WHERE person_id = ? OR replacement_id = ?) AS n`),
    shifts: db.prepare<[], ShiftRow>(`SELECT s.id, s.label, s.weekday, s.starts, s.ends,
        (SELECT json_group_array(person_id ORDER BY position) FROM oncall_chain
           WHERE shift_id = s.id) AS chain
      FROM oncall_shifts s ORDER BY s.weekday, s.starts, s.id`),
    insertShift: db.prepare(`INSERT INTO oncall_shifts
      (label, weekday, starts, ends, created_at, updated_at)
      VALUES (:label, :weekday, :starts, :ends, :at, :at)`),
    updateShift: db.prepare(`UPDATE oncall_shifts SET label = :label, weekday = :weekday,
      starts = :starts, ends = :ends, updated_at = :at WHERE id = :id`),
    deleteShift: db.prepare<[number]>('DELETE FROM oncall_shifts WHERE id = ?'),
    clearChain: db.prepare<[number]>('DELETE FROM oncall_chain WHERE shift_id = ?'),
    addStep: db.prepare<[number, number, number]>(
      'INSERT INTO oncall_chain (shift_id, position, person_id) VALUES (?, ?, ?)',
    ),
    shiftExists: db.prepare<[number], { id: number }>('SELECT id FROM oncall_shifts WHERE id = ?'),
    exceptions: db.prepare<[], ExceptionRow>(
      'SELECT * FROM oncall_exceptions ORDER BY from_day, to_day, id',
    ),
    exceptionsOn: db.prepare<[string, string], ExceptionRow>(
      'SELECT * FROM oncall_exceptions WHERE from_day <= ? AND to_day >= ? ORDER BY id',
    ),
    insertException: db.prepare(`INSERT INTO oncall_exceptions
      (from_day, to_day, person_id, replacement_id, note, created_at)
      VALUES (:from, :to, :personId, :replacementId, :note, :at)`),
    updateException: db.prepare(`UPDATE oncall_exceptions SET from_day = :from, to_day = :to,
      person_id = :personId, replacement_id = :replacementId, note = :note WHERE id = :id`),
    deleteException: db.prepare<[number]>('DELETE FROM oncall_exceptions WHERE id = ?'),
    exceptionExists: db.prepare<[number], { id: number }>(
      'SELECT id FROM oncall_exceptions WHERE id = ?',
    ),
    settings: db.prepare<[], { body: string }>('SELECT body FROM oncall_settings WHERE id = 1'),
    putSettings: db.prepare<[string]>(
      'INSERT INTO oncall_settings (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body',
    ),
  }

  return {
    people: (): OncallPerson[] => s.people.all().map(toPerson),
    person(id: number): OncallPerson | undefined {
      const r = s.person.get(id)
      return r ? toPerson(r) : undefined
    },
    personByChat(chatId: string): OncallPerson | undefined {
      const r = s.personByChat.get(chatId)
      return r ? toPerson(r) : undefined
    },
    personOfContact: (contactId: number): number | undefined =>
      s.personByContact.get(contactId)?.id,
    savePerson(id: number | undefined, fields: PersonFields, at: string): number {
      if (id === undefined) return Number(s.insertPerson.run({ ...fields, at }).lastInsertRowid)
      s.updatePerson.run({ ...fields, id, at })
      return id
    },
    personInUse: (id: number): boolean => (s.personInUse.get(id, id, id)?.n ?? 0) > 0,
    deletePerson: (id: number): boolean => s.deletePerson.run(id).changes > 0,

    shifts: (): OncallShift[] => s.shifts.all().map(toShift),
    shiftExists: (id: number): boolean => s.shiftExists.get(id) !== undefined,
    saveShift(id: number | undefined, fields: ShiftFields, at: string): number {
      return db.transaction(() => {
        const params = {
          label: fields.label,
          weekday: fields.weekday,
          starts: fields.starts,
          ends: fields.ends,
          at,
        }
        let shiftId = id
        if (shiftId === undefined) shiftId = Number(s.insertShift.run(params).lastInsertRowid)
        else s.updateShift.run({ ...params, id: shiftId })
        s.clearChain.run(shiftId)
        fields.chain.forEach((personId, i) => s.addStep.run(shiftId, i + 1, personId))
        return shiftId
      })()
    },
    deleteShift: (id: number): boolean => s.deleteShift.run(id).changes > 0,

    exceptions: (): OncallException[] => s.exceptions.all().map(toException),
    /** The exceptions covering a Rome day (`YYYY-MM-DD`), oldest first. */
    exceptionsOn: (day: string): OncallException[] => s.exceptionsOn.all(day, day).map(toException),
    exceptionExists: (id: number): boolean => s.exceptionExists.get(id) !== undefined,
    saveException(id: number | undefined, fields: ExceptionFields, at: string): number {
      if (id === undefined) return Number(s.insertException.run({ ...fields, at }).lastInsertRowid)
      s.updateException.run({ ...fields, id })
      return id
    },
    deleteException: (id: number): boolean => s.deleteException.run(id).changes > 0,

    /** The settings, stored keys over the defaults; a stored value that no longer parses gives the defaults. */
    settings(): OncallSettings {
      const row = s.settings.get()
      const stored = row ? (JSON.parse(row.body) as Partial<OncallSettings>) : {}
      const merged = OncallSettings.safeParse({
        ...DEFAULT_ONCALL_SETTINGS,
        ...stored,
        triggers: { ...DEFAULT_ONCALL_SETTINGS.triggers, ...stored.triggers },
        afterHours: { ...DEFAULT_ONCALL_SETTINGS.afterHours, ...stored.afterHours },
        phone: { ...DEFAULT_ONCALL_SETTINGS.phone, ...stored.phone },
      })
      return merged.success ? merged.data : DEFAULT_ONCALL_SETTINGS
    },
    putSettings: (settings: OncallSettings): void => {
      s.putSettings.run(JSON.stringify(settings))
    },
  }
}

export type RosterRepository = ReturnType<typeof createRosterRepository>
