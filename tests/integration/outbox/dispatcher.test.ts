import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelKind } from '../../../src/shared/channels/kinds'
import type { ChannelAdapter } from '../../../src/main/core/channels/adapter'
import {
  createSimulatedAdapter,
  type SimulatedChannelAdapter,
  type SimulatedOptions,
} from '../../../src/main/core/channels/adapters/simulated'
import { createDispatcher, type DispatcherOptions } from '../../../src/main/core/outbox/dispatcher'
import type { RowChange } from '../../../src/main/core/outbox/types'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  outboxRows,
  phones,
  stateCounts,
  withConcurrencyProbe,
  type Workspace,
} from './support'

let ws: Workspace
afterEach(() => ws?.dispose())

const FAST = { ratePerSecond: 1000, burst: 1000, concurrency: 10 }

/** One account of `kind` with `recipients` people (or its page), a confirmed alert, and its twin. */
function sending(
  kind: ChannelKind,
  recipients: number,
  twinOptions: SimulatedOptions = {},
  dispatcherOptions: Partial<DispatcherOptions> = {},
) {
  ws ??= openWorkspace()
  const accountId = addAccount(ws, kind, `Account ${kind} ${Math.random()}`, {
    baseUrl: 'https://x.example',
  })
  const changes: RowChange[][] = []
  const alertChanges: string[] = []
  const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(recipients) } }))
  const alert = alerts.createDraft(
    draftInput({ targets: { accountIds: [accountId], listIds: [1] } }),
    'Maria',
  )
  const twin = createSimulatedAdapter(kind, { now: ws.clock.now, ...twinOptions })
  const dispatcher = createDispatcher({
    db: ws.db,
    adapterFor: () => twin,
    now: ws.clock.now,
    audit: ws.audit,
    onChange: (c) => changes.push(c),
    onAlertChange: (c) => alertChanges.push(`${c.alertId}:${c.status}`),
    ...dispatcherOptions,
  })
  alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
  return { accountId, alerts, alert, twin, dispatcher, changes, alertChanges }
}

describe('pacing', () => {
  it('never sends more than the token bucket holds, counted on a frozen clock', async () => {
    ws = openWorkspace()
    const { twin, dispatcher } = sending('sms_gateway', 20, {
      limits: { ratePerSecond: 2, burst: 3, concurrency: 10 },
    })
    expect((await dispatcher.tick()).sent).toBe(3)
    expect((await dispatcher.tick()).sent).toBe(0)
    ws.clock.advance(499)
    expect((await dispatcher.tick()).sent).toBe(0)
    ws.clock.advance(1)
    expect((await dispatcher.tick()).sent).toBe(1)
    ws.clock.advance(1_000)
    expect((await dispatcher.tick()).sent).toBe(2)
    // A long pause refills only up to the burst.
    ws.clock.advance(60_000)
    expect((await dispatcher.tick()).sent).toBe(3)
    expect(twin.sent).toHaveLength(9)
  })

  it('keeps at most `concurrency` requests in flight per account', async () => {
    ws = openWorkspace()
    const account = addAccount(ws, 'sms_gateway', 'Gateway')
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(40) } }))
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [account], listIds: [1] } }),
      'Maria',
    )
    const twin = withConcurrencyProbe(
      createSimulatedAdapter('sms_gateway', { latencyMs: 2, limits: { ...FAST, concurrency: 3 } }),
    )
    const dispatcher = createDispatcher({ db: ws.db, adapterFor: () => twin, now: ws.clock.now })
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
    // Three slots, and four rows per slot claimed ahead: the gateway drops duplicates, so that is safe.
    expect((await dispatcher.tick()).sent).toBe(15)
    let total = 15
    while (total < 40) total += (await dispatcher.tick()).sent
    expect(twin.peak).toBe(3)
    expect(stateCounts(ws.db, alert.id)).toEqual({ sent: 40 })
  })

  it('claims nothing ahead where a resend could text someone twice', async () => {
    ws = openWorkspace()
    const { twin, dispatcher } = sending('sms_twilio', 10, { limits: { ...FAST, concurrency: 2 } })
    expect(twin.idempotent).toBe(false)
    expect(await dispatcher.tick()).toMatchObject({ claimed: 2, sent: 2 })
  })
})

