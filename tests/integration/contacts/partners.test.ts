import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createPartnersRepository,
  type PartnersRepository,
} from '../../../src/main/core/partners/partners-repository'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import { InputError, NotFoundError } from '../../../src/main/core/contacts/errors'
import { tempWorkspace, type TempWorkspace } from './workspace'

describe('partner institutions', () => {
  let ws: TempWorkspace
  let partners: PartnersRepository
  let contacts: ContactsService
  beforeEach(() => {
    ws = tempWorkspace()
    partners = createPartnersRepository(ws.db)
    contacts = createContactsService(ws.db)
  })
  afterEach(() => ws.cleanup())

  const pageToken = () => {
    const now = new Date().toISOString()
    return Number(
      ws.db
        .prepare(
          "INSERT INTO channel_accounts (kind, name, settings, created_at, updated_at) VALUES ('facebook_page', 'Pagina Checchi', '{}', ?, ?)",
        )
        .run(now, now).lastInsertRowid,
    )
  }

  it('starts with the two partner high schools, ready to be completed', () => {
    expect(partners.list().map((p) => [p.name, p.relayMode, p.pages, p.admins])).toEqual([
      ['Istituto Checchi', 'message_admins', [], []],
      ['Istituto Enriques', 'message_admins', [], []],
    ])
  })

  it('keeps pages, admins, relay mode and notes, and edits them as a whole', () => {
    const admin = contacts.create({
      name: 'Prof.ssa Lotti',
      email: 'lotti@example.org',
      phones: ['347 555 0000'],
    }).contact
    const checchi = partners.list().find((p) => p.name === 'Istituto Checchi')
    const account = pageToken()
    const updated = partners.update(checchi?.id ?? 0, {
      name: 'Istituto Checchi',
      relayMode: 'direct_post',
      notes: 'Pubblicano entro 30 minuti in orario scolastico.',
      pages: [
        {
          kind: 'facebook',
          url: 'https://www.facebook.com/istitutochecchi',
          channelAccountId: account,
        },
        { kind: 'instagram', url: 'https://www.instagram.com/istitutochecchi' },
        { kind: 'website', url: 'https://www.example.org/checchi' },
        { kind: 'telegram', url: 'https://t.me/istitutochecchi' },
      ],
      adminContactIds: [admin.id],
    })
    expect(updated).toMatchObject({
      relayMode: 'direct_post',
      notes: 'Pubblicano entro 30 minuti in orario scolastico.',
      admins: [
        {
          contactId: admin.id,
          name: 'Prof.ssa Lotti',
          email: 'lotti@example.org',
          phones: ['+393475550000'],
        },
      ],
    })
    expect(updated.pages.map((p) => [p.kind, p.channelAccountId])).toEqual([
      ['facebook', account],
      ['instagram', null],
      ['website', null],
      ['telegram', null],
    ])
    const trimmed = partners.update(updated.id, {
      name: 'Istituto Checchi',
      relayMode: 'message_admins',
      pages: [],
    })
    expect(trimmed.pages).toEqual([])
    expect(trimmed.admins).toEqual([])
    expect(contacts.get(admin.id)).not.toBeNull()
  })

  it('adds any number of partners and deletes them without touching their admins', () => {
    const admin = contacts.create({ name: 'Don Bosco', email: 'parroco@example.org' }).contact
    const p = partners.create({
      name: 'Parrocchia di Vinci',
      relayMode: 'message_admins',
      pages: [{ kind: 'facebook', url: 'https://www.facebook.com/parrocchiavinci' }],
      adminContactIds: [admin.id],
    })
    expect(partners.list()).toHaveLength(3)
    expect(partners.remove(p.id)).toBe(true)
    expect(partners.get(p.id)).toBeNull()
    expect(contacts.get(admin.id)).not.toBeNull()
    expect(ws.db.prepare('SELECT count(*) FROM partner_pages').pluck().get()).toBe(0)
  })

  it('refuses what cannot work: direct posts without a page token, bad URLs, unknown admins, duplicates', () => {
    const issues = (input: Parameters<PartnersRepository['create']>[0]) => {
      try {
        partners.create(input)
      } catch (err) {
        if (err instanceof InputError) return err.issues.map((i) => `${i.path}:${i.code}`)
        throw err
      }
      return []
    }
    expect(
      issues({
        name: 'X',
        relayMode: 'direct_post',
        pages: [{ kind: 'facebook', url: 'https://facebook.com/x' }],
      }),
    ).toEqual(['pages:required'])
    expect(
      issues({
        name: 'X',
        relayMode: 'message_admins',
        pages: [{ kind: 'website', url: 'javascript:alert(1)' }],
      }),
    ).toEqual(['pages.0.url:url'])
    expect(issues({ name: 'X', relayMode: 'message_admins', adminContactIds: [4242] })).toEqual([
      'adminContactIds.0:choice',
    ])
    expect(issues({ name: 'istituto enriques', relayMode: 'message_admins' })).toEqual([
      'name:duplicate',
    ])
    expect(issues({ name: 'X', relayMode: 'fax' as 'direct_post' })).toEqual(['relayMode:choice'])
    expect(
      issues({
        name: 'X',
        relayMode: 'message_admins',
        pages: [{ kind: 'facebook', url: 'https://f.example', channelAccountId: 77 }],
      }),
    ).toEqual(['pages.0.channelAccountId:choice'])
    expect(() => partners.update(999, { name: 'X', relayMode: 'message_admins' })).toThrow(
      NotFoundError,
    )
    expect(partners.list()).toHaveLength(2)
  })

  it('keeps a partner admin seat when the admin is merged into a duplicate', () => {
    const a = contacts.create({ name: 'Lotti', phones: ['347 555 0000'] }).contact
    const b = contacts.create({ name: 'Prof.ssa Lotti', email: 'lotti@example.org' }).contact
    const enriques = partners.list().find((p) => p.name === 'Istituto Enriques')
    partners.update(enriques?.id ?? 0, {
      name: 'Istituto Enriques',
      relayMode: 'message_admins',
      adminContactIds: [b.id],
    })
    contacts.update(a.id, {
      name: 'Prof.ssa Lotti',
      phones: ['347 555 0000'],
      email: 'lotti@example.org',
    })
    expect(partners.get(enriques?.id ?? 0)?.admins.map((x) => x.contactId)).toEqual([a.id])
  })
})
