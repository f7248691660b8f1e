import { afterEach, describe, expect, it } from 'vitest'
import net from 'node:net'
import type {
  AdapterConfig,
  ChannelAdapter,
  OutgoingMessage,
} from '../../../src/main/core/channels/adapter'
import { AdapterConfigError } from '../../../src/main/core/channels/adapters/config'
import { createSmtpAdapter, type SmtpTuning } from '../../../src/main/core/channels/adapters/smtp'
import { startFakeSmtp, type FakeSmtpServer } from '../../fakes/smtp-server'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function server(auth?: { username: string; password: string }): Promise<FakeSmtpServer> {
  const started = await startFakeSmtp(auth ? { auth } : {})
  cleanups.push(() => started.close())
  return started
}

function adapter(
  port: number,
  settings: Record<string, unknown> = {},
  password?: string,
  tuning: Partial<SmtpTuning> = {},
): ChannelAdapter {
  const config: AdapterConfig = {
    accountId: 2,
    name: 'Posta PC',
    settings: {
      host: '127.0.0.1',
      port,
      security: 'none',
      fromAddress: 'allerte@empolese.example.it',
      fromName: 'Protezione civile Empolese Valdelsa',
      ...settings,
    },
    secrets: password === undefined ? {} : { password },
  }
  const created = createSmtpAdapter(config, tuning)
  cleanups.push(async () => created.close?.())
  return created
}

function mail(address: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    idempotencyKey: `row-${address}`,
    destination: { type: 'person', address, name: 'Maria Rossi' },
    subject: 'Allerta arancione: neve & ghiaccio 🌨️',
    text: 'Domani scuole chiuse a Empoli.\nEvitate gli spostamenti <non necessari>.',
    ...extra,
  }
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer()
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo
      probe.close(() => resolve(port))
    })
  })
}

describe('SMTP adapter: delivery to the server', () => {
  it('sends one message to one person with subject, text and HTML, authenticated', async () => {
    const smtp = await server({ username: 'pc', password: 'giusta' })
    const a = adapter(smtp.port, { username: 'pc' }, 'giusta')
    const outcome = await a.send(
      mail('maria@example.it', { html: '<p>Domani <strong>scuole chiuse</strong> a Empoli.</p>' }),
    )
    expect(outcome.status).toBe('sent')
    expect(smtp.messages).toHaveLength(1)
    const received = smtp.messages[0]!
    expect(received.to).toEqual(['maria@example.it'])
    expect(received.from).toBe('allerte@empolese.example.it')
    expect(received.subject).toBe('Allerta arancione: neve & ghiaccio 🌨️')
    expect(received.text).toBe(
      'Domani scuole chiuse a Empoli.\nEvitate gli spostamenti <non necessari>.',
    )
    expect(received.html).toContain('<strong>scuole chiuse</strong>')
    expect(received.headers.to).toContain('Maria Rossi')
    expect(received.headers.from).toContain('Protezione civile Empolese Valdelsa')
    if (outcome.status === 'sent') expect(outcome.providerId).toBe(received.messageId)
    expect(smtp.authAttempts).toEqual([{ username: 'pc', ok: true }])
  })

  it('sends without AUTH when no username is configured', async () => {
    const smtp = await server()
    const a = adapter(smtp.port)
    expect((await a.send(mail('luca@example.it'))).status).toBe('sent')
    expect(smtp.messages.map((m) => m.to)).toEqual([['luca@example.it']])
  })

  it('gives a resend of the same outbox row the same Message-ID, and another row another one', async () => {
    const smtp = await server()
    const a = adapter(smtp.port)
    const first = await a.send(mail('anna@example.it'))
    const again = await a.send(mail('anna@example.it'))
    const other = await a.send(mail('anna@example.it', { idempotencyKey: 'row-2' }))
    expect(smtp.messages).toHaveLength(3)
    const ids = smtp.messages.map((m) => m.messageId)
    expect(ids[0]).toBe(ids[1])
    expect(ids[2]).not.toBe(ids[0])
    expect(first).toEqual(again)
    expect(other).not.toEqual(first)
  })
})

