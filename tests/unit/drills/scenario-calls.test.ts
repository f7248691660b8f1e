import { describe, expect, it } from 'vitest'
import { createSimulatedRegistry } from '../../../src/main/core/channels/adapters'
import { parseScenarioText } from '../../../src/main/core/drills/scenario-loader'

/** How the people a drill calls answer: read from the scenario, drawn by the voice twins. */

const scenario = (calls: string) => `schemaVersion: 1
id: chiamate
title: Chiamate
description: Prova delle chiamate
${calls}
events:
  - at: T+0:00
    type: note
    text: Inizio
`

describe('a scenario says how the people called answer', () => {
  it('reads the shares in per cent, with how long a call rings', () => {
    const load = parseScenarioText(
      scenario('chiamate:\n  nonRisponde: 30\n  occupato: 10\n  segreteria: 20\n  squilli: 25s'),
      { fileName: 'chiamate.yaml' },
    )
    expect(load.ok).toBe(true)
    if (!load.ok) return
    expect(load.scenario.chiamate).toEqual({
      nonRisponde: 30,
      occupato: 10,
      segreteria: 20,
      squilli: '25s',
    })
  })

  it('refuses shares over 100 per cent in all, naming the field', () => {
    const load = parseScenarioText(scenario('chiamate:\n  nonRisponde: 70\n  occupato: 40'), {
      fileName: 'chiamate.yaml',
    })
    expect(load.ok).toBe(false)
    if (load.ok) return
    expect(load.issues[0]).toMatchObject({ path: 'chiamate.nonRisponde', code: 'range' })
  })

  it('makes the voice twins miss, refuse and leave to a machine about those shares of the calls', async () => {
    const registry = createSimulatedRegistry({ seed: 3 })
    registry.configureKind('voice_twilio', {
      calls: { noAnswer: 0.3, busy: 0.1, voicemail: 0.2 },
    })
    const twin = registry.adapterFor('voice_twilio', {
      accountId: 1,
      name: 'Voce',
      settings: {},
      secrets: {},
    })
    for (let i = 0; i < 2_000; i++) {
      await twin.send({
        idempotencyKey: `k${i}`,
        destination: { type: 'person', address: `+3905710${String(i).padStart(5, '0')}` },
        text: 'Allerta arancione.',
      })
    }
    const share = (outcome: string) =>
      twin.sent.filter((s) => s.call?.outcome === outcome).length / twin.sent.length
    expect(share('no_answer')).toBeCloseTo(0.3, 1)
    expect(share('busy')).toBeCloseTo(0.1, 1)
    expect(share('voicemail')).toBeCloseTo(0.2, 1)
    expect(share('answered')).toBeCloseTo(0.4, 1)
    // Other kinds are untouched: an SMS twin has no calls.
    const sms = registry.adapterFor('sms_twilio', {
      accountId: 2,
      name: 'SMS',
      settings: {},
      secrets: {},
    })
    await sms.send({
      idempotencyKey: 's',
      destination: { type: 'person', address: '+393330000000' },
      text: 'x',
    })
    expect(sms.sent[0]?.call).toBeUndefined()
  })
})
