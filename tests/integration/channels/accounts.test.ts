import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/transport/dispatch'
import { workspaceFile } from '../../../src/main/core/workspace'
import { createAuditLog } from '../../../src/main/core/audit/audit-log'
import type { Envelope } from '../../../src/shared/contract'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let call: (name: string, payload: unknown) => Promise<Envelope>
beforeEach(() => {
  t = createTestCore()
  const dispatch = createDispatch(t.core.handlers)
  call = (name, payload) => dispatch(name, payload, { operator: 'm.rossi' })
})
afterEach(() => t.dispose())

const gateway = {
  kind: 'sms_gateway',
  name: 'SMS scuole',
  settings: {
    baseUrl: 'https://gw.example.it/API/v1.0/REST/',
    username: 'circondario',
    sender: 'ProtCiv',
    messageType: 'GP',
  },
  secrets: { password: 'p4ss-segreta' },
}

async function create(payload: unknown = gateway) {
  const r = await call('channels:create', payload)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value as {
    id: number
    secrets: Record<string, boolean>
    settings: Record<string, unknown>
  }
}

describe('channel accounts', () => {
  it('are created with their secret sealed: the view says only that it is set', async () => {
    const created = await create()
    expect(created.secrets).toEqual({ password: true })
    expect(JSON.stringify(created)).not.toContain('p4ss-segreta')
    const list = await call('channels:list', {})
    expect(list.ok && JSON.stringify(list.value)).not.toContain('p4ss-segreta')
    // Not in clear in the database file either.
    t.core.db.pragma('wal_checkpoint(TRUNCATE)')
    const raw = new Database(workspaceFile(t.dataDir), { readonly: true })
    const blobs = raw.prepare('SELECT ciphertext FROM channel_secrets').all() as {
      ciphertext: Buffer
    }[]
    raw.close()
    expect(blobs).toHaveLength(1)
    expect(blobs[0]!.ciphertext.toString('latin1')).not.toContain('p4ss-segreta')
  })

  it('keep defaults and coerce form values (numbers typed with a comma)', async () => {
    const created = await create({
      ...gateway,
      settings: { ...gateway.settings, pricePerSegment: '0,045' },
    })
    expect(created.settings.pricePerSegment).toBe(0.045)
  })

  it('refuse bad settings with field-level issues and save nothing', async () => {
    const r = await call('channels:create', {
      ...gateway,
      settings: { ...gateway.settings, baseUrl: 'gateway senza schema', username: '' },
      secrets: {},
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('invalid_input')
    expect(r.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'settings.baseUrl', code: 'url' },
        { path: 'settings.username', code: 'required' },
        { path: 'secrets.password', code: 'required' },
      ]),
    )
    const list = await call('channels:list', {})
    expect(list.ok && list.value).toEqual([])
  })

  it('refuse a wrong port, a malformed host and an unknown setting', async () => {
    const r = await call('channels:create', {
      kind: 'email_smtp',
      name: 'Posta',
      settings: {
        host: 'smtp://mail.example.it',
        port: 70000,
        security: 'starttls',
        fromAddress: 'allerte@',
        bogus: 1,
      },
    })
    expect(r.ok).toBe(false)
    if (r.ok) return
    const codes = Object.fromEntries(r.error.issues!.map((i) => [i.path, i.code]))
    expect(codes['settings.host']).toBe('host')
    expect(codes['settings.port']).toBe('port')
    expect(codes['settings.fromAddress']).toBe('email')
    expect(codes['settings']).toBe('invalid')
  })

  it('refuse a duplicate name, whatever its case', async () => {
    await create()
    const r = await call('channels:create', { ...gateway, name: 'sms SCUOLE' })
    expect(!r.ok && r.error.issues).toEqual([{ path: 'name', code: 'duplicate' }])
  })

  it('keep a secret on edit unless a new one is given, and clear it with null', async () => {
    const { id } = await create()
    const renamed = await call('channels:update', {
      id,
      name: 'SMS famiglie',
      secrets: { password: '' },
    })
    expect(renamed.ok && renamed.value).toMatchObject({
      name: 'SMS famiglie',
      secrets: { password: true },
    })
    const cleared = await call('channels:update', { id, secrets: { password: null } })
    // The password is required: clearing it is refused, the stored one stays.
    expect(!cleared.ok && cleared.error.issues).toEqual([
      { path: 'secrets.password', code: 'required' },
    ])
    const smtp = await create({
      kind: 'email_smtp',
      name: 'Posta',
      settings: {
        host: 'mail.example.it',
        port: 587,
        security: 'starttls',
        fromAddress: 'allerte@example.it',
      },
      secrets: { password: 'x' },
    })
    const optionalCleared = await call('channels:update', {
      id: smtp.id,
      secrets: { password: null },
    })
    expect(optionalCleared.ok && optionalCleared.value).toMatchObject({
      secrets: { password: false },
    })
  })

  it('refuse a secret the kind does not declare', async () => {
    const r = await call('channels:create', { ...gateway, secrets: { password: 'x', apiKey: 'y' } })
    expect(!r.ok && r.error.issues).toEqual([{ path: 'secrets.apiKey', code: 'invalid' }])
  })

  it('delete an account and its secrets, and say when it does not exist', async () => {
    const { id } = await create()
    expect((await call('channels:delete', { id })).ok).toBe(true)
    expect(t.core.db.prepare('SELECT count(*) AS n FROM channel_secrets').get()).toEqual({ n: 0 })
    const again = await call('channels:delete', { id })
    expect(!again.ok && again.error.code).toBe('not_found')
  })

  it('write every change to the audit log with the operator, never a secret', async () => {
    const { id } = await create()
    await call('channels:update', { id, secrets: { password: 'nuova-password' } })
    await call('channels:delete', { id })
    const entries = createAuditLog(t.core.db, () => new Date()).recent()
    expect(entries.map((e) => e.action)).toEqual([
      'channels.delete',
      'channels.update',
      'channels.create',
    ])
    expect(entries.every((e) => e.actor === 'm.rossi')).toBe(true)
    expect(JSON.stringify(entries)).not.toMatch(/p4ss-segreta|nuova-password/)
    expect(entries[1]!.detail).toMatchObject({ secretsChanged: ['password'] })
  })

  it('announce every change as an event', async () => {
    const seen: unknown[] = []
    t.core.events.on('channels:changed', (p) => seen.push(p))
    const { id } = await create()
    await call('channels:update', { id, enabled: false })
    await call('channels:delete', { id })
    expect(seen).toEqual([
      { id, change: 'created' },
      { id, change: 'updated' },
      { id, change: 'deleted' },
    ])
  })
})
