import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import { InputError, NotFoundError } from '../../../src/main/core/contacts/errors'
import { comuneId, tempWorkspace, type TempWorkspace } from './workspace'

describe('contacts service', () => {
  let ws: TempWorkspace
  let contacts: ContactsService
  beforeEach(() => {
    ws = tempWorkspace()
    let tick = 0
    contacts = createContactsService(ws.db, {
      now: () => new Date(Date.UTC(2025, 0, 10, 9, 0, tick++)),
    })
  })
  afterEach(() => ws.cleanup())

  it('creates a contact with normalized numbers, roles, comune and consent', () => {
    const { contact, merge } = contacts.create({
      name: '  Niccolò   Bagnoli ',
      phones: ['347 123 4567', '0571 757111'],
      email: 'Niccolo.Bagnoli@Example.ORG',
      telegram: '@nbagnoli',
      comuneId: comuneId(ws.db, 'Empoli'),
      roles: ['Genitore', 'volontario'],
      institution: 'Istituto Checchi',
      language: 'italiano',
      tags: ['3B', ' Gita '],
      consent: { source: 'Modulo iscrizione 2024/25', givenOn: '01/09/2024' },
    })
    expect(merge).toBeNull()
    expect(contact).toMatchObject({
      name: 'Niccolò Bagnoli',
      phones: [
        { e164: '+393471234567', type: 'mobile', original: '347 123 4567' },
        { e164: '+390571757111', type: 'landline', original: '0571 757111' },
      ],
      email: 'niccolo.bagnoli@example.org',
      telegram: 'nbagnoli',
      comuneName: 'Empoli',
      roles: ['genitore', 'volontario'],
      institution: 'Istituto Checchi',
      language: 'it',
      tags: ['3b', 'gita'],
      consents: [{ source: 'Modulo iscrizione 2024/25', givenOn: '2024-09-01' }],
      activeOptOuts: [],
    })
  })

  it('merges a new contact with the same number written differently, and says so', () => {
    const first = contacts.create({
      name: 'Mario Rossi',
      phones: ['347 123 4567'],
      roles: ['genitore'],
    }).contact
    const { contact, merge } = contacts.create({
      name: 'Mario Rossi',
      phones: ['0039 3471234567', '333 111 2222'],
      email: 'mario.rossi@example.org',
      roles: ['volontario'],
    })
    expect(contact.id).toBe(first.id)
    expect(merge).toEqual({
      intoContactId: first.id,
      mergedContactIds: [],
      matchedBy: [{ field: 'phone', value: '+393471234567' }],
      changes: [{ field: 'email', from: null, to: 'mario.rossi@example.org' }],
    })
    expect(contact.phones.map((p) => p.e164)).toEqual(['+393471234567', '+393331112222'])
    expect(contact.roles).toEqual(['genitore', 'volontario'])
    expect(contacts.search({ query: 'Mario' }).items).toHaveLength(1)
  })

  it('merges on the same e-mail whatever its case', () => {
    const first = contacts.create({ name: 'Anna Pucci', email: 'anna.pucci@example.org' }).contact
    const { contact, merge } = contacts.create({
      name: 'Anna Pucci',
      email: 'ANNA.PUCCI@example.org',
      phones: ['340 000 1111'],
    })
    expect(contact.id).toBe(first.id)
    expect(merge?.matchedBy).toEqual([{ field: 'email', value: 'anna.pucci@example.org' }])
  })

  it('folds two existing people into one when an edit shows they are the same, keeping both histories', () => {
    const a = contacts.create({
      name: 'Giovanna Neri',
      phones: ['333 765 4321'],
      consent: { source: 'modulo A' },
    }).contact
    const b = contacts.create({
      name: 'G. Neri',
      email: 'giovanna.neri@example.org',
      phones: ['320 555 0001'],
    }).contact
    contacts.recordOptOut(b.id, { scope: 'email', on: '2024-05-01', reason: 'troppe mail' })
    const { contact, merge } = contacts.update(a.id, {
      name: 'Giovanna Neri',
      phones: ['333 765 4321'],
      email: 'giovanna.neri@example.org',
    })
    expect(merge).toMatchObject({ intoContactId: a.id, mergedContactIds: [b.id] })
    expect(contacts.get(b.id)).toBeNull()
    expect(contact.phones.map((p) => p.e164).sort()).toEqual(['+393205550001', '+393337654321'])
    expect(contact.email).toBe('giovanna.neri@example.org')
    expect(contact.consents.map((c) => c.source)).toEqual(['modulo A'])
    expect(contact.activeOptOuts).toEqual(['email'])
  })

  it('replaces details on edit: numbers and roles removed in the form are gone', () => {
    const c = contacts.create({
      name: 'Bruno Lotti',
      phones: ['347 100 2001', '055 1234567'],
      roles: ['docente'],
    }).contact
    const { contact } = contacts.update(c.id, {
      name: 'Bruno Lotti',
      phones: ['347 100 2001'],
      roles: [],
    })
    expect(contact.phones.map((p) => p.e164)).toEqual(['+393471002001'])
    expect(contact.roles).toEqual([])
    expect(contacts.search({ query: '055' }).items).toEqual([])
  })

  it('keeps opt-out history and lifts an opt-out only with a new consent', () => {
    const c = contacts.create({ name: 'Carla Dei', phones: ['347 100 2002'] }).contact
    contacts.recordOptOut(c.id, { scope: 'sms', reason: 'STOP', channel: 'sms_gateway' })
    expect(contacts.get(c.id)?.activeOptOuts).toEqual(['sms'])
    expect(() => contacts.liftOptOut(c.id, 'email', { source: 'telefonata' })).toThrow(InputError)
    const after = contacts.liftOptOut(c.id, 'sms', {
      source: 'richiesta allo sportello',
      givenOn: '2025-01-10',
    })
    expect(after.activeOptOuts).toEqual([])
    expect(after.optOuts).toHaveLength(1)
    expect(after.optOuts[0]).toMatchObject({
      scope: 'sms',
      on: '2025-01-10',
      reason: 'STOP',
      liftedReason: 'richiesta allo sportello',
    })
    expect(after.consents[0]).toMatchObject({
      source: 'richiesta allo sportello',
      givenOn: '2025-01-10',
    })
  })

  it('refuses bad input with field issues the UI can show', () => {
    const attempt = (input: Parameters<ContactsService['create']>[0]) => {
      try {
        contacts.create(input)
      } catch (err) {
        if (err instanceof InputError) return err.issues.map((i) => `${i.path}:${i.code}`)
        throw err
      }
      return []
    }
    expect(attempt({ name: '' })).toContain('name:required')
    expect(attempt({ name: 'X', phones: ['12'] })).toContain('phones.0:invalid')
    expect(attempt({ name: 'X', email: 'not-mail' })).toContain('email:email')
    expect(attempt({ name: 'X', roles: ['astronauta'] })).toEqual(['roles.0:choice'])
    expect(attempt({ name: 'X', comuneId: 9999 })).toEqual(['comuneId:choice'])
    expect(attempt({ name: 'X', language: 'klingon' })).toContain('language:choice')
    expect(() => contacts.update(9999, { name: 'X' })).toThrow(NotFoundError)
    expect(ws.db.prepare('SELECT count(*) FROM contacts').pluck().get()).toBe(0)
  })

  it('erases a contact with its histories on request', () => {
    const c = contacts.create({
      name: 'Dario Meucci',
      phones: ['347 100 2003'],
      consent: { source: 'x' },
    }).contact
    expect(contacts.remove(c.id)).toBe(true)
    expect(contacts.get(c.id)).toBeNull()
    expect(ws.db.prepare('SELECT count(*) FROM consents').pluck().get()).toBe(0)
    expect(contacts.search({ query: 'Dario' }).items).toEqual([])
    expect(contacts.remove(c.id)).toBe(false)
  })

  it('finds people by name, any form of number, e-mail, comune, role and school', () => {
    contacts.create({
      name: 'Niccolò Bagnoli',
      phones: ['347 123 4567'],
      email: 'nb@example.org',
      comuneId: comuneId(ws.db, 'Vinci'),
      roles: ['genitore'],
      institution: 'Istituto Checchi',
    })
    contacts.create({
      name: 'Nicola Baldi',
      phones: ['0571 757111'],
      comuneId: comuneId(ws.db, 'Empoli'),
      roles: ['sindaco'],
    })
    const names = (q: string) => contacts.search({ query: q }).items.map((i) => i.name)
    expect(names('nicc')).toEqual(['Niccolò Bagnoli'])
    expect(names('niccolò')).toEqual(['Niccolò Bagnoli'])
    expect(names('nic')).toEqual(['Niccolò Bagnoli', 'Nicola Baldi'])
    expect(names('+39 347 123')).toEqual(['Niccolò Bagnoli'])
    expect(names('3471234567')).toEqual(['Niccolò Bagnoli'])
    expect(names('0571 75')).toEqual(['Nicola Baldi'])
    expect(names('nb@example')).toEqual(['Niccolò Bagnoli'])
    expect(names('empoli')).toEqual(['Nicola Baldi'])
    expect(names('sindaco')).toEqual(['Nicola Baldi'])
    expect(names('checchi')).toEqual(['Niccolò Bagnoli'])
    expect(names('zzz')).toEqual([])
    const filtered = contacts.search({ filter: { comuneIds: [comuneId(ws.db, 'Vinci')] } })
    expect(filtered.items.map((i) => i.name)).toEqual(['Niccolò Bagnoli'])
    expect(() => contacts.search({ cursor: 'garbage' })).toThrow(InputError)
  })
})
