import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createSmtpAdapter } from '../../../src/main/core/channels/adapters/smtp'
import { createDispatcher, type Dispatcher } from '../../../src/main/core/outbox/dispatcher'
import { startFakeSmtp, type FakeSmtpServer } from '../../fakes/smtp-server'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  outboxRows,
  stateCounts,
  withConcurrencyProbe,
  type Workspace,
} from './support'

/**
 * An alert e-mailed through the outbox over a pool of connections to a real
 * SMTP server: every family gets it once, every outbox row keeps its own
 * result, a dropped connection leaves only its own message uncertain, and the
 * pool's sockets are closed when the account changes or sending stops.
 */

let ws: Workspace | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
})

const emails = (count: number) =>
  Array.from({ length: count }, (_, i) => `famiglia${String(i).padStart(3, '0')}@example.it`)

async function emailing(
  recipients: number,
  settings: Record<string, unknown>,
  arrange: (smtp: FakeSmtpServer) => void = () => undefined,
) {
  ws = openWorkspace()
  const w = ws
  const smtp = await startFakeSmtp()
  cleanups.push(() => smtp.close())
  arrange(smtp)
  const accountSettings = {
    host: smtp.host,
    port: smtp.port,
    security: 'none',
    fromAddress: 'allerte@empolese.example.it',
    ...settings,
  }
  const accountId = addAccount(w, 'email_smtp', 'Posta PC', accountSettings)
  const built: ChannelAdapter[] = []
  const adapterFor = () => {
    const adapter = withConcurrencyProbe(
      createSmtpAdapter({ accountId, name: 'Posta PC', settings: accountSettings, secrets: {} }),
    )
    built.push(adapter)
    return adapter
  }
  const dispatcher = createDispatcher({ db: w.db, adapterFor, now: w.clock.now })
  cleanups.push(() => dispatcher.stop())
  const alerts = alertsService(w, listsResolver({ 1: { email: emails(recipients) } }))
  const alert = alerts.createDraft(
    draftInput({ targets: { accountIds: [accountId], listIds: [1] } }),
    'Maria',
  )
  alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
  return { w, smtp, accountId, alert, dispatcher, built }
}

/** Ticks until nothing is left to send, moving the clock a second each time. */
async function drain(w: Workspace, dispatcher: Dispatcher, alertId: number): Promise<number> {
  let ticks = 0
  for (; ticks < 1_000; ticks++) {
    const open = stateCounts(w.db, alertId)
    if ((open.queued ?? 0) + (open.sending ?? 0) === 0) break
    await dispatcher.tick()
    w.clock.advance(1_000)
  }
  return ticks
}

async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  return check()
}

describe('an alert e-mailed over a pool of SMTP connections', () => {
  it('reaches 200 families once each, every row with the Message-ID its family received', async () => {
    const { w, smtp, alert, dispatcher, built } = await emailing(200, {
      ratePerSecond: 1000,
      maxConnections: 5,
      maxMessages: 20,
    })
    await drain(w, dispatcher, alert.id)

    expect(stateCounts(w.db, alert.id)).toEqual({ sent: 200 })
    expect(smtp.messages).toHaveLength(200)
    const received = new Map(smtp.messages.map((m) => [m.to[0], m.messageId]))
    expect(received.size).toBe(200)
    for (const row of outboxRows(w.db, alert.id)) {
      expect(row.provider_id).toBe(received.get(row.address))
      expect(row.attempts).toBe(1)
    }
    // Five messages in flight at once, over five connections renewed every 20 messages.
    expect((built[0] as ChannelAdapter & { peak: number }).peak).toBe(5)
    expect(smtp.peakConnections()).toBeGreaterThan(1)
    expect(smtp.peakConnections()).toBeLessThanOrEqual(5)
    expect(Math.max(...smtp.connections.map((c) => c.messages))).toBeLessThanOrEqual(20)
  })

  it('never sends more at once than the account’s rate allows', async () => {
    const { w, smtp, alert, dispatcher } = await emailing(30, {
      ratePerSecond: 3,
      maxConnections: 5,
    })
    // A frozen clock: only the bucket's tokens can leave.
    await dispatcher.tick()
    await dispatcher.tick()
    expect(smtp.messages).toHaveLength(3)
    w.clock.advance(1_000)
    await dispatcher.tick()
    expect(smtp.messages).toHaveLength(6)
    expect(stateCounts(w.db, alert.id)).toEqual({ sent: 6, queued: 24 })
  })

  it('leaves uncertain only the message whose connection dropped after DATA, and never resends it', async () => {
    const { w, smtp, alert, dispatcher } = await emailing(
      40,
      { ratePerSecond: 1000, maxConnections: 5 },
      (server) => server.dropAfterData('famiglia017@example.it'),
    )
    await drain(w, dispatcher, alert.id)
    // Later passes, an hour on: the uncertain row waits for the operator.
    for (let i = 0; i < 5; i++) {
      w.clock.advance(15 * 60_000)
      await dispatcher.tick()
    }

    expect(stateCounts(w.db, alert.id)).toEqual({ sent: 39, uncertain: 1 })
    const uncertain = outboxRows(w.db, alert.id).filter((r) => r.state === 'uncertain')
    expect(uncertain).toMatchObject([
      { address: 'famiglia017@example.it', last_error_code: 'network', attempts: 1 },
    ])
    expect(uncertain[0]?.last_error).toContain('potrebbe')
    // The server did get it, once: resending on our own would have sent it twice.
    expect(smtp.messages.filter((m) => m.to[0] === 'famiglia017@example.it')).toHaveLength(1)
    expect(smtp.messages).toHaveLength(40)
  })

  it('closes the pool’s sockets when the account changes, and again when sending stops', async () => {
    const { w, smtp, accountId, alert, dispatcher, built } = await emailing(60, {
      ratePerSecond: 1000,
      maxConnections: 4,
    })
    await dispatcher.tick()
    await dispatcher.tick()
    expect(smtp.openConnections()).toBeGreaterThan(0)

    // The account was edited: its adapter is dropped and its pool closed.
    dispatcher.invalidate(accountId)
    expect(await until(() => smtp.openConnections() === 0)).toBe(true)

    // The next pass builds a new adapter with a pool of its own; stopping closes it.
    await drain(w, dispatcher, alert.id)
    expect(built).toHaveLength(2)
    expect(stateCounts(w.db, alert.id)).toEqual({ sent: 60 })
    expect(smtp.openConnections()).toBeGreaterThan(0)
    await dispatcher.stop()
    expect(await until(() => smtp.openConnections() === 0)).toBe(true)
    expect(smtp.messages).toHaveLength(60)
  })
})
