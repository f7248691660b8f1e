/**
 * Voice calls, in one run:
 *
 * - `voice_dispatch_ratio_to_raw`: calls placed per second through Vedetta's
 *   outbox (a confirmed alert, the real dispatcher and Twilio voice adapter)
 *   to the loopback Twilio Calls API, beside raw `fetch` POSTs of the same
 *   calls to an identical fake from the same process at the same concurrency
 *   (goal ≥ 0.5). The account's rate and cap on calls at once are set high
 *   enough that only the requests pace the run;
 * - `voice_campaign_minutes`: 10,000 landlines at 30 calls at once, a
 *   40-second message, 30 % of the calls not answered and tried again twice
 *   10 minutes apart, through the real dispatcher and the voice twin on a
 *   simulated clock (a tick per simulated second), beside
 *   `voice_campaign_minimum_minutes`: the line time those very calls held
 *   (ringing and speaking, every try), spread over 30 lines, or the time the
 *   last person's tries need one after another, whichever is longer
 *   (goal ≤ 1.15 × minimum).
 *
 *   npm run bench -- voice
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import { createChannelAccountsRepository } from '../../src/main/core/channels/accounts-repository'
import { createSimulatedAdapter } from '../../src/main/core/channels/adapters/simulated'
import { createTwilioVoiceAdapter } from '../../src/main/core/channels/adapters/voice-twilio'
import { openDatabase } from '../../src/main/core/db/open'
import { createDispatcher } from '../../src/main/core/outbox/dispatcher'
import type { ChannelKind } from '../../src/shared/channels/kinds'
import { estimateSpokenSeconds } from '../../src/shared/text/spoken-it'
import { startFakeTwilioVoice } from '../../tests/fakes/twilio-voice-fake'

export interface VoiceFigures {
  voice_calls: number
  voice_dispatch_per_s: number
  voice_raw_per_s: number
  voice_dispatch_ratio_to_raw: number
  voice_campaign_landlines: number
  voice_campaign_calls: number
  voice_campaign_message_seconds: number
  voice_campaign_minutes: number
  voice_campaign_minimum_minutes: number
  voice_campaign_ratio_to_minimum: number
}

/** About 40 seconds when spoken (checked below with the same estimate the outbox uses). */
const MESSAGE =
  'Messaggio della Protezione civile del Circondario Empolese Valdelsa. ' +
  'È in vigore l’allerta arancione per rischio idraulico su Empoli, Vinci e Capraia e Limite, ' +
  'da oggi pomeriggio fino a domani sera. Il fiume Arno può uscire dagli argini nelle zone basse. ' +
  'Non scendere nei sottopassi e nelle cantine, sposta l’auto dalle zone a rischio, ' +
  'segui le indicazioni del tuo comune e tieni il telefono acceso. ' +
  'Per aiuto chiama il numero del tuo comune o il centododici. ' +
  'Ripeto: non scendere nei sottopassi e nelle cantine.'
const RING_SECONDS = 20
const CONCURRENT = 30
const NOT_ANSWERED = 0.3
const ATTEMPTS = 3
const INTERVAL_MINUTES = 10

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits
const landlines = (count: number, tag: number) =>
  Array.from({ length: count }, (_, i) => `+390571${String(tag * 100_000 + i).padStart(6, '0')}`)

