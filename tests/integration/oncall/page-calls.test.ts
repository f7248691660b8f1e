import { afterEach, describe, expect, it } from 'vitest'
import { createSimulatedRegistry } from '../../../src/main/core/channels/adapters'
import {
  startFakeTwilioVoice,
  UNVERIFIED_FROM,
  type FakeTwilioVoice,
} from '../../fakes/twilio-voice-fake'
import { lastTo, openNight, type Night } from './support'

/**
 * A page also rings the person on call: the real core's on-call module on a workspace file,
 * the real Twilio voice adapter against the loopback Twilio fake, on a moved clock. The
 * voice account keeps its night hours for citizens (22:00–07:00): a page at 03:00 rings.
 */
let night: Night | undefined
let voice: FakeTwilioVoice | undefined
afterEach(async () => {
  await night?.dispose()
  await voice?.close()
  night = undefined
  voice = undefined
})

const MARIO = '+393471111111'
const LUCIA = '+393472222222'
const INSTRUCTION = 'Per prendere in carico usa Telegram o la sala'

async function nightWithCalls(
  options: Omit<NonNullable<Parameters<typeof openNight>[0]>, 'voice'> = {},
  voiceSettings: Record<string, unknown> = {},
) {
  voice = await startFakeTwilioVoice({ now: () => night?.clock.now().getTime() ?? Date.now() })
  const n = (night = await openNight({
    ...options,
    voice: { fake: voice, settings: { quietHours: '22:00-07:00', ...voiceSettings } },
  }))
  n.oncall.roster.updateSettings({ voiceAccountId: n.voiceAccountId }, 'Giulia')
  return n
}

const voicePages = (n: Night) => n.escalations.at(-1)!.pages.filter((p) => p.channel === 'voice')