describe('retries and failures', () => {
  it('honours a 429 Retry-After: the row and the account wait at least that long', async () => {
    ws = openWorkspace()
    const { twin, dispatcher, alert } = sending('sms_gateway', 4, { limits: FAST })
    const t0 = ws.clock.now()
    twin.setFault({ kind: 'rate_limited', until: t0 + 30_000 })
    expect((await dispatcher.tick()).retried).toBe(4)
    for (const row of outboxRows(ws.db, alert.id)) {
      expect(row).toMatchObject({ state: 'queued', attempts: 1, last_error_code: 'rate_limited' })
      expect(row.next_attempt_at).toBeGreaterThanOrEqual(t0 + 30_000)
    }
    ws.clock.advance(29_999)
    expect((await dispatcher.tick()).claimed).toBe(0)
    ws.clock.advance(1)
    expect((await dispatcher.tick()).sent).toBe(4)
    expect(twin.attempts).toBe(8)
    expect(
      outboxRows(ws.db, alert.id).every((r) => r.attempts === 2 && r.last_error_code === null),
    ).toBe(true)
  })

  it('gives rows claimed ahead back unsent when the provider asks to wait', async () => {
    ws = openWorkspace()
    const { twin, dispatcher, alert } = sending('sms_gateway', 3, {
      limits: { ratePerSecond: 1000, burst: 1000, concurrency: 1 },
    })
    const t0 = ws.clock.now()
    twin.setFault({ kind: 'rate_limited', until: t0 + 5_000 })
    expect(await dispatcher.tick()).toMatchObject({ claimed: 3, retried: 1 })
    expect(twin.attempts).toBe(1)
    const [first, second, third] = outboxRows(ws.db, alert.id)
    expect(first).toMatchObject({ state: 'queued', attempts: 1, last_error_code: 'rate_limited' })
    // Claimed ahead, never sent: back in the queue without an attempt counted.
    expect(second).toMatchObject({ state: 'queued', attempts: 0, last_error_code: null })
    expect(second!.next_attempt_at).toBeGreaterThanOrEqual(t0 + 5_000)
    expect(third).toMatchObject({ state: 'queued', attempts: 0 })
    ws.clock.advance(5_000)
    let sent = 0
    for (let i = 0; i < 5 && sent < 3; i++) sent += (await dispatcher.tick()).sent
    expect(sent).toBe(3)
    expect(twin.sent).toHaveLength(3)
  })

  it('backs off exponentially with jitter when the provider gives no hint', async () => {
    ws = openWorkspace()
    const { twin, dispatcher, alert } = sending(
      'sms_gateway',
      1,
      { limits: FAST },
      {
        random: () => 0.5,
        backoff: { baseMs: 1_000, capMs: 3_000 },
        maxAttempts: 10,
      },
    )
    twin.setFault({ kind: 'down', until: Infinity })
    const delays: number[] = []
    for (let i = 0; i < 4; i++) {
      const before = ws.clock.now()
      await dispatcher.tick()
      const row = outboxRows(ws.db, alert.id)[0]!
      delays.push(row.next_attempt_at - before)
      ws.clock.set(row.next_attempt_at)
    }
    // Half of 1 s, 2 s, then the 3 s cap.
    expect(delays).toEqual([500, 1_000, 1_500, 1_500])
  })

  it('gives up after the maximum attempts, keeping the last reason for the operator', async () => {
    ws = openWorkspace()
    const { twin, dispatcher, alert, alerts, alertChanges } = sending(
      'sms_gateway',
      2,
      { limits: FAST },
      { maxAttempts: 3 },
    )
    twin.setFault({ kind: 'down', until: Infinity })
    for (let i = 0; i < 5; i++) {
      await dispatcher.tick()
      ws.clock.advance(10 * 60_000)
    }
    expect(twin.attempts).toBe(6)
    for (const row of outboxRows(ws.db, alert.id)) {
      expect(row).toMatchObject({
        state: 'failed',
        attempts: 3,
        last_error_code: 'provider_unavailable',
        last_error: 'Simulazione: servizio non raggiungibile',
      })
    }
    expect(alerts.get(alert.id).status).toBe('done')
    expect(alertChanges).toEqual([`${alert.id}:sending`, `${alert.id}:done`])
  })

  it('stops at a permanent failure with the provider reason, and sends again when the operator retries', async () => {
    ws = openWorkspace()
    const { twin, dispatcher, alert, alerts } = sending('sms_gateway', 3, { limits: FAST })
    twin.setFault({ kind: 'reject', until: Infinity })
    expect((await dispatcher.tick()).failed).toBe(3)
    expect(twin.attempts).toBe(3)
    expect(alerts.progress(alert.id)).toMatchObject({
      status: 'done',
      totals: { failed: 3, total: 3 },
      failures: [
        { code: 'rejected', reason: 'Simulazione: il provider rifiuta i messaggi', count: 3 },
      ],
    })

    twin.setFault(null)
    const { requeued, alert: reopened } = alerts.retryFailed(alert.id, 'Luca', 'credito ricaricato')
    expect(requeued).toBe(3)
    expect(reopened.status).toBe('sending')
    expect(ws.audit.recent(1)[0]).toMatchObject({
      actor: 'Luca',
      action: 'alerts.retry',
      detail: { rows: 3, reason: 'credito ricaricato' },
    })
    expect((await dispatcher.tick()).sent).toBe(3)
    expect(alerts.get(alert.id).status).toBe('done')
    expect(alerts.retryFailed(alert.id, 'Luca').requeued).toBe(0)
  })

  it('pauses an account that cannot be used, saying why, and sends once it can', async () => {
    ws = openWorkspace()
    let locked = true
    const reports: string[] = []
    const { twin, dispatcher, alert, accountId } = sending(
      'sms_gateway',
      2,
      { limits: FAST },
      {
        laneRetryMs: 15_000,
        adapterFor: () => {
          if (locked) throw new Error('Credenziale mancante: password')
          return twin
        },
        onAccountResult: (_id, r) => reports.push(r.ok ? 'ok' : r.reason),
      },
    )
    expect(await dispatcher.tick()).toMatchObject({ claimed: 0, failed: 0 })
    expect(stateCounts(ws.db, alert.id)).toEqual({ queued: 2 })
    expect(dispatcher.headroom()).toEqual([
      expect.objectContaining({
        accountId,
        unavailable: 'Canale in pausa, non utilizzabile: Credenziale mancante: password',
      }),
    ])
    // Said once, not on every pass.
    await dispatcher.tick()
    expect(reports).toEqual(['Canale in pausa, non utilizzabile: Credenziale mancante: password'])

    locked = false
    ws.clock.advance(14_999)
    expect((await dispatcher.tick()).sent).toBe(0)
    ws.clock.advance(1)
    expect((await dispatcher.tick()).sent).toBe(2)
    expect(dispatcher.headroom()[0]).not.toHaveProperty('unavailable')
  })

  it('fails the rows of a paused account only once their retry budget is spent', async () => {
    ws = openWorkspace()
    const { dispatcher, alert, alerts } = sending(
      'sms_gateway',
      2,
      {},
      {
        retryBudgetFor: () => 3_600_000,
        recoveryIntervalMs: 60_000,
        adapterFor: () => {
          throw new Error('Account disattivato')
        },
      },
    )
    // draftInput's alert is valid for hours: the budget is the longer of the two.
    const validTo = Date.parse(alerts.get(alert.id).validTo)
    await dispatcher.tick()
    ws.clock.set(validTo - 1)
    expect((await dispatcher.tick()).failed).toBe(0)
    ws.clock.set(Math.max(validTo, ws.clock.now()) + 60_000)
    expect((await dispatcher.tick()).failed).toBe(2)
    expect(alerts.progress(alert.id).failures).toEqual([
      expect.objectContaining({
        code: 'account_unavailable',
        reason: 'Canale in pausa, non utilizzabile: Account disattivato',
        count: 2,
      }),
    ])
    expect(alerts.get(alert.id).status).toBe('done')
  })
})

