import { afterEach, describe, expect, it } from 'vitest'
import type {
  ChannelAdapter,
  OutgoingMessage,
  SendOutcome,
} from '../../../src/main/core/channels/adapter'
import { createSmtpAdapter } from '../../../src/main/core/channels/adapters/smtp'
import { startFakeSmtp, type FakeSmtpServer } from '../../fakes/smtp-server'

/**
 * E-mail over a pool of SMTP connections against a real SMTP server: many
 * messages in flight at once, each with its own answer, and a connection that
 * drops failing only the message it carried.
 */

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function server(): Promise<FakeSmtpServer> {
  const started = await startFakeSmtp()
  cleanups.push(() => started.close())
  return started
}

function adapter(smtp: FakeSmtpServer, settings: Record<string, unknown> = {}): ChannelAdapter {
  const created = createSmtpAdapter(
    {
      accountId: 3,
      name: 'Posta PC',
      settings: {
        host: smtp.host,
        port: smtp.port,
        security: 'none',
        fromAddress: 'allerte@empolese.example.it',
        ...settings,
      },
      secrets: {},
    },
    { socketTimeoutMs: 5_000 },
  )
  cleanups.push(async () => created.close?.())
  return created
}

const mail = (i: number): OutgoingMessage => ({
  idempotencyKey: `row-${i}`,
  destination: { type: 'person', address: `famiglia${i}@example.it`, name: `Famiglia ${i}` },
  subject: 'Allerta arancione neve',
  text: `Domani scuole chiuse. Messaggio ${i}.`,
})

/** Sends like the dispatcher's lane: at most `concurrency` messages in flight. */
async function sendAll(a: ChannelAdapter, messages: OutgoingMessage[]): Promise<SendOutcome[]> {
  const results: SendOutcome[] = new Array<SendOutcome>(messages.length)
  let next = 0
  const worker = async () => {
    while (next < messages.length) {
      const i = next++
      results[i] = await a.send(messages[i]!)
    }
  }
  await Promise.all(Array.from({ length: a.limits().concurrency }, worker))
  return results
}

async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  return check()
}

describe('SMTP pool', () => {
  it('carries messages over several connections, each renewed after maxMessages, each message answered on its own', async () => {
    const smtp = await server()
    const a = adapter(smtp, { maxConnections: 4, maxMessages: 10 })
    const messages = Array.from({ length: 40 }, (_, i) => mail(i))
    const outcomes = await sendAll(a, messages)

    expect(outcomes.every((o) => o.status === 'sent')).toBe(true)
    expect(smtp.messages).toHaveLength(40)
    // Each outcome names the message its own recipient received.
    const received = new Map(smtp.messages.map((m) => [m.to[0], m.messageId]))
    messages.forEach((m, i) => {
      const address = m.destination.type === 'person' ? m.destination.address : ''
      expect(outcomes[i]).toEqual({ status: 'sent', providerId: received.get(address) })
    })
    expect(new Set(smtp.messages.map((m) => m.to[0])).size).toBe(40)
    // The pool was used, within its bounds.
    expect(smtp.peakConnections()).toBeGreaterThan(1)
    expect(smtp.peakConnections()).toBeLessThanOrEqual(4)
    expect(Math.max(...smtp.connections.map((c) => c.messages))).toBeLessThanOrEqual(10)
    expect(smtp.connections.length).toBeGreaterThanOrEqual(4)
  })

  it('fails only the message whose connection dropped after DATA, as maybe delivered, and never resends it', async () => {
    const smtp = await server()
    smtp.dropAfterData('famiglia3@example.it')
    const a = adapter(smtp, { maxConnections: 5 })
    const outcomes = await sendAll(
      a,
      Array.from({ length: 12 }, (_, i) => mail(i)),
    )

    const failed = outcomes.flatMap((o, i) => (o.status === 'failed' ? [{ i, o }] : []))
    expect(failed).toHaveLength(1)
    expect(failed[0]).toMatchObject({ i: 3, o: { retry: 'uncertain', code: 'network' } })
    if (failed[0]?.o.status === 'failed') expect(failed[0].o.reason).toContain('potrebbe')
    expect(outcomes.filter((o) => o.status === 'sent')).toHaveLength(11)
    // Give a resend by the pool itself every chance to happen: there is none.
    await new Promise((r) => setTimeout(r, 300))
    const toDropped = smtp.messages.filter((m) => m.to[0] === 'famiglia3@example.it')
    expect(toDropped).toHaveLength(1)
    expect(smtp.messages).toHaveLength(12)
  })

  it('says a message still queued in the pool when it closes was not sent', async () => {
    const smtp = await server()
    const a = adapter(smtp, { maxConnections: 1 })
    // More messages than connections: the pool queues the rest, as it would behind a slow server.
    const pending = Array.from({ length: 4 }, (_, i) => a.send(mail(i)))
    await until(() => smtp.connections.length > 0)
    await a.close?.()
    const outcomes = await Promise.all(pending)
    const sent = outcomes.filter((o) => o.status === 'sent').length
    const notSent = outcomes.filter(
      (o) => o.status === 'failed' && o.retry === 'transient' && o.code === 'pool_closed',
    ).length
    expect(sent + notSent).toBe(4)
    expect(notSent).toBeGreaterThan(0)
    // "Not sent" is true: the server has exactly the messages answered as sent.
    expect(smtp.messages).toHaveLength(sent)
    expect(await a.send(mail(9))).toMatchObject({ retry: 'transient', code: 'closed' })
  })

  it('closes every pooled socket when it is closed', async () => {
    const smtp = await server()
    const a = adapter(smtp, { maxConnections: 3 })
    await sendAll(
      a,
      Array.from({ length: 9 }, (_, i) => mail(i)),
    )
    expect(smtp.openConnections()).toBeGreaterThan(0)
    await a.close?.()
    expect(await until(() => smtp.openConnections() === 0)).toBe(true)
  })

  it('paces and fans out as the account says, with defaults a relay accepts', async () => {
    const smtp = await server()
    expect(adapter(smtp).limits()).toMatchObject({ ratePerSecond: 10, concurrency: 5 })
    expect(
      adapter(smtp, { ratePerSecond: 40, maxConnections: 8, maxMessages: 50 }).limits(),
    ).toMatchObject({ ratePerSecond: 40, burst: 40, concurrency: 8 })
    // Settings from a form arrive as text.
    expect(adapter(smtp, { maxConnections: '2' }).limits().concurrency).toBe(2)
  })
})
