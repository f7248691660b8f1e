import { describe, expect, it } from 'vitest'
import { parseScenarioText } from '../../../src/main/core/drills/scenario-loader'
import {
  createTimelineRunner,
  type FireContext,
  type TimelineHandlers,
} from '../../../src/main/core/drills/timeline'
import { CoreError } from '../../../src/main/core/errors'
import type { Scenario } from '../../../src/shared/drills/scenario'
import { createFakeTime } from './fake-time'

const MIN = 60_000

function scenario(text: string): Scenario {
  const load = parseScenarioText(text)
  if (!load.ok) throw new Error(JSON.stringify(load.issues))
  return load.scenario
}

const head = `schemaVersion: 1
id: prova
title: Prova
description: Prova del runner
`

const basic = scenario(`${head}events:
  - id: inizio
    at: T+0:00
    type: note
    text: Inizio
  - id: giallo
    at: T+0:05
    type: bulletin
    source: Centro Funzionale Regione Toscana
    level: giallo
    kind: neve
    comuni: [Empoli]
    headline: Allerta gialla
    description: Neve in collina
    onset: T+10:00
    expires: T+34:00
  - id: guasto
    at: T+0:10
    type: channel_fault
    channel: SMS Circondario
    fault: down
    duration: 10m
  - id: rilancio
    at: T+0:10
    type: partner_relay
    partner: Istituto Checchi
    delay: never
  - id: ordinanza
    at: T+0:30
    type: ordinance
    comune: Fucecchio
    subject: chiusura_scuole
    title: Scuole chiuse
    text: Domani scuole chiuse
`)

/** Handlers that note who was called with what, in order. */
function recorder() {
  const calls: { what: string; ctx: FireContext; count?: number }[] = []
  const handlers: TimelineHandlers = {
    onBulletin: (e, ctx) => void calls.push({ what: `bulletin:${e.id}`, ctx }),
    onOrdinance: (e, ctx) => void calls.push({ what: `ordinance:${e.id}`, ctx }),
    onCitizenMessages: (e, messages, ctx) =>
      void calls.push({ what: `citizens:${e.id ?? '-'}`, ctx, count: messages.length }),
    onPartnerRelay: (e, ctx) => void calls.push({ what: `relay:${e.partner}:${e.delay}`, ctx }),
    onChannelFault: (e, ctx) => void calls.push({ what: `fault:${e.channel}:${e.fault}`, ctx }),
    onNote: (e, ctx) => void calls.push({ what: `note:${e.text}`, ctx }),
  }
  return { calls, handlers }
}

