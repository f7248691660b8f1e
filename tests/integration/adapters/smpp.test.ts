import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import net from 'node:net'
import type {
  AdapterConfig,
  ChannelAdapter,
  OutgoingMessage,
} from '../../../src/main/core/channels/adapter'
import { AdapterConfigError } from '../../../src/main/core/channels/adapters/config'
import { createSmppAdapter, type SmppTuning } from '../../../src/main/core/channels/adapters/smpp'
import { startSmppPeer, type SmppPeer, type SmppPeerOptions } from '../../fakes/smpp-peer'

const FAST: Partial<SmppTuning> = {
  enquireLinkMs: 60_000,
  responseTimeoutMs: 2_000,
  connectTimeoutMs: 2_000,
  reconnectDelayMs: 20,
  maxReconnectDelayMs: 100,
  partRetryDelaysMs: [10, 10],
}

let peer: SmppPeer
const adapters: ChannelAdapter[] = []

async function withPeer(options: Partial<SmppPeerOptions> = {}): Promise<void> {
  peer = await startSmppPeer({ systemId: 'vedetta', password: 'secret', ...options })
}

function adapter(
  overrides: {
    password?: string
    port?: number
    tuning?: Partial<SmppTuning>
    sourceAddr?: string
  } = {},
): ChannelAdapter {
  const config: AdapterConfig = {
    accountId: 1,
    name: 'SMSC di prova',
    settings: {
      host: '127.0.0.1',
      port: overrides.port ?? peer.port,
      tls: false,
      systemId: 'vedetta',
      sourceAddr: overrides.sourceAddr ?? 'ProtCiv',
      ratePerSecond: 10,
    },
    secrets: { password: overrides.password ?? 'secret' },
  }
  const created = createSmppAdapter(config, { ...FAST, ...overrides.tuning })
  adapters.push(created)
  return created
}

function sms(text: string, address = '+393331234567'): OutgoingMessage {
  return { idempotencyKey: `k-${Math.random()}`, destination: { type: 'person', address }, text }
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = await read()
    if (done(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('condition not reached')
}

beforeEach(async () => {
  await withPeer({ receiptDelayMs: 20 })
})

afterEach(async () => {
  for (const a of adapters.splice(0)) await a.close?.()
  await peer.close()
})

describe('SMPP adapter: encoding on the wire', () => {
  it('sends a GSM-7 text with data_coding 0x00, the E.164 number and a receipt request', async () => {
    const a = adapter()
    const text = 'ALLERTA ARANCIONE per neve a Empoli: perché però città già più. Costo 5€ {info}'
    const outcome = await a.send(sms(text))
    expect(outcome).toMatchObject({ status: 'sent', segments: 1 })
    expect(peer.submits).toHaveLength(1)
    const submit = peer.submits[0]!
    expect(submit.dataCoding).toBe(0x00)
    expect(submit.text).toBe(text)
    expect(submit.destination).toBe('393331234567')
    expect(submit.destTon).toBe(1)
    expect(submit.registeredDelivery).toBe(1)
    expect(submit.source).toBe('ProtCiv')
    expect(submit.sourceTon).toBe(5)
    if (outcome.status === 'sent') expect(outcome.providerId).toBe(submit.messageId)
  })

  it('switches to UCS-2 (0x08) for characters outside GSM 03.38, emoji included', async () => {
    const a = adapter({ sourceAddr: '+393400000000' })
    const text = 'È allerta rossa 🌧️: restate in casa, evitate i sottopassi ó allagati'
    const outcome = await a.send(sms(text))
    expect(outcome).toMatchObject({ status: 'sent', segments: 1 })
    expect(peer.submits[0]?.dataCoding).toBe(0x08)
    expect(peer.messages[0]?.text).toBe(text)
    expect(peer.submits[0]?.source).toBe('393400000000')
    expect(peer.submits[0]?.sourceTon).toBe(1)
  })

  it('splits a 400-character text into UDH parts the peer reassembles exactly', async () => {
    const a = adapter()
    const base =
      'Allerta meteo: chiuse le scuole di Empoli, Vinci, Fucecchio e Certaldo. Seguite gli aggiornamenti. '
    const text = base.repeat(5).slice(0, 400)
    expect(text).toHaveLength(400)
    const outcome = await a.send(sms(text))
    expect(outcome).toMatchObject({ status: 'sent', segments: 3 })
    expect(peer.submits).toHaveLength(3)
    for (const submit of peer.submits) {
      expect(submit.esmClass & 0x40).toBe(0x40)
      expect(submit.dataCoding).toBe(0x00)
      expect(submit.concat?.total).toBe(3)
    }
    expect(new Set(peer.submits.map((s) => s.concat?.reference)).size).toBe(1)
    expect(peer.messages).toHaveLength(1)
    expect(peer.messages[0]?.text).toBe(text)
    if (outcome.status === 'sent')
      expect(outcome.partIds).toEqual(peer.messages[0]?.messageIds.slice(1))
  })

  it('never cuts an emoji across UCS-2 parts', async () => {
    const a = adapter()
    const text = `${'À'.repeat(66)}🌊🌊 Ùltimo aggiornamento: livello dell'Arno in calo 🙂`
    const outcome = await a.send(sms(text))
    expect(outcome).toMatchObject({ status: 'sent', segments: 2 })
    expect(peer.submits.every((s) => s.dataCoding === 0x08)).toBe(true)
    expect(peer.messages[0]?.text).toBe(text)
  })

  it('uses a new concatenation reference for each long message', async () => {
    const a = adapter()
    await a.send(sms('x'.repeat(200)))
    await a.send(sms('y'.repeat(200)))
    expect(peer.messages.map((m) => m.text)).toEqual(['x'.repeat(200), 'y'.repeat(200)])
    expect(peer.submits[0]?.concat?.reference).not.toBe(peer.submits[2]?.concat?.reference)
  })
})

describe('SMPP adapter: refusals before the network', () => {
  it('refuses a malformed number, a page destination and an empty text without submitting', async () => {
    const a = adapter()
    expect(await a.send(sms('ciao', '12ab'))).toMatchObject({
      status: 'failed',
      retry: 'permanent',
      code: 'invalid_number',
    })
    expect(
      await a.send({ idempotencyKey: 'p', destination: { type: 'page' }, text: 'ciao' }),
    ).toMatchObject({ status: 'failed', retry: 'permanent', code: 'invalid_destination' })
    expect(await a.send(sms('   '))).toMatchObject({
      status: 'failed',
      retry: 'permanent',
      code: 'empty_message',
    })
    expect(peer.submits).toHaveLength(0)
  })

  it('refuses a text longer than 255 parts', async () => {
    const a = adapter()
    const outcome = await a.send(sms('a'.repeat(153 * 255 + 1)))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'permanent', code: 'too_long' })
    expect(peer.submits).toHaveLength(0)
  })
})

