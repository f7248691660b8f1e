import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import {
  createListsRepository,
  type ListsRepository,
} from '../../../src/main/core/lists/lists-repository'
import { createAudience, type Audience } from '../../../src/main/core/lists/audience'
import { InputError, NotFoundError } from '../../../src/main/core/contacts/errors'
import { comuneId, roleId, tempWorkspace, type TempWorkspace } from './workspace'

describe('lists, reach and recipients', () => {
  let ws: TempWorkspace
  let contacts: ContactsService
  let lists: ListsRepository
  let audience: Audience
  const ids: Record<string, number> = {}

  beforeEach(() => {
    ws = tempWorkspace()
    contacts = createContactsService(ws.db)
    lists = createListsRepository(ws.db)
    audience = createAudience(ws.db)
    const add = (key: string, input: Parameters<ContactsService['create']>[0]) => {
      ids[key] = contacts.create(input).contact.id
    }
    const empoli = comuneId(ws.db, 'Empoli')
    const vinci = comuneId(ws.db, 'Vinci')
    add('anna', {
      name: 'Anna',
      phones: ['347 000 0001', '348 000 0001'],
      email: 'anna@example.org',
      telegram: 'anna_tg',
      comuneId: empoli,
      roles: ['genitore'],
      institution: 'Istituto Checchi',
    })
    add('bruno', {
      name: 'Bruno',
      phones: ['0571 757111'],
      email: 'bruno@example.org',
      comuneId: empoli,
      roles: ['genitore'],
      institution: 'Istituto Checchi',
    })
    add('carla', {
      name: 'Carla',
      phones: ['347 000 0003', '0571 700003'],
      comuneId: vinci,
      roles: ['docente'],
      institution: 'istituto checchi',
      language: 'ro',
    })
    add('dario', {
      name: 'Dario',
      phones: ['347 000 0004'],
      email: 'dario@example.org',
      telegram: 'dario_tg',
      comuneId: vinci,
      roles: ['genitore', 'volontario'],
      tags: ['protezione civile'],
    })
    add('elena', {
      name: 'Elena',
      email: 'elena@example.org',
      comuneId: empoli,
      roles: ['sindaco'],
    })
    add('fabio', { name: 'Fabio', phones: ['800 123 456'], comuneId: vinci })
    contacts.recordOptOut(ids.dario as number, { scope: 'sms', reason: 'STOP' })
    contacts.recordOptOut(ids.elena as number, {
      scope: 'all',
      reason: 'non vuole essere contattata',
    })
  })
  afterEach(() => ws.cleanup())

  it('keeps static lists by hand and refuses what does not fit', () => {
    const list = lists.create({
      kind: 'static',
      name: 'Genitori — Istituto Checchi',
      description: 'dal registro',
    })
    expect(
      lists.addMembers(list.id, [ids.anna as number, ids.bruno as number, ids.anna as number]),
    ).toBe(2)
    expect(lists.members(list.id).items.map((i) => i.name)).toEqual(['Anna', 'Bruno'])
    expect(lists.removeMembers(list.id, [ids.bruno as number])).toBe(1)
    expect(() => lists.create({ kind: 'static', name: 'genitori — istituto checchi' })).toThrow(
      InputError,
    )
    expect(() => lists.addMembers(list.id, [99999])).toThrow(InputError)
    expect(() => lists.addMembers(12345, [ids.anna as number])).toThrow(NotFoundError)
    const dynamic = lists.create({
      kind: 'dynamic',
      name: 'Vinci',
      filter: { comuneIds: [comuneId(ws.db, 'Vinci')] },
    })
    expect(() => lists.addMembers(dynamic.id, [ids.anna as number])).toThrow(InputError)
    expect(() => lists.update(dynamic.id, { kind: 'static', name: 'Vinci' })).toThrow(InputError)
    expect(lists.remove(list.id)).toBe(true)
    expect(contacts.get(ids.anna as number)).not.toBeNull()
  })

  it('evaluates a dynamic list when used, so new contacts join it', () => {
    const filter = { comuneIds: [comuneId(ws.db, 'Empoli')], roleIds: [roleId(ws.db, 'genitore')] }
    const list = lists.create({ kind: 'dynamic', name: 'Genitori di Empoli', filter })
    expect(lists.get(list.id)?.filter).toEqual(filter)
    expect(lists.members(list.id).items.map((i) => i.name)).toEqual(['Anna', 'Bruno'])
    contacts.create({
      name: 'Gino',
      phones: ['347 000 0007'],
      comuneId: comuneId(ws.db, 'Empoli'),
      roles: ['genitore'],
    })
    expect(lists.members(list.id).items.map((i) => i.name)).toEqual(['Anna', 'Bruno', 'Gino'])
    expect(audience.listReach(list.id)).toEqual({
      members: 3,
      sms: 3,
      email: 2,
      telegram: 1,
      voice: 3,
      whatsapp: 0,
    })
  })

  it('filters by school whatever its case, by tags and by language', () => {
    const school = lists.create({
      kind: 'dynamic',
      name: 'Checchi',
      filter: { institutions: ['ISTITUTO CHECCHI'] },
    })
    expect(lists.members(school.id).items.map((i) => i.name)).toEqual(['Anna', 'Bruno', 'Carla'])
    const tagged = lists.create({
      kind: 'dynamic',
      name: 'PC',
      filter: { tags: ['Protezione Civile'] },
    })
    expect(lists.members(tagged.id).items.map((i) => i.name)).toEqual(['Dario'])
    const romanian = lists.create({ kind: 'dynamic', name: 'RO', filter: { languages: ['ro'] } })
    expect(lists.members(romanian.id).items.map((i) => i.name)).toEqual(['Carla'])
    const everyone = lists.create({ kind: 'dynamic', name: 'Tutti', filter: {} })
    expect(audience.listReach(everyone.id).members).toBe(6)
  })

  it('counts reach per family after opt-outs: mobiles for SMS, e-mails, Telegram', () => {
    const everyone = lists.create({ kind: 'dynamic', name: 'Tutti', filter: {} })
    // SMS: Anna's two mobiles and Carla's mobile; Bruno has a landline, Dario opted out of SMS,
    // Elena of everything, Fabio's number takes no SMS. Calls: one per person whose first
    // number rings (Anna, Bruno, Carla, Dario); WhatsApp: nobody said yes yet.
    expect(audience.listReach(everyone.id)).toEqual({
      members: 6,
      sms: 3,
      email: 3,
      telegram: 2,
      voice: 4,
      whatsapp: 0,
    })
  })

  it('resolves recipients once each, never an opted-out person, and says why others are skipped', () => {
    const a = lists.create({ kind: 'static', name: 'A' })
    const b = lists.create({
      kind: 'dynamic',
      name: 'Vinci',
      filter: { comuneIds: [comuneId(ws.db, 'Vinci')] },
    })
    lists.addMembers(a.id, [ids.anna, ids.bruno, ids.dario, ids.elena].map(Number))
    const sms = audience.resolveRecipients([a.id, b.id], 'sms')
    expect(sms.recipients.map((r) => [r.name, r.address])).toEqual([
      ['Anna', '+393470000001'],
      ['Anna', '+393480000001'],
      ['Carla', '+393470000003'],
    ])
    expect(sms.skipped.map((s) => [s.name, s.reason, s.address])).toEqual([
      ['Bruno', 'landline', '+390571757111'],
      ['Dario', 'opted_out', null],
      ['Elena', 'opted_out', null],
      ['Carla', 'landline', '+390571700003'],
      ['Dario', 'duplicate', null],
      ['Fabio', 'not_mobile', '+39800123456'],
    ])
    const email = audience.resolveRecipients([a.id, b.id], 'email')
    expect(email.recipients.map((r) => r.address)).toEqual([
      'anna@example.org',
      'bruno@example.org',
      'dario@example.org',
    ])
    expect(email.skipped.filter((s) => s.reason === 'no_address').map((s) => s.name)).toEqual([
      'Carla',
      'Fabio',
    ])
    const telegram = audience.resolveRecipients([a.id], 'telegram')
    expect(telegram.recipients.map((r) => r.address)).toEqual(['anna_tg', 'dario_tg'])
    for (const family of ['sms', 'email', 'telegram'] as const) {
      const all = audience
        .resolveRecipients([a.id, b.id], family)
        .recipients.map((r) => r.contactId)
      expect(all).not.toContain(ids.elena)
    }
    expect(audience.reachOfLists([a.id, b.id])).toEqual({
      members: 6,
      sms: 3,
      email: 3,
      telegram: 2,
      voice: 4,
      whatsapp: 0,
    })
  })

  it('calls each person once at their first number that rings, landlines included; WhatsApp only those who said yes', () => {
    const a = lists.create({ kind: 'static', name: 'A' })
    lists.addMembers(a.id, [ids.anna, ids.bruno, ids.carla, ids.dario, ids.elena].map(Number))
    const voice = audience.resolveRecipients([a.id], 'voice')
    // Bruno and Carla's landlines ring too: the people an SMS cannot reach. One call each.
    expect(voice.recipients.map((r) => [r.name, r.address])).toEqual([
      ['Anna', '+393470000001'],
      ['Bruno', '+390571757111'],
      ['Carla', '+393470000003'],
      ['Dario', '+393470000004'], // opted out of SMS only: a call still reaches him
    ])
    expect(voice.skipped.map((s) => [s.name, s.reason])).toEqual([['Elena', 'opted_out']])

    for (const key of ['anna', 'bruno']) {
      const c = contacts.get(ids[key] as number)!
      contacts.update(c.id, {
        name: c.name,
        phones: c.phones.map((p) => p.e164),
        email: c.email ?? undefined,
        whatsappOptInOn: '2026-11-20',
      })
    }
    expect(contacts.get(ids.anna as number)?.whatsappOptInOn).toBe('2026-11-20')
    expect(audience.listReach(a.id).whatsapp).toBe(1)
    const whatsapp = audience.resolveRecipients([a.id], 'whatsapp')
    expect(whatsapp.recipients.map((r) => [r.name, r.address])).toEqual([['Anna', '+393470000001']])
    expect(whatsapp.skipped.map((s) => [s.name, s.reason])).toEqual([
      ['Bruno', 'no_address'], // said yes, but has no mobile
      ['Carla', 'no_whatsapp_consent'],
      ['Dario', 'no_whatsapp_consent'],
      ['Elena', 'opted_out'],
    ])
  })

  it('agrees between the lists page count and the recipients resolved for sending', () => {
    const everyone = lists.create({ kind: 'dynamic', name: 'Tutti', filter: {} })
    contacts.update(ids.carla as number, {
      name: 'Carla',
      phones: ['347 000 0003', '0571 700003'],
      whatsappOptInOn: '2026-10-01',
    })
    const reach = audience.listReach(everyone.id)
    expect(reach.whatsapp).toBe(1)
    for (const family of ['sms', 'email', 'telegram', 'voice', 'whatsapp'] as const) {
      expect(audience.resolveRecipients([everyone.id], family).recipients).toHaveLength(
        reach[family],
      )
    }
  })

  it('keeps a merged contact in the lists either duplicate was in', () => {
    const list = lists.create({ kind: 'static', name: 'Volontari' })
    const other = contacts.create({ name: 'Dario bis', email: 'dario.bis@example.org' }).contact
    lists.addMembers(list.id, [other.id])
    contacts.update(ids.dario as number, {
      name: 'Dario',
      phones: ['347 000 0004'],
      email: 'dario.bis@example.org',
    })
    expect(lists.members(list.id).items.map((i) => i.id)).toEqual([ids.dario])
  })
})