describe('the timeline runner', () => {
  it('fires each event once, in order, when its scenario time comes', async () => {
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: basic, handlers, time })
    runner.start()
    await runner.idle()
    expect(calls.map((c) => c.what)).toEqual(['note:Inizio'])
    time.advance(5 * MIN - 1)
    await runner.idle()
    expect(calls).toHaveLength(1)
    time.advance(1)
    await runner.idle()
    expect(calls.map((c) => c.what)).toEqual(['note:Inizio', 'bulletin:giallo'])
    expect(calls[1]?.ctx).toMatchObject({
      scheduledAt: 5 * MIN,
      firedAt: 5 * MIN,
      origin: 'scenario',
      trigger: 'clock',
    })
    time.advance(3 * 60 * MIN)
    await runner.idle()
    expect(calls.map((c) => c.what)).toEqual([
      'note:Inizio',
      'bulletin:giallo',
      'fault:SMS Circondario:down',
      'relay:Istituto Checchi:never',
      'ordinance:ordinanza',
    ])
    const fired = runner.fired()
    expect(fired.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5])
    expect(fired.every((f) => f.outcome === 'ok')).toBe(true)
    expect(fired.map((f) => f.wallAt - fired[0]!.wallAt)).toEqual([
      0,
      5 * MIN,
      10 * MIN,
      10 * MIN,
      30 * MIN,
    ])
    expect(runner.upcoming()).toEqual([])
    expect(time.timers).toBe(0)
  })

  it('runs 60 times faster at 60×, and the speed can change mid-drill', async () => {
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: basic, handlers, time })
    runner.start()
    time.advance(MIN) // T+0:01 at 1×
    runner.setSpeed(60)
    time.advance(4_000) // T+0:05
    await runner.idle()
    expect(calls.map((c) => c.what)).toContain('bulletin:giallo')
    time.advance(25_000) // T+0:30
    await runner.idle()
    expect(calls.at(-1)?.what).toBe('ordinance:ordinanza')
    expect(calls.at(-1)?.ctx.firedAt).toBe(30 * MIN)
    expect(() => runner.setSpeed(61)).toThrow(CoreError)
    expect(() => runner.setSpeed(0.5)).toThrow(/between 1× and 60×/)
    expect(runner.clock.speed).toBe(60)
  })

  it('fires nothing while paused, and carries on where it stopped', async () => {
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: basic, handlers, time })
    runner.start()
    time.advance(4 * MIN)
    runner.pause()
    time.advance(60 * MIN)
    await runner.idle()
    expect(calls).toHaveLength(1)
    expect(runner.clock.scenarioNow()).toBe(4 * MIN)
    runner.resume()
    time.advance(MIN)
    await runner.idle()
    expect(calls.map((c) => c.what)).toEqual(['note:Inizio', 'bulletin:giallo'])
    expect(() => runner.resume()).toThrow(/running/)
  })

  it('fires what a jump skips over, in order, at the jump target', async () => {
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: basic, handlers, time })
    runner.start()
    runner.jumpTo(20 * MIN)
    await runner.idle()
    expect(calls.map((c) => c.what)).toEqual([
      'note:Inizio',
      'bulletin:giallo',
      'fault:SMS Circondario:down',
      'relay:Istituto Checchi:never',
    ])
    expect(calls[2]?.ctx).toMatchObject({
      scheduledAt: 10 * MIN,
      firedAt: 20 * MIN,
      trigger: 'jump',
    })
    expect(() => runner.jumpTo(15 * MIN)).toThrow(/forward/)
    time.advance(10 * MIN)
    await runner.idle()
    expect(calls.at(-1)).toMatchObject({
      what: 'ordinance:ordinanza',
      ctx: { trigger: 'clock', firedAt: 30 * MIN },
    })
    expect(runner.fired()).toHaveLength(5)
    expect(runner.controls().map((c) => c.action)).toEqual(['start', 'jump'])
  })

  it('lets the trainer inject an event, which fires at once and is recorded as injected', async () => {
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: basic, handlers, time })
    expect(() => runner.inject({ type: 'note', text: 'troppo presto' })).toThrow(/ready/)
    runner.start()
    time.advance(2 * MIN)
    const [entry] = runner.inject({
      id: 'telefonata',
      type: 'note',
      text: 'Chiama il sindaco di Vinci',
    })
    await runner.idle()
    expect(entry).toMatchObject({
      eventId: 'telefonata',
      index: null,
      origin: 'injected',
      firedAt: 2 * MIN,
    })
    expect(calls.at(-1)?.what).toBe('note:Chiama il sindaco di Vinci')
    expect(() => runner.inject({ id: 'giallo', type: 'note', text: 'doppio' })).toThrow(
      /already exists/,
    )
    expect(() => runner.inject({ type: 'bogus', text: 'x' } as never)).toThrow(
      /Unknown event type "bogus"/,
    )
    expect(() =>
      runner.inject({
        type: 'channel_fault',
        channel: 'SMS Circondario',
        fault: 'down',
        duration: 'dieci',
      }),
    ).toThrow(CoreError)
    time.advance(3 * MIN)
    await runner.idle()
    expect(calls.map((c) => c.what)).toEqual([
      'note:Inizio',
      'note:Chiama il sindaco di Vinci',
      'bulletin:giallo',
    ])
  })

  it('spreads a burst of citizen messages over scenario time, so pausing holds it back', async () => {
    const burst = scenario(`${head}events:
  - id: domande
    at: T+0:01
    type: citizen_messages
    channel: facebook
    category: question
    count: 6
    over: 6m
    messages:
      - Domani le scuole sono chiuse?
      - author: Anna
        text: E il pulmino passa?
`)
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: burst, handlers, time, speed: 60 })
    runner.start()
    time.advance(1_000 + 2_500) // T+0:03:30 → parts at T+0:01, 0:02, 0:03
    await runner.idle()
    expect(calls.map((c) => c.count)).toEqual([1, 1, 1])
    runner.pause()
    time.advance(MIN)
    await runner.idle()
    expect(calls).toHaveLength(3)
    runner.resume()
    time.advance(MIN)
    await runner.idle()
    expect(calls).toHaveLength(6)
    const fired = runner.fired()
    expect(fired.map((f) => `${f.part}/${f.parts}`)).toEqual([
      '1/6',
      '2/6',
      '3/6',
      '4/6',
      '5/6',
      '6/6',
    ])
    expect(fired.flatMap((f) => f.messages ?? []).map((m) => m.text)).toEqual([
      'Domani le scuole sono chiuse?',
      'E il pulmino passa?',
      'Domani le scuole sono chiuse?',
      'E il pulmino passa?',
      'Domani le scuole sono chiuse?',
      'E il pulmino passa?',
    ])
    expect(fired[1]?.messages?.[0]?.author).toBe('Anna')
  })

  it('awaits each handler before the next, and records a failing one without stopping', async () => {
    const time = createFakeTime()
    const order: string[] = []
    let release: () => void = () => {}
    const { handlers } = recorder()
    const runner = createTimelineRunner({
      scenario: basic,
      time,
      handlers: {
        ...handlers,
        onNote: async () => {
          order.push('note:start')
          await new Promise<void>((r) => (release = r))
          order.push('note:end')
        },
        onBulletin: () => {
          order.push('bulletin')
          throw new Error('feed non disponibile')
        },
        onChannelFault: () => void order.push('fault'),
      },
    })
    runner.start()
    time.advance(10 * MIN)
    await Promise.resolve()
    expect(order).toEqual(['note:start'])
    release()
    await runner.idle()
    expect(order).toEqual(['note:start', 'note:end', 'bulletin', 'fault'])
    const fired = runner.fired()
    expect(fired[1]).toMatchObject({
      type: 'bulletin',
      outcome: 'failed',
      error: 'feed non disponibile',
    })
    expect(fired[2]?.outcome).toBe('ok')
  })

  it('fires nothing more once stopped', async () => {
    const time = createFakeTime()
    const { calls, handlers } = recorder()
    const runner = createTimelineRunner({ scenario: basic, handlers, time })
    runner.start()
    runner.stop()
    time.advance(60 * MIN)
    await runner.idle()
    expect(calls).toHaveLength(1)
    expect(runner.state).toBe('stopped')
    expect(() => runner.resume()).toThrow(/stopped/)
    expect(() => runner.inject({ type: 'note', text: 'x' })).toThrow(/stopped/)
    expect(time.timers).toBe(0)
  })
})