describe('SMPP adapter: SMSC answers', () => {
  it('reports throttling (ESME_RTHROTTLED) and a full queue (ESME_RMSGQFUL) as transient', async () => {
    const a = adapter()
    peer.throttleNext(1)
    const throttled = await a.send(sms('uno'))
    expect(throttled).toMatchObject({ status: 'failed', retry: 'transient', code: 'rate_limited' })
    if (throttled.status === 'failed')
      expect(throttled.reason).toMatch(/rallentare.*ESME_RTHROTTLED/)
    peer.throttleNext(1, 0x14)
    expect(await a.send(sms('due'))).toMatchObject({
      status: 'failed',
      retry: 'transient',
      code: 'queue_full',
    })
    expect(await a.send(sms('tre'))).toMatchObject({ status: 'sent' })
  })

  it('retries a throttled later part in place so the message still arrives whole', async () => {
    const a = adapter()
    const text = 'z'.repeat(300)
    // First part accepted, then the SMSC throttles once: the second part must be resent, not the whole text.
    peer.throttleNext(1, 0x58, 1)
    const outcome = await a.send(sms(text))
    expect(outcome).toMatchObject({ status: 'sent', segments: 2 })
    expect(peer.messages.map((m) => m.text)).toEqual([text])
    expect(peer.submits.filter((s) => s.status === 0x58)).toHaveLength(1)
  })

  it('reports a later part the SMSC keeps refusing as a transient partial send', async () => {
    const a = adapter()
    peer.throttleNext(10, 0x58, 1)
    const outcome = await a.send(sms('w'.repeat(300)))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'transient', code: 'partial' })
    if (outcome.status === 'failed') expect(outcome.reason).toContain('Inviate solo 1 parti su 2')
    expect(peer.messages).toHaveLength(0)
  })

  it('reports an invalid destination (ESME_RINVDSTADR) as permanent, in Italian', async () => {
    const a = adapter()
    peer.rejectDestination('393339999999', 0x0b)
    const outcome = await a.send(sms('ciao', '+39 333 999 9999'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'permanent', code: 'invalid_number' })
    if (outcome.status === 'failed')
      expect(outcome.reason).toContain('Numero di destinazione non valido')
  })

  it('treats an unknown vendor status as transient and names its code', async () => {
    const a = adapter()
    peer.rejectDestination('393330000001', 0x401)
    const outcome = await a.send(sms('ciao', '+393330000001'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'transient' })
    if (outcome.status === 'failed') expect(outcome.reason).toContain('0x00000401')
  })

  it('leaves a submit_sm that never got its answer uncertain: the SMSC may have taken it', async () => {
    const a = adapter({ tuning: { responseTimeoutMs: 300 } })
    expect(await a.send(sms('prima'))).toMatchObject({ status: 'sent' })
    peer.goSilent(true)
    const outcome = await a.send(sms('seconda'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'uncertain', code: 'timeout' })
    if (outcome.status === 'failed') expect(outcome.reason).toContain('potrebbe')
    peer.goSilent(false)
    expect(await a.send(sms('terza'))).toMatchObject({ status: 'sent' })
  })
})