describe('stopping the dispatcher', () => {
  it('with abort, cuts the request in flight short and gives rows claimed ahead back unsent', async () => {
    ws = openWorkspace()
    const { twin, dispatcher, alert } = sending('sms_gateway', 3, {
      latencyMs: 60_000,
      limits: { ratePerSecond: 1000, burst: 1000, concurrency: 1 },
    })
    dispatcher.start()
    for (let i = 0; i < 200 && twin.attempts === 0; i++) await new Promise((r) => setTimeout(r, 5))
    expect(twin.attempts).toBe(1)
    await dispatcher.stop({ abort: true })
    const rows = outboxRows(ws.db, alert.id)
    expect(rows.map((r) => [r.state, r.attempts])).toEqual([
      ['queued', 1],
      ['queued', 0],
      ['queued', 0],
    ])
    expect(rows[0]?.last_error_code).toBe('aborted')
    expect(twin.sent).toHaveLength(0)
  })
})

describe('after a crash', () => {
  /** What a process killed mid-send leaves behind: rows leased to it, no results. */
  function crashWhileSending(accountId: number, count: number, leaseMs = 60_000) {
    const claimed = ws.db
      .prepare<
        [number, number, number, number, number],
        { id: number; idempotency_key: string; address: string }
      >(
        `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ?
         WHERE id IN (SELECT id FROM outbox WHERE account_id = ? AND state = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?)
         RETURNING id, idempotency_key, address`,
      )
      .all(ws.clock.now() + leaseMs, ws.clock.now(), accountId, ws.clock.now(), count)
    return claimed
  }

  it('resends with the same key where the provider drops duplicates, and nobody gets two messages', async () => {
    ws = openWorkspace()
    const { accountId, twin, alert, alerts } = sending('sms_gateway', 5, { limits: FAST })
    const claimed = crashWhileSending(accountId, 3)
    // Two of them reached the provider before the power cut.
    for (const row of claimed.slice(0, 2)) {
      await twin.send({
        idempotencyKey: row.idempotency_key,
        destination: { type: 'person', address: row.address },
        text: 'x',
      })
    }
    const changes: RowChange[][] = []
    const restarted = createDispatcher({
      db: ws.db,
      adapterFor: () => twin,
      now: ws.clock.now,
      audit: ws.audit,
      onChange: (c) => changes.push(c),
    })
    // Leases still valid: nothing is taken from a process that may be alive.
    const early = await restarted.tick()
    expect(early).toMatchObject({ requeued: 0, uncertain: 0, sent: 2 })

    ws.clock.advance(60_001)
    const after = await restarted.tick()
    expect(after).toMatchObject({ requeued: 3, uncertain: 0, sent: 3 })
    // The two sent a minute earlier have their receipts by now.
    expect(stateCounts(ws.db, alert.id)).toEqual({ delivered: 2, sent: 3 })
    const perAddress = new Map<string, number>()
    for (const s of twin.sent) {
      const address = s.message.destination.type === 'person' ? s.message.destination.address : ''
      perAddress.set(address, (perAddress.get(address) ?? 0) + 1)
    }
    expect([...perAddress.values()]).toEqual([1, 1, 1, 1, 1])
    expect(
      changes.flat().filter((c) => c.state === 'queued' && c.lastErrorCode === 'interrupted'),
    ).toHaveLength(3)
    expect(ws.audit.recent(5).find((e) => e.action === 'outbox.recover')).toMatchObject({
      actor: 'dispatcher',
      subject: `alert:${alert.id}`,
      detail: { requeued: 3, uncertain: 0 },
    })
    expect(alerts.get(alert.id).status).toBe('done')
  })

  it('marks rows uncertain where a resend could text someone twice; the operator resends or marks them sent', async () => {
    ws = openWorkspace()
    const { accountId, twin, alert, alerts } = sending('sms_twilio', 3, { limits: FAST })
    expect(twin.idempotent).toBe(false)
    crashWhileSending(accountId, 2)
    ws.clock.advance(60_001)
    const restarted = createDispatcher({
      db: ws.db,
      adapterFor: () => twin,
      now: ws.clock.now,
      audit: ws.audit,
    })
    expect(await restarted.tick()).toMatchObject({ uncertain: 2, requeued: 0, sent: 1 })
    expect(twin.attempts).toBe(1)
    const uncertain = outboxRows(ws.db, alert.id).filter((r) => r.state === 'uncertain')
    expect(uncertain).toHaveLength(2)
    expect(uncertain[0]?.last_error).toMatch(/non si sa se il messaggio sia partito/)
    expect(alerts.get(alert.id).status).toBe('done')

    const resent = alerts.resolveUncertain(uncertain[0]!.id, 'resend', 'Luca')
    expect(resent.state).toBe('queued')
    expect(alerts.get(alert.id).status).toBe('sending')
    const marked = alerts.resolveUncertain(uncertain[1]!.id, 'mark_sent', 'Luca')
    expect(marked.state).toBe('sent')
    expect(await restarted.tick()).toMatchObject({ sent: 1 })
    expect(twin.attempts).toBe(2)
    expect(stateCounts(ws.db, alert.id)).toEqual({ sent: 3 })
    expect(alerts.get(alert.id).status).toBe('done')
    expect(ws.audit.recent(10).map((e) => e.action)).toEqual(
      expect.arrayContaining(['outbox.resend', 'outbox.mark_sent', 'outbox.recover']),
    )
    expect(() => alerts.resolveUncertain(uncertain[1]!.id, 'resend', 'Luca')).toThrow(
      /not uncertain/,
    )
  })

  it('does not resend a row interrupted while its alert was being stopped', async () => {
    ws = openWorkspace()
    const { accountId, twin, alert, alerts } = sending('sms_gateway', 4, { limits: FAST })
    crashWhileSending(accountId, 1)
    alerts.stop(alert.id, 'Luca')
    ws.clock.advance(60_001)
    const restarted = createDispatcher({ db: ws.db, adapterFor: () => twin, now: ws.clock.now })
    expect(await restarted.tick()).toMatchObject({ uncertain: 1, requeued: 0, claimed: 0 })
    expect(stateCounts(ws.db, alert.id)).toEqual({ cancelled: 3, uncertain: 1 })
  })
})

