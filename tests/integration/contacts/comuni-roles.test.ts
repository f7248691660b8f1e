import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import {
  createComuniRepository,
  readComuniFile,
  type ComuniRepository,
} from '../../../src/main/core/comuni/comuni-repository'
import {
  createRolesRepository,
  type RolesRepository,
} from '../../../src/main/core/contacts/roles-repository'
import {
  createContactsService,
  type ContactsService,
} from '../../../src/main/core/contacts/contacts-service'
import { InUseError, InputError, NotFoundError } from '../../../src/main/core/contacts/errors'
import { tempWorkspace, type TempWorkspace } from './workspace'

describe('comuni and roles stay editable', () => {
  let ws: TempWorkspace
  let comuni: ComuniRepository
  let roles: RolesRepository
  let contacts: ContactsService
  beforeEach(() => {
    ws = tempWorkspace()
    comuni = createComuniRepository(ws.db)
    roles = createRolesRepository(ws.db)
    contacts = createContactsService(ws.db)
  })
  afterEach(() => ws.cleanup())

  it('seeds from resources/comuni.json, the file another union can replace', () => {
    const seed = readComuniFile(resolve(__dirname, '../../../resources/comuni.json')) as {
      comuni: unknown[]
    }
    expect(seed.comuni).toHaveLength(11)
    expect(comuni.list().map((c) => c.name)).toContain('Montelupo Fiorentino')
  })

  it('adds, renames and deletes comuni; renaming keeps search right', () => {
    const added = comuni.create({
      name: 'San Miniato',
      istatCode: '050032',
      province: 'PI',
      alertZones: ['Valdarno Inf.'],
    })
    expect(comuni.get(added.id)).toEqual({
      id: added.id,
      name: 'San Miniato',
      istatCode: '050032',
      province: 'PI',
      alertZones: ['Valdarno Inf.'],
    })
    const c = contacts.create({
      name: 'Lia Brogi',
      phones: ['347 000 1234'],
      comuneId: added.id,
    }).contact
    expect(contacts.search({ query: 'miniato' }).items.map((i) => i.id)).toEqual([c.id])
    comuni.update(added.id, { name: 'San Miniato Basso', istatCode: '050032', province: 'PI' })
    // An update that does not name the alert zones keeps them.
    expect(comuni.get(added.id)?.alertZones).toEqual(['Valdarno Inf.'])
    expect(contacts.search({ query: 'basso' }).items.map((i) => i.id)).toEqual([c.id])
    expect(() => comuni.remove(added.id)).toThrow(InUseError)
    contacts.update(c.id, { name: 'Lia Brogi', phones: ['347 000 1234'] })
    expect(comuni.remove(added.id)).toBe(true)
    expect(contacts.search({ query: 'basso' }).items).toEqual([])
  })

  it('refuses duplicate names or ISTAT codes and malformed codes', () => {
    expect(() => comuni.create({ name: 'EMPOLI' })).toThrow(InputError)
    expect(() => comuni.create({ name: 'Empoli bis', istatCode: '048014' })).toThrow(InputError)
    expect(() => comuni.create({ name: 'Nowhere', istatCode: '12' })).toThrow(InputError)
    expect(() => comuni.update(4040, { name: 'X' })).toThrow(NotFoundError)
  })

  it('loads another union’s file: same ISTAT code updates, new ones are added, nothing is deleted', () => {
    const result = comuni.importFile({
      comuni: [
        { name: 'Empoli (FI)', istatCode: '048014', province: 'FI' },
        { name: 'Lamporecchio', istatCode: '047005', province: 'PT' },
      ],
    })
    expect(result).toEqual({ created: 1, updated: 1 })
    expect(comuni.list()).toHaveLength(12)
    expect(comuni.list().map((c) => c.name)).toContain('Empoli (FI)')
    expect(() => comuni.importFile({ comuni: [{ name: '' }] })).toThrow(InputError)
    expect(() =>
      comuni.importFile(
        JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')),
      ),
    ).toThrow(InputError)
  })

  it('edits the role vocabulary; contacts follow a rename and lose a deleted role', () => {
    const role = roles.create({ name: 'Autista scuolabus', labelEn: 'school bus driver' })
    expect(() => roles.create({ name: 'autista  SCUOLABUS' })).toThrow(InputError)
    const c = contacts.create({
      name: 'Ugo Parri',
      phones: ['347 999 0000'],
      roles: ['autista scuolabus'],
    }).contact
    roles.update(role.id, { name: 'Autista', labelEn: 'driver' })
    expect(contacts.get(c.id)?.roles).toEqual(['Autista'])
    expect(contacts.search({ query: 'autista' }).items.map((i) => i.id)).toEqual([c.id])
    expect(roles.remove(role.id)).toBe(true)
    expect(contacts.get(c.id)?.roles).toEqual([])
    expect(contacts.search({ query: 'autista' }).items).toEqual([])
  })
})
