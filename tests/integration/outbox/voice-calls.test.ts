import { afterEach, describe, expect, it } from 'vitest'
import { createTwilioVoiceAdapter } from '../../../src/main/core/channels/adapters/voice-twilio'
import { createDispatcher, type Dispatcher } from '../../../src/main/core/outbox/dispatcher'
import { startFakeTwilioVoice, type FakeTwilioVoice } from '../../fakes/twilio-voice-fake'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  phones,
  stateCounts,
  type Workspace,
} from './support'

/**
 * Voice alerts through the dispatcher and the Twilio Calls API on loopback,
 * on a hand-moved clock: a person who does not answer is called again after
 * the account's interval until its attempts are spent, every try is kept with
 * its time, Stop cancels the calls still to come, and the calls ringing at
 * once never exceed the account's cap.
 */

let ws: Workspace | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
})

const RECEIPTS = { firstPollMs: 5_000, minIntervalMs: 5_000, maxIntervalMs: 10_000 }

async function voiceRoom(settings: Record<string, unknown> = {}, fakeCap = 100) {
  ws = openWorkspace()
  const w = ws
  const fake = await startFakeTwilioVoice({ now: w.clock.now, maxConcurrentCalls: fakeCap })
  cleanups.push(() => fake.close())
  const all = {
    baseUrl: fake.url,
    accountSid: fake.accountSid,
    from: '+390571000001',
    language: 'it-IT',
    attempts: 3,
    attemptIntervalMinutes: 10,
    ratePerSecond: 10,
    maxConcurrentCalls: 10,
    quietHours: '',
    ...settings,
  }
  const accountId = addAccount(w, 'voice_twilio', 'Chiamate Twilio', all)
  const blind: { accountId: number; reason: string | null }[] = []
  const adapter = createTwilioVoiceAdapter(
    {
      accountId,
      name: 'Chiamate Twilio',
      settings: all,
      secrets: { authToken: fake.authToken },
      now: w.clock.now,
    },
    { timeoutMs: 5_000 },
  )
  const dispatcher = createDispatcher({
    db: w.db,
    adapterFor: () => adapter,
    now: w.clock.now,
    receipts: RECEIPTS,
    onCallStatusBlind: (id, reason) => blind.push({ accountId: id, reason }),
  })
  cleanups.push(() => dispatcher.stop())
  const list: { voice: string[] } = { voice: [] }
  const alerts = alertsService(w, listsResolver({ 1: list }))
  const alertTo = (
    to: string[],
    level: 'giallo' | 'arancione' = 'arancione',
    options: { callsAtNight?: boolean } = {},
  ) => {
    list.voice = to
    const alert = alerts.createDraft(
      draftInput({ level, targets: { accountIds: [accountId], listIds: [1] } }),
      'Maria',
    )
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0, ...options })
    dispatcher.wake()
    return alert.id
  }
  return { w, fake, dispatcher, alerts, alertTo, blind, accountId }
}

/** Ticks `seconds` of the test clock, `step` seconds apart, watching the calls at once. */
async function run(
  w: Workspace,
  dispatcher: Dispatcher,
  fake: FakeTwilioVoice,
  seconds: number,
  step = 5,
): Promise<{ peak: number }> {
  let peak = 0
  for (let s = 0; s < seconds; s += step) {
    await dispatcher.tick()
    peak = Math.max(peak, fake.inProgress())
    w.clock.advance(step * 1_000)
  }
  return { peak }
}

const callsTo = (fake: FakeTwilioVoice, to: string) => fake.calls.filter((c) => c.to === to)

const rowOf = (w: Workspace, address: string) =>
  w.db
    .prepare<
      [string],
      {
        state: string
        call_attempt: number
        call_outcome: string | null
        call_log: string | null
        last_error_code: string | null
        last_error: string | null
      }
    >(
      `SELECT state, call_attempt, call_outcome, call_log, last_error_code, last_error
       FROM outbox WHERE address = ?`,
    )
    .get(address)!