describe('SMTP adapter: refusals', () => {
  it('reports a 550 recipient rejection as permanent with the server reply', async () => {
    const smtp = await server()
    smtp.rejectPermanently('nessuno@example.it')
    const outcome = await adapter(smtp.port).send(mail('nessuno@example.it'))
    expect(outcome).toMatchObject({
      status: 'failed',
      retry: 'permanent',
      code: 'rejected_recipient',
    })
    if (outcome.status === 'failed') {
      expect(outcome.reason).toContain('Destinatario rifiutato')
      expect(outcome.reason).toContain('550 5.1.1')
    }
    expect(smtp.messages).toHaveLength(0)
  })

  it('reports a 451 deferral as transient', async () => {
    const smtp = await server()
    smtp.rejectTemporarily('piena@example.it')
    const outcome = await adapter(smtp.port).send(mail('piena@example.it'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'transient', code: 'deferred' })
    if (outcome.status === 'failed') expect(outcome.reason).toContain('451 4.3.0')
  })

  it('reports wrong credentials as permanent auth, in send and in testConnection', async () => {
    const smtp = await server({ username: 'pc', password: 'giusta' })
    const a = adapter(smtp.port, { username: 'pc' }, 'sbagliata')
    const outcome = await a.send(mail('maria@example.it'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'permanent', code: 'auth' })
    const check = await a.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('Autenticazione rifiutata')
    expect(check.message).not.toContain('sbagliata')
    expect(smtp.messages).toHaveLength(0)
  })

  it('refuses a malformed address or a page destination before connecting', async () => {
    const smtp = await server()
    const a = adapter(smtp.port)
    expect(await a.send(mail('non-un-indirizzo'))).toMatchObject({
      retry: 'permanent',
      code: 'invalid_address',
    })
    expect(await a.send(mail('a@b.it', { destination: { type: 'page' } }))).toMatchObject({
      retry: 'permanent',
      code: 'invalid_destination',
    })
    expect(smtp.messages).toHaveLength(0)
  })

  it('refuses to send in clear text when STARTTLS is required but not offered', async () => {
    const smtp = await server()
    const a = adapter(smtp.port, { security: 'starttls' })
    expect(await a.send(mail('maria@example.it'))).toMatchObject({
      retry: 'permanent',
      code: 'tls',
    })
    const check = await a.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('STARTTLS')
    expect(smtp.messages).toHaveLength(0)
  })
})

describe('SMTP adapter: server trouble', () => {
  it('reports a server that is down as transient', async () => {
    const a = adapter(await closedPort())
    const outcome = await a.send(mail('maria@example.it'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'transient', code: 'network' })
    const check = await a.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('non raggiungibile')
  })

  it('reports a server that never greets as a transient timeout', async () => {
    const sockets = new Set<net.Socket>()
    const silent = net.createServer((socket) => sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    })
    const { port } = silent.address() as net.AddressInfo
    const a = adapter(port, {}, undefined, {
      greetingTimeoutMs: 100,
      connectionTimeoutMs: 100,
      socketTimeoutMs: 200,
    })
    expect(await a.send(mail('maria@example.it'))).toMatchObject({
      status: 'failed',
      retry: 'transient',
      code: 'timeout',
    })
  })

  it('reports a server that took the message and never answered the final dot as maybe delivered', async () => {
    const smtp = await server()
    smtp.swallowAfterData('maria@example.it')
    const a = adapter(smtp.port, {}, undefined, { socketTimeoutMs: 300 })
    const outcome = await a.send(mail('maria@example.it'))
    expect(outcome).toMatchObject({ status: 'failed', retry: 'uncertain', code: 'timeout' })
    if (outcome.status === 'failed') expect(outcome.reason).toContain('potrebbe')
    // It did arrive: resending on our own would have given Maria two copies.
    expect(smtp.messages.map((m) => m.to)).toEqual([['maria@example.it']])
  })

  it('testConnection says the server is reachable', async () => {
    const smtp = await server({ username: 'pc', password: 'giusta' })
    const check = await adapter(smtp.port, { username: 'pc' }, 'giusta').testConnection()
    expect(check).toMatchObject({ ok: true })
    expect(check.message).toContain(`127.0.0.1:${smtp.port}`)
  })

  it('cannot be built with a username but no password', () => {
    expect(() =>
      createSmtpAdapter({
        accountId: 2,
        name: 'Posta',
        settings: {
          host: '127.0.0.1',
          port: 25,
          security: 'none',
          username: 'pc',
          fromAddress: 'a@b.it',
        },
        secrets: {},
      }),
    ).toThrow(AdapterConfigError)
  })

  it('declares itself a real, non-idempotent channel', async () => {
    const a = adapter(1)
    expect(a.kind).toBe('email_smtp')
    expect(a.idempotent).toBe(false)
    expect(a.simulated).toBe(false)
  })
})
