import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { ChannelAccountView, Envelope } from '../../../src/shared/contract'
import { startFakeSmsGateway, type FakeSmsGateway } from '../../fakes/sms-gateway-fake'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let gateway: FakeSmsGateway
let call: (name: string, payload: unknown) => Promise<Envelope>
beforeEach(async () => {
  t = createTestCore()
  gateway = await startFakeSmsGateway()
  const dispatch = createDispatch(t.core.handlers)
  call = (name, payload) => dispatch(name, payload, { operator: 'ict' })
})
afterEach(async () => {
  t.dispose()
  await gateway.close()
})

async function account(password: string) {
  const r = await call('channels:create', {
    kind: 'sms_gateway',
    name: 'SMS scuole',
    settings: {
      baseUrl: gateway.baseUrl,
      username: gateway.username,
      sender: 'ProtCiv',
      messageType: 'GP',
    },
    secrets: { password },
  })
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return (r.value as ChannelAccountView).id
}

describe('checking a channel account with its provider', () => {
  it('logs in to the gateway, sends nothing, and records the check as health', async () => {
    const id = await account(gateway.password)
    const r = await call('channels:test', { id })
    expect(r).toMatchObject({ ok: true, value: { ok: true } })
    expect(gateway.logins).toBe(1)
    expect(gateway.orders).toEqual([])
    const view = (await call('channels:get', { id })) as { ok: true; value: ChannelAccountView }
    expect(view.value.health).toMatchObject({
      lastCheckOk: true,
      // The room words it in the operator's language from the code and its parameters.
      lastCheckCode: 'sms_gateway_login',
      lastCheckParams: { user: gateway.username },
    })
  })

  it('reports wrong credentials in words, without echoing the secret', async () => {
    const id = await account('password-sbagliata')
    const r = (await call('channels:test', { id })) as {
      ok: true
      value: { ok: boolean; message: string }
    }
    expect(r.value.ok).toBe(false)
    expect(r.value.message.length).toBeGreaterThan(5)
    expect(r.value.message).not.toContain('password-sbagliata')
    const view = (await call('channels:get', { id })) as { ok: true; value: ChannelAccountView }
    expect(view.value.health).toMatchObject({
      lastCheckOk: false,
      lastCheckMessage: r.value.message,
      lastCheckCode: 'auth',
      lastCheckParams: { provider: 'Gateway SMS' },
    })
    expect(JSON.stringify(view.value.health)).not.toContain('password-sbagliata')
  })

  it('reports an unreachable provider', async () => {
    const id = await account(gateway.password)
    await gateway.close()
    const r = (await call('channels:test', { id })) as {
      ok: true
      value: { ok: boolean; code?: string }
    }
    expect(r.value.ok).toBe(false)
    expect(r.value.code).toBe('network')
  })

  it('keeps a check stored before codes existed readable: its sentence, no code', async () => {
    const id = await account(gateway.password)
    t.core.db
      .prepare(
        `INSERT INTO channel_health (account_id, last_check_at, last_check_ok, last_check_message)
         VALUES (?, '2026-11-01T10:00:00Z', 1, 'Accesso riuscito')`,
      )
      .run(id)
    const view = (await call('channels:get', { id })) as { ok: true; value: ChannelAccountView }
    expect(view.value.health).toMatchObject({
      lastCheckMessage: 'Accesso riuscito',
      lastCheckCode: null,
      lastCheckParams: null,
    })
  })
})