describe('who is better reached by a call', () => {
  let ws: TempWorkspace
  let contacts: ContactsService
  let lists: ListsRepository
  let audience: Audience
  beforeEach(() => {
    ws = tempWorkspace()
    contacts = createContactsService(ws.db)
    lists = createListsRepository(ws.db)
    audience = createAudience(ws.db)
  })
  afterEach(() => ws.cleanup())

  it('gives a person who prefers a call the call instead of the SMS, only when the alert calls', () => {
    const nonna = contacts.create({
      name: 'Nonna Pina',
      phones: ['347 000 0101'],
      prefersCall: true,
    }).contact
    contacts.create({ name: 'Gino', phones: ['347 000 0102'] })
    expect(nonna.prefersCall).toBe(true)
    const all = lists.create({ kind: 'dynamic', name: 'Tutti', filter: {} })
    const smsWithCall = audience.resolveRecipients([all.id], 'sms', { voiceToo: true })
    expect(smsWithCall.recipients.map((r) => r.name)).toEqual(['Gino'])
    expect(smsWithCall.skipped).toEqual([
      expect.objectContaining({ name: 'Nonna Pina', reason: 'prefers_call' }),
    ])
    expect(audience.resolveRecipients([all.id], 'voice').recipients.map((r) => r.name)).toEqual([
      'Nonna Pina',
      'Gino',
    ])
    // An alert without calls still texts her: a preference never leaves someone out.
    expect(
      audience
        .resolveRecipients([all.id], 'sms', { voiceToo: false })
        .recipients.map((r) => r.name),
    ).toEqual(['Nonna Pina', 'Gino'])
    // Unticked on the form, the preference goes; an edit that leaves it out keeps it.
    contacts.update(nonna.id, { name: 'Nonna Pina', phones: ['347 000 0101'] })
    expect(contacts.get(nonna.id)?.prefersCall).toBe(true)
    contacts.update(nonna.id, { name: 'Nonna Pina', phones: ['347 000 0101'], prefersCall: false })
    expect(contacts.get(nonna.id)?.prefersCall).toBe(false)
  })

  it('reaches the members of a calls-only list by call and nothing else, unless another list brings them', () => {
    const anziani = lists.create({ kind: 'static', name: 'Over 75 soli', callsOnly: true })
    const volontari = lists.create({ kind: 'static', name: 'Volontari' })
    const lina = contacts.create({
      name: 'Lina',
      phones: ['0571 700100', '347 000 0103'],
      email: 'lina@example.org',
    }).contact
    const aldo = contacts.create({ name: 'Aldo', phones: ['347 000 0104'] }).contact
    lists.addMembers(anziani.id, [lina.id, aldo.id])
    lists.addMembers(volontari.id, [aldo.id])
    expect(lists.get(anziani.id)?.callsOnly).toBe(true)

    const both = [anziani.id, volontari.id]
    expect(audience.resolveRecipients(both, 'sms').recipients.map((r) => r.name)).toEqual(['Aldo'])
    expect(audience.resolveRecipients(both, 'sms').skipped).toEqual([
      expect.objectContaining({ name: 'Lina', reason: 'calls_only' }),
      expect.objectContaining({ name: 'Aldo', reason: 'duplicate' }), // texted through Volontari
    ])
    expect(audience.resolveRecipients(both, 'email').recipients).toEqual([])
    expect(
      audience.resolveRecipients(both, 'voice').recipients.map((r) => [r.name, r.address]),
    ).toEqual([
      ['Aldo', '+393470000104'],
      ['Lina', '+390571700100'], // her landline rings first
    ])
    expect(audience.listReach(anziani.id)).toMatchObject({
      members: 2,
      sms: 0,
      email: 0,
      telegram: 0,
      whatsapp: 0,
      voice: 2,
    })
    // Renamed without saying, it stays calls only.
    lists.update(anziani.id, { kind: 'static', name: 'Over 75 che vivono soli' })
    expect(lists.get(anziani.id)?.callsOnly).toBe(true)
  })
})