describe('a page rings the person on call', () => {
  it('calls Mario once at 03:00, night hours or not, with a text for the ear in it-IT', async () => {
    const n = await nightWithCalls()
    await n.bulletin('rosso')

    expect(voice!.calls.map((c) => c.to)).toEqual([MARIO])
    const call = voice!.calls[0]!
    expect(call.say?.language).toBe('it-IT')
    const said = call.say!.text
    expect(said).toMatch(
      /^Messaggio di Vedetta per la reperibilità della Protezione civile\. Allerta rossa per rischio idraulico a /,
    )
    expect(said.toLowerCase()).toContain(INSTRUCTION.toLowerCase())
    expect(said).toContain('rispondere a questa chiamata non basta')
    expect(said).toContain('Ripeto.')
    // Nothing read as a digit or a symbol.
    expect(said).not.toMatch(/[\d#@/%€]/u)
    expect(call.twiml).toMatch(/^<Response><Say language="it-IT">/)

    // Telegram and SMS as before; the call is a page of its own, in the journal as a call.
    expect(lastTo(n, n.chats.mario)?.text).toContain('Allerta rossa')
    expect(n.gateway.orders.map((o) => o.recipients)).toEqual([[MARIO]])
    expect(voicePages(n)).toMatchObject([{ name: 'Mario Rossi', outcome: 'sent', error: null }])
    expect(n.oncallJournal().filter((j) => j.action.startsWith('oncall.pageCall'))).toMatchObject([
      { action: 'oncall.pageCall', detail: { person: 'Mario Rossi', outcome: 'sent' } },
    ])
  })

  it('rings for a yellow bulletin at 03:00 too: the account’s night hours hold calls to citizens, never a page', async () => {
    const n = await nightWithCalls()
    await n.bulletin('giallo')
    expect(voice!.calls.map((c) => c.to)).toEqual([MARIO])
    expect(voice!.calls[0]!.say!.text).toContain('Allerta gialla per rischio idraulico')
  })

  it('shows whether the call was answered, and an answered call takes nothing in charge', async () => {
    const n = await nightWithCalls()
    voice!.script(MARIO, 'no-answer')
    await n.bulletin('rosso')
    // The fake moves a call one step per read: ringing, then no answer.
    for (let i = 0; i < 4; i++) {
      n.clock.advanceMinutes(0.5)
      await n.oncall.tick()
    }
    expect(voicePages(n)).toMatchObject([{ outcome: 'sent', call: 'not_answered' }])
    expect(n.oncallJournal().filter((j) => j.action.startsWith('oncall.call'))).toMatchObject([
      { action: 'oncall.callUnanswered', detail: { person: 'Mario Rossi', outcome: 'no_answer' } },
    ])

    // Lucia, at 03:10, answers: the escalation is still open and goes on to Paolo at 03:20.
    n.clock.set('2026-02-08T02:10:00.000Z')
    await n.oncall.tick()
    expect(voice!.calls.map((c) => c.to)).toEqual([MARIO, LUCIA])
    for (let i = 0; i < 4; i++) {
      n.clock.advanceMinutes(0.5)
      await n.oncall.tick()
    }
    expect(voicePages(n).map((p) => p.call)).toEqual(['not_answered', 'answered'])
    expect(n.escalations.at(-1)!.state).toBe('open')
    n.clock.set('2026-02-08T02:20:00.000Z')
    await n.oncall.tick()
    expect(voice!.calls.map((c) => c.to)).toEqual([MARIO, LUCIA, '+393473333333'])
    // Each call is asked about until it ended, and no more.
    const reads = () => voice!.requests.filter((r) => r.method === 'GET').length
    for (let i = 0; i < 4; i++) {
      n.clock.advanceMinutes(1)
      await n.oncall.tick()
    }
    expect(voicePages(n).map((p) => p.call)).toEqual(['not_answered', 'answered', 'answered'])
    const asked = reads()
    for (let i = 0; i < 3; i++) {
      n.clock.advanceMinutes(1)
      await n.oncall.tick()
    }
    expect(reads()).toBe(asked)
    expect(n.escalations.at(-1)!.state).toBe('open')
  })

  it('records a call that timed out as uncertain, never calls again for that page, and still pages the next at 03:10', async () => {
    const n = await nightWithCalls({ httpTimeoutMs: 300 })
    voice!.stallNext()
    await n.bulletin('rosso')

    expect(voice!.calls.map((c) => c.to)).toEqual([MARIO])
    expect(voicePages(n)).toMatchObject([{ name: 'Mario Rossi', outcome: 'uncertain' }])
    expect(voicePages(n)[0]!.error).toMatch(/Twilio/)
    expect(n.oncallJournal().filter((j) => j.action.startsWith('oncall.pageCall'))).toMatchObject([
      {
        action: 'oncall.pageCallUncertain',
        detail: { person: 'Mario Rossi', outcome: 'uncertain' },
      },
    ])

    // Ticks before the wait is over call nobody again (Mario's page rang once, for good).
    for (const at of ['2026-02-08T02:01:00.000Z', '2026-02-08T02:09:59.000Z']) {
      n.clock.set(at)
      await n.oncall.tick()
    }
    expect(voice!.calls).toHaveLength(1)

    // 03:10: Lucia is paged and rung, as without the uncertain call.
    n.clock.set('2026-02-08T02:10:00.000Z')
    await n.oncall.tick()
    expect(lastTo(n, n.chats.lucia)?.text).toContain('Sei il 2° reperibile')
    expect(voice!.calls.map((c) => c.to)).toEqual([MARIO, LUCIA])
    expect(n.oncallJournal().map((j) => j.action)).toContain('oncall.escalated')
  })

  it('records a refused call as failed with its reason, and the escalation goes on', async () => {
    const n = await nightWithCalls({}, { from: UNVERIFIED_FROM })
    await n.bulletin('rosso')
    expect(voicePages(n)).toMatchObject([{ outcome: 'failed' }])
    expect(voicePages(n)[0]!.error).toMatch(/non è verificato/)
    expect(n.oncallJournal().filter((j) => j.action.startsWith('oncall.pageCall'))).toMatchObject([
      { action: 'oncall.pageCallFailed', detail: { person: 'Mario Rossi' } },
    ])
    // Telegram reached Mario: he is not unreachable, and Lucia waits for 03:10.
    expect(n.oncallJournal().map((j) => j.action)).not.toContain('oncall.unreachable')
    n.clock.set('2026-02-08T02:10:00.000Z')
    await n.oncall.tick()
    expect(lastTo(n, n.chats.lucia)?.text).toContain('Sei il 2° reperibile')
  })

  it('places no call without a voice account, and nothing else changes', async () => {
    voice = await startFakeTwilioVoice()
    const n = (night = await openNight({ voice: { fake: voice } }))
    await n.bulletin('rosso')
    expect(voice.requests).toEqual([])
    expect(n.escalations.at(-1)!.pages.map((p) => p.channel)).toEqual(['telegram', 'sms'])
    expect(n.oncallJournal().map((j) => j.action)).toEqual([
      'oncall.triggered',
      'oncall.page',
      'oncall.page',
    ])
  })

  it('in a drill, rings the simulated twin only: nothing reaches Twilio', async () => {
    const registry = createSimulatedRegistry()
    const n = await nightWithCalls({ drill: registry })
    await n.bulletin('rosso')
    expect(voice!.requests).toEqual([])
    const calls = registry.sent().filter((s) => s.accountId === n.voiceAccountId)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.message.destination).toMatchObject({ address: MARIO })
    expect(calls[0]!.message.text).toMatch(/^Esercitazione\. Messaggio di Vedetta/)
    expect(voicePages(n)).toMatchObject([{ outcome: 'simulated' }])
  })
})