describe('voice calls through the dispatcher', () => {
  it('calls again after the interval until someone answers, and gives up after three tries with the time of each', async () => {
    const { w, fake, dispatcher, alertTo } = await voiceRoom()
    const [busyThenAnswers, neverAnswers, answers] = phones(3)
    fake.script(busyThenAnswers!, 'busy')
    fake.script(neverAnswers!, 'no-answer')
    fake.script(answers!, 'answered', 30)
    const alertId = alertTo([busyThenAnswers!, neverAnswers!, answers!])

    await run(w, dispatcher, fake, 60)
    // First round over: one answered, two waiting for their second call.
    expect(rowOf(w, answers!)).toMatchObject({
      state: 'delivered',
      call_attempt: 1,
      call_outcome: 'answered',
    })
    expect(rowOf(w, busyThenAnswers!)).toMatchObject({
      state: 'queued',
      call_attempt: 1,
      call_outcome: 'busy',
      last_error_code: 'call_busy',
    })
    expect(rowOf(w, busyThenAnswers!).last_error).toMatch(
      /^Occupato \(tentativo 1 di 3\): si richiama alle \d\d:\d\d$/,
    )

    fake.script(busyThenAnswers!, 'answered', 30)
    await run(w, dispatcher, fake, 40 * 60)

    expect(stateCounts(w.db, alertId)).toEqual({ delivered: 2, failed: 1 })
    // Never a second call while the first might have been answered: exactly one per try.
    expect(callsTo(fake, answers!)).toHaveLength(1)
    expect(callsTo(fake, busyThenAnswers!)).toHaveLength(2)
    expect(callsTo(fake, neverAnswers!)).toHaveLength(3)
    // Ten minutes between the end of one try and the next call.
    const tries = callsTo(fake, neverAnswers!)
    for (let i = 1; i < tries.length; i++)
      expect(tries[i]!.createdAt - tries[i - 1]!.endedAt!).toBeGreaterThanOrEqual(10 * 60_000)

    const reached = rowOf(w, busyThenAnswers!)
    expect(reached).toMatchObject({ state: 'delivered', call_attempt: 2, call_outcome: 'answered' })
    expect(JSON.parse(reached.call_log!).map((e: { outcome: string }) => e.outcome)).toEqual([
      'busy',
      'answered',
    ])
    const missed = rowOf(w, neverAnswers!)
    expect(missed).toMatchObject({
      state: 'failed',
      call_attempt: 3,
      last_error_code: 'not_reached',
    })
    expect(missed.last_error).toMatch(
      /^Non raggiunto dopo 3 chiamate: \d\d:\d\d non risponde · \d\d:\d\d non risponde · \d\d:\d\d non risponde$/,
    )
    // Rome's wall clock (the test clock starts at 12:00 UTC, 13:00 in Rome in February).
    expect(missed.last_error).toContain('13:0')
  })

  it('tells a machine from a person, and a person who hung up before the end of the message', async () => {
    const { w, fake, dispatcher, alertTo } = await voiceRoom()
    const [machine, hungUp] = phones(2)
    fake.script(machine!, 'machine', 25)
    fake.script(hungUp!, 'answered', 3)
    alertTo([machine!, hungUp!])
    await run(w, dispatcher, fake, 120)
    expect(rowOf(w, machine!)).toMatchObject({ state: 'delivered', call_outcome: 'voicemail' })
    expect(rowOf(w, hungUp!)).toMatchObject({ state: 'delivered', call_outcome: 'interrupted' })
    expect(fake.calls).toHaveLength(2)
  })

  it('Stop cancels the calls still to come', async () => {
    const { w, fake, dispatcher, alerts, alertTo } = await voiceRoom()
    const [busy] = phones(1)
    fake.script(busy!, 'busy')
    const alertId = alertTo([busy!])
    await run(w, dispatcher, fake, 60)
    expect(rowOf(w, busy!).state).toBe('queued') // the second call waits for its interval
    alerts.stop(alertId, 'Maria')
    await run(w, dispatcher, fake, 30 * 60, 30)
    expect(rowOf(w, busy!).state).toBe('cancelled')
    expect(fake.calls).toHaveLength(1)
  })

  it('never has more calls ringing or connected at once than the account allows', async () => {
    // The provider itself would refuse a fourth call (429): the account's cap keeps it from asking.
    const { w, fake, dispatcher, alertTo } = await voiceRoom({ maxConcurrentCalls: 3 }, 3)
    const people = phones(12)
    for (const p of people) fake.script(p, 'answered', 30)
    const alertId = alertTo(people)
    const { peak } = await run(w, dispatcher, fake, 15 * 60)
    expect(stateCounts(w.db, alertId)).toEqual({ delivered: 12 })
    expect(peak).toBeLessThanOrEqual(3)
    expect(peak).toBe(3) // and uses all three
    expect(fake.calls).toHaveLength(12)
    // No call was refused and tried again: one claim each.
    const claims = w.db.prepare('SELECT DISTINCT attempts FROM outbox WHERE alert_id = ?').pluck()
    expect(claims.all(alertId)).toEqual([1])
  })

  it('rings nobody for a yellow alert during the night hours, and calls in the morning; an orange one rings at once', async () => {
    const { w, fake, dispatcher, alertTo } = await voiceRoom({ quietHours: '22:00-07:00' })
    w.clock.set(Date.parse('2026-02-07T01:30:00Z')) // 02:30 in Rome
    const [yellow, orange] = phones(2)
    fake.script(yellow!, 'answered', 30)
    fake.script(orange!, 'answered', 30)
    alertTo([yellow!], 'giallo')
    alertTo([orange!], 'arancione')
    await run(w, dispatcher, fake, 60 * 60, 30)
    expect(callsTo(fake, orange!)).toHaveLength(1)
    expect(callsTo(fake, yellow!)).toHaveLength(0)
    expect(rowOf(w, yellow!).state).toBe('queued')
    w.clock.set(Date.parse('2026-02-07T06:00:00Z')) // 07:00 in Rome
    await run(w, dispatcher, fake, 120)
    expect(callsTo(fake, yellow!)).toHaveLength(1)
    expect(rowOf(w, yellow!).state).toBe('delivered')
    // Placed at 07:00 Rome, not before.
    expect(callsTo(fake, yellow!)[0]!.createdAt).toBeGreaterThanOrEqual(
      Date.parse('2026-02-07T06:00:00Z'),
    )
  })

  it('rings a yellow alert at night at once when the operator said so at confirmation, and journals it', async () => {
    const { w, fake, dispatcher, alertTo } = await voiceRoom({ quietHours: '22:00-07:00' })
    w.clock.set(Date.parse('2026-02-07T01:30:00Z')) // 02:30 in Rome
    const [urgent] = phones(1)
    fake.script(urgent!, 'answered', 30)
    const alertId = alertTo([urgent!], 'giallo', { callsAtNight: true })
    await run(w, dispatcher, fake, 60)
    expect(callsTo(fake, urgent!)).toHaveLength(1)
    const confirmed = w.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'alerts.confirm' AND subject = ?")
      .pluck()
      .get(`alert:${alertId}`) as string
    expect(JSON.parse(confirmed)).toMatchObject({ callsAtNight: true })
  })

  it('gives a call up as "esito sconosciuto" when the provider stops telling its state, freeing its line, never calling again', async () => {
    const { w, fake, dispatcher, alertTo } = await voiceRoom({ maxConcurrentCalls: 1 })
    const [first, second] = phones(2)
    fake.script(first!, 'answered', 30)
    fake.script(second!, 'answered', 30)
    const alertId = alertTo([first!, second!])
    await run(w, dispatcher, fake, 10)
    expect(fake.calls).toHaveLength(1) // one line: the second waits
    fake.outage(true) // every status request now fails
    await run(w, dispatcher, fake, 31 * 60, 30)
    const lost = rowOf(w, fake.calls[0]!.to)
    expect(lost).toMatchObject({ state: 'failed', last_error_code: 'call_status_unknown' })
    expect(lost.last_error).toMatch(/Non si richiama da solo/)
    fake.outage(false)
    await run(w, dispatcher, fake, 120)
    // The line is free: the second person is called; the first is not called again.
    expect(fake.calls.map((c) => c.to).sort()).toEqual([first!, second!].sort())
    expect(stateCounts(w.db, alertId)).toEqual({ delivered: 1, failed: 1 })
  })

  it('tells the room within minutes when call states cannot be read, once, and clears it when they can', async () => {
    const { w, fake, dispatcher, alertTo, blind, accountId } = await voiceRoom()
    const [person] = phones(1)
    fake.script(person!, 'answered', 600) // a long call: still in progress throughout
    alertTo([person!])
    await run(w, dispatcher, fake, 10)
    expect(fake.calls).toHaveLength(1)
    fake.outage(true)
    await run(w, dispatcher, fake, 60)
    expect(blind).toEqual([]) // a minute of failed polls: asked again, nobody told yet
    await run(w, dispatcher, fake, 120)
    expect(blind).toHaveLength(1)
    expect(blind[0]).toMatchObject({ accountId })
    expect(blind[0]!.reason).toMatch(/^lo stato delle chiamate non si legge da 2 minuti \(/)
    expect(blind[0]!.reason).toMatch(/esito sconosciuto/)
    await run(w, dispatcher, fake, 120)
    expect(blind).toHaveLength(1) // said once while it lasts
    fake.outage(false)
    await run(w, dispatcher, fake, 15)
    expect(blind).toEqual([blind[0], { accountId, reason: null }])
    expect(fake.calls).toHaveLength(1) // nobody was called twice meanwhile
  })
})