function workspace(dir: string, name: string, now: () => number) {
  const db = openDatabase(join(dir, `${name}.sqlite`))
  let numbers: string[] = []
  const alerts = createAlertsService({
    db,
    audit: createAuditLog(db, () => new Date(now())),
    now,
    resolveRecipients: () => ({
      recipients: numbers.map((address, i) => ({
        contactId: i + 1,
        address,
        name: `Famiglia ${i}`,
      })),
      skipped: [],
    }),
  })
  return {
    db,
    addAccount: (kind: ChannelKind, settings: Record<string, unknown>) =>
      createChannelAccountsRepository(db).create({
        kind,
        name: `${kind} bench`,
        enabled: true,
        settings,
        secrets: {},
        now: new Date(now()).toISOString(),
      }),
    confirm(accountId: number, to: string[]) {
      numbers = to
      const alert = alerts.createDraft(
        {
          kind: 'idraulico',
          level: 'arancione',
          comuni: [{ name: 'Empoli', istatCode: '048014' }],
          validFrom: new Date(now()).toISOString(),
          validTo: new Date(now() + 24 * 3_600_000).toISOString(),
          headline: 'Allerta arancione per rischio idraulico',
          texts: { voice: MESSAGE },
          targets: { accountIds: [accountId], listIds: [1] },
        },
        'bench',
      )
      alerts.confirm(alert.id, 'bench', { cancelWindowSeconds: 0 })
      return alert.id
    },
    count(alertId: number, states: string[]): number {
      return db
        .prepare<[number], { state: string; n: number }>(
          'SELECT state, count(*) AS n FROM outbox WHERE alert_id = ? GROUP BY state',
        )
        .all(alertId)
        .filter((r) => states.includes(r.state))
        .reduce((sum, r) => sum + r.n, 0)
    },
  }
}

/** `count` calls of a confirmed alert through the dispatcher to the fake; calls per second. */
async function measureDispatch(dir: string, run: number, count: number): Promise<number> {
  const fake = await startFakeTwilioVoice({ maxConcurrentCalls: 1_000_000 })
  try {
    const ws = workspace(dir, `voice-${run}`, Date.now)
    const settings = {
      baseUrl: fake.url,
      accountSid: fake.accountSid,
      from: '+390571000001',
      language: 'it-IT',
      ratePerSecond: 100_000,
      maxConcurrentCalls: 500,
      quietHours: '',
    }
    const accountId = ws.addAccount('voice_twilio', settings)
    const adapter = createTwilioVoiceAdapter({
      accountId,
      name: 'Chiamate',
      settings,
      secrets: { authToken: fake.authToken },
    })
    const dispatcher = createDispatcher({ db: ws.db, adapterFor: () => adapter })
    const alertId = ws.confirm(accountId, landlines(count, run))
    const t0 = performance.now()
    dispatcher.start()
    // Placed = no longer waiting (a call polled meanwhile may already have ended).
    while (ws.count(alertId, ['queued', 'sending']) > 0 || fake.calls.length < count) {
      if (performance.now() - t0 > 600_000) throw new Error('voice bench: calls not placed')
      await new Promise((r) => setTimeout(r, 2))
    }
    const ms = performance.now() - t0
    await dispatcher.stop()
    ws.db.close()
    if (fake.calls.length !== count) throw new Error('the fake did not get every call once')
    return (count * 1000) / ms
  } finally {
    await fake.close()
  }
}

/** The same calls as raw POSTs, `concurrency` at a time; calls per second. */
async function measureRaw(run: number, count: number, concurrency: number): Promise<number> {
  const fake = await startFakeTwilioVoice({ maxConcurrentCalls: 1_000_000 })
  try {
    const url = `${fake.url}/2010-04-01/Accounts/${fake.accountSid}/Calls.json`
    const auth = `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString('base64')}`
    const twiml = `<Response><Say language="it-IT">${MESSAGE}</Say></Response>`
    const numbers = landlines(count, 50 + run)
    let next = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < numbers.length) {
          const to = numbers[next++]!
          const res = await fetch(url, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ To: to, From: '+390571000001', Twiml: twiml }),
          })
          await res.arrayBuffer()
          if (res.status !== 201) throw new Error(`raw call refused: ${res.status}`)
        }
      }),
    )
    return (count * 1000) / (performance.now() - t0)
  } finally {
    await fake.close()
  }
}