describe('receipts and events', () => {
  it('polls receipts until the provider says delivered, and tells the UI every change', async () => {
    ws = openWorkspace()
    const { dispatcher, alert, changes, alertChanges } = sending(
      'sms_gateway',
      2,
      { limits: FAST, receiptDelayMs: 25_000 },
      { receipts: { firstPollMs: 10_000, minIntervalMs: 10_000 } },
    )
    await dispatcher.tick()
    expect(stateCounts(ws.db, alert.id)).toEqual({ sent: 2 })
    expect(alertChanges).toEqual([`${alert.id}:sending`, `${alert.id}:done`])

    ws.clock.advance(10_000)
    expect((await dispatcher.tick()).delivered).toBe(0)
    ws.clock.advance(10_000)
    expect((await dispatcher.tick()).delivered).toBe(0)
    ws.clock.advance(10_000)
    expect((await dispatcher.tick()).delivered).toBe(2)
    expect(stateCounts(ws.db, alert.id)).toEqual({ delivered: 2 })

    const states = changes.flat().map((c) => c.state)
    expect(states).toEqual(['sending', 'sending', 'sent', 'sent', 'delivered', 'delivered'])
    // Batched: one call per pass, not one per row.
    expect(changes.map((batch) => batch.length)).toEqual([2, 2, 2])
    expect(changes[1]?.[0]).toMatchObject({
      alertId: alert.id,
      state: 'sent',
      attempts: 1,
      providerId: expect.any(String),
    })
  })
})