describe('SMPP adapter: delivery receipts', () => {
  it('turns a DELIVRD receipt into delivered for that message id', async () => {
    const a = adapter()
    const outcome = await a.send(sms('Consegnato?'))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('not sent')
    const status = await eventually(
      () => a.fetchStatus!(outcome.providerId!),
      (s) => s.status === 'delivered',
    )
    expect(status.status).toBe('delivered')
  })

  it('reports UNDELIV as failed with a reason for the operator', async () => {
    await peer.close()
    await withPeer({ receiptDelayMs: 10, receiptStat: () => 'UNDELIV' })
    const a = adapter()
    const outcome = await a.send(sms('Telefono spento'))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('not sent')
    const status = await eventually(
      () => a.fetchStatus!(outcome.providerId!),
      (s) => s.status !== 'sent',
    )
    expect(status).toMatchObject({ status: 'failed', code: 'undeliv' })
    if (status.status === 'failed') expect(status.reason).toContain('non consegnabile')
  })

  it('combines the receipts of every part of a long message', async () => {
    const a = adapter()
    const outcome = await a.send(sms('p'.repeat(320)))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('not sent')
    expect(outcome.segments).toBe(3)
    const status = await eventually(
      () => a.fetchStatus!(outcome.providerId!),
      (s) => s.status === 'delivered',
    )
    expect(status.status).toBe('delivered')
  })

  it('matches receipts whose id is written in decimal while submit_sm answered in hex', async () => {
    await peer.close()
    await withPeer({ receiptDelayMs: 10, decimalReceiptIds: true })
    const a = adapter()
    const outcome = await a.send(sms('Quirk'))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('not sent')
    expect(outcome.providerId).toMatch(/[a-f]/)
    const status = await eventually(
      () => a.fetchStatus!(outcome.providerId!),
      (s) => s.status === 'delivered',
    )
    expect(status.status).toBe('delivered')
  })

  it('says sent before any receipt and unknown for ids it never saw', async () => {
    await peer.close()
    await withPeer({})
    const a = adapter()
    const outcome = await a.send(sms('Senza ricevuta'))
    if (outcome.status !== 'sent' || !outcome.providerId) throw new Error('not sent')
    expect((await a.fetchStatus!(outcome.providerId)).status).toBe('sent')
    expect((await a.fetchStatus!('ffffff')).status).toBe('unknown')
  })
})

describe('SMPP adapter: session', () => {
  it('testConnection binds as transceiver and says so', async () => {
    const a = adapter()
    const check = await a.testConnection()
    expect(check.ok).toBe(true)
    expect(peer.binds).toEqual([{ systemId: 'vedetta', accepted: true }])
  })

  it('says clearly when the password is wrong, and a send fails as permanent auth', async () => {
    const a = adapter({ password: 'sbagliata' })
    const check = await a.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('password errata')
    expect(check.message).toContain('ESME_RINVPASWD')
    expect(check.message).not.toContain('sbagliata')
    expect(await a.send(sms('ciao'))).toMatchObject({
      status: 'failed',
      retry: 'permanent',
      code: 'auth',
    })
    expect(peer.submits).toHaveLength(0)
  })

  it('reports an unreachable SMSC as transient', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer()
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const a = adapter({ port: closedPort })
    const outcome = await a.send(sms('ciao'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'transient', code: 'network' })
    if (outcome.status === 'failed') expect(outcome.reason).toContain('connessione rifiutata')
    const check = await a.testConnection()
    expect(check.ok).toBe(false)
  })

  it('binds again after the connection drops', async () => {
    const a = adapter()
    expect(await a.send(sms('prima'))).toMatchObject({ status: 'sent' })
    peer.dropSessions()
    await peer.waitFor(() => peer.binds.length >= 2)
    expect(await a.send(sms('dopo'))).toMatchObject({ status: 'sent' })
    expect(peer.messages.map((m) => m.text)).toEqual(['prima', 'dopo'])
  })

  it('keeps the session alive with enquire_link', async () => {
    const a = adapter({ tuning: { enquireLinkMs: 20 } })
    await a.testConnection()
    await peer.waitFor(() => peer.enquireLinks >= 3)
    expect(peer.binds).toHaveLength(1)
  })

  it('unbinds on close and refuses to send afterwards', async () => {
    const a = adapter()
    await a.send(sms('ultimo'))
    await a.close!()
    expect(peer.unbinds).toBe(1)
    expect(await a.send(sms('dopo la chiusura'))).toMatchObject({
      status: 'failed',
      retry: 'transient',
    })
  })

  it('cannot be built for an account whose password was never entered', () => {
    expect(() =>
      createSmppAdapter({
        accountId: 1,
        name: 'SMSC',
        settings: { host: '127.0.0.1', port: peer.port, systemId: 'vedetta', sourceAddr: 'PC' },
        secrets: {},
      }),
    ).toThrow(AdapterConfigError)
  })

  it('declares itself not idempotent, with one send at a time', () => {
    const a = adapter()
    expect(a.idempotent).toBe(false)
    expect(a.simulated).toBe(false)
    expect(a.limits()).toMatchObject({ ratePerSecond: 10, concurrency: 1 })
  })
})