/** The whole campaign on a simulated clock: minutes until every person is reached or given up. */
async function measureCampaign(dir: string, people: number) {
  let t = Date.parse('2026-11-04T10:00:00Z')
  const now = () => t
  const ws = workspace(dir, 'campaign', now)
  const settings = {
    attempts: ATTEMPTS,
    attemptIntervalMinutes: INTERVAL_MINUTES,
    maxConcurrentCalls: CONCURRENT,
    ratePerSecond: 10,
    quietHours: '',
  }
  const accountId = ws.addAccount('voice_twilio', settings)
  const twin = createSimulatedAdapter('voice_twilio', {
    accountId,
    now,
    seed: 7,
    receiptDelayMs: RING_SECONDS * 1000,
    calls: { noAnswer: NOT_ANSWERED },
    limits: { ratePerSecond: 10, burst: 10, concurrency: 10 },
    callPolicy: {
      attempts: ATTEMPTS,
      intervalMs: INTERVAL_MINUTES * 60_000,
      maxConcurrentCalls: CONCURRENT,
      quietHours: null,
    },
  })
  const dispatcher = createDispatcher({ db: ws.db, adapterFor: () => twin, now })
  const start = t
  const alertId = ws.confirm(accountId, landlines(people, 9))
  while (ws.count(alertId, ['queued', 'sending', 'sent']) > 0) {
    await dispatcher.tick()
    t += 1000
    if (t - start > 48 * 3_600_000) throw new Error('voice bench: the campaign did not end')
  }
  const minutes = (t - start) / 60_000
  await dispatcher.stop()
  // What the lines really carried: every try rang, the answered ones spoke the message.
  const tries = twin.sent
  const lineSeconds = tries.reduce((sum, c) => sum + RING_SECONDS + (c.call?.seconds ?? 0), 0)
  const spoken = estimateSpokenSeconds(MESSAGE)
  const chain = ATTEMPTS * RING_SECONDS + (ATTEMPTS - 1) * INTERVAL_MINUTES * 60 + spoken
  const minimum = Math.max(lineSeconds / CONCURRENT, chain) / 60
  const unfinished = ws.count(alertId, ['queued', 'sending', 'sent'])
  ws.db.close()
  if (unfinished > 0) throw new Error(`${unfinished} calls never ended`)
  return { calls: tries.length, minutes, minimum, spoken }
}

export async function runVoiceBench(
  options: { calls?: number; people?: number; repeat?: number } = {},
): Promise<VoiceFigures> {
  // Under 500, the most calls at once an account may declare: only the requests pace the run.
  const count = options.calls ?? 400
  const people = options.people ?? 10_000
  const repeat = Math.max(1, options.repeat ?? 3)
  const concurrency = 4 // the voice lanes' requests in flight (channels/adapters/limits.ts)
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-bench-voice-'))
  try {
    const dispatchRates: number[] = []
    const rawRates: number[] = []
    const ratios: number[] = []
    // One unmeasured round warms both paths; then they alternate which goes first.
    for (let run = 0; run <= repeat; run++) {
      const n = run === 0 ? 100 : count
      const rawFirst = run % 2 === 1
      const early = rawFirst ? await measureRaw(run, n, concurrency) : 0
      const d = await measureDispatch(dir, run, n)
      const r = rawFirst ? early : await measureRaw(run, n, concurrency)
      if (run === 0) continue
      dispatchRates.push(d)
      rawRates.push(r)
      ratios.push(d / r)
    }
    const campaign = await measureCampaign(dir, people)
    return {
      voice_calls: count,
      voice_dispatch_per_s: round(median(dispatchRates)),
      voice_raw_per_s: round(median(rawRates)),
      voice_dispatch_ratio_to_raw: round(median(ratios), 2),
      voice_campaign_landlines: people,
      voice_campaign_calls: campaign.calls,
      voice_campaign_message_seconds: campaign.spoken,
      voice_campaign_minutes: round(campaign.minutes, 1),
      voice_campaign_minimum_minutes: round(campaign.minimum, 1),
      voice_campaign_ratio_to_minimum: round(campaign.minutes / campaign.minimum, 3),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(): Promise<Record<string, number>> {
  return { ...(await runVoiceBench()) }
}