describe('follow-ups on pages', () => {
  it('threads an update under the original post and sends CAP references, as an exercise in a drill', async () => {
    ws = openWorkspace()
    const page = addAccount(ws, 'mastodon', 'Mastodon', { baseUrl: 'https://m.example' })
    const alerts = alertsService(ws, listsResolver({}), { mode: 'drill' })
    const twin: SimulatedChannelAdapter = createSimulatedAdapter('mastodon', {
      now: ws.clock.now,
      limits: FAST,
    })
    const dispatcher = createDispatcher({
      db: ws.db,
      adapterFor: (): ChannelAdapter => twin,
      now: ws.clock.now,
    })
    const original = alerts.createDraft(
      draftInput({
        texts: { mastodon: 'ESERCITAZIONE - Allerta neve' },
        targets: { accountIds: [page] },
      }),
      'Maria',
    )
    alerts.confirm(original.id, 'Maria', { cancelWindowSeconds: 0 })
    await dispatcher.tick()
    const update = alerts.createFollowUp(
      original.id,
      {
        msgType: 'Update',
        changes: { texts: { mastodon: 'ESERCITAZIONE - Allerta neve: aggiornamento' } },
      },
      'Maria',
    )
    alerts.confirm(update.id, 'Maria', { cancelWindowSeconds: 0 })
    await dispatcher.tick()

    const [first, second] = twin.sent
    expect(second?.message.text).toBe('ESERCITAZIONE - Allerta neve: aggiornamento')
    expect(second?.message.inReplyTo).toBe(first?.providerId)
    expect(second?.message.alert).toMatchObject({
      msgType: 'Update',
      status: 'Exercise',
      identifier: update.identifier,
      areas: [
        { name: 'Empoli', geocode: { valueName: 'ISTAT', value: '048014' } },
        { name: 'Vinci', geocode: { valueName: 'ISTAT', value: '048050' } },
      ],
    })
    expect(second?.message.alert?.references).toEqual([
      expect.stringMatching(
        new RegExp(`^vedetta,${original.identifier},2026-02-07T13:00:00\\+01:00$`),
      ),
    ])
  })
})
