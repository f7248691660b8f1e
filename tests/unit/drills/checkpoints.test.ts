import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFile, parseScenarioText } from '../../../src/main/core/drills/scenario-loader'
import { createTimelineRunner, type TimelineHandlers } from '../../../src/main/core/drills/timeline'
import { evaluateCheckpoints, type TeamAction } from '../../../src/shared/drills/checkpoints'
import type { Checkpoint } from '../../../src/shared/drills/scenario'
import { createFakeTime } from './fake-time'

const MIN = 60_000

function checkpoints(yaml: string): Checkpoint[] {
  const load = parseScenarioText(`schemaVersion: 1
id: prova
title: Prova
description: Verifiche
events:
  - id: rosso
    at: T+0:10
    type: note
    text: Allerta rossa
  - id: domande
    at: T+0:20
    type: note
    text: Domande
checkpoints:
${yaml}`)
  if (!load.ok) throw new Error(JSON.stringify(load.issues))
  return load.scenario.checkpoints
}

const firstSms = checkpoints(`  - id: sms
    description: Primo SMS alle famiglie entro 15 minuti
    type: first_send
    family: sms
    list: Genitori — Istituto Checchi
    after: rosso
    within: 15m
`)

const fired = [
  { eventId: 'rosso', firedAt: 10 * MIN },
  { eventId: 'domande', firedAt: 20 * MIN },
]
const sms = (at: number, lists = ['Genitori — Istituto Checchi']): TeamAction => ({
  type: 'send',
  at,
  family: 'sms',
  lists,
})

describe('checkpoint evaluation', () => {
  it('is met when the matching action comes in time, and says how early', () => {
    const [result] = evaluateCheckpoints(firstSms, { fired, actions: [sms(18 * MIN)] })
    expect(result).toEqual({
      id: 'sms',
      description: 'Primo SMS alle famiglie entro 15 minuti',
      status: 'met',
      from: 10 * MIN,
      deadline: 25 * MIN,
      doneAt: 18 * MIN,
      marginMs: 7 * MIN,
    })
  })

  it('is late when the action comes after the deadline, and says by how much', () => {
    const [result] = evaluateCheckpoints(firstSms, { fired, actions: [sms(31 * MIN)] })
    expect(result).toMatchObject({ status: 'late', marginMs: -6 * MIN })
  })

  it('ignores actions that do not match or that came before the event', () => {
    const actions: TeamAction[] = [
      sms(5 * MIN), // before the red bulletin
      sms(12 * MIN, ['Sindaci e tecnici comunali']), // another list
      { type: 'send', at: 13 * MIN, family: 'email', lists: ['Genitori — Istituto Checchi'] }, // another family
      sms(14 * MIN, ['GENITORI — ISTITUTO CHECCHI', 'Altri']), // same list, other case
    ]
    expect(evaluateCheckpoints(firstSms, { fired, actions })[0]).toMatchObject({
      status: 'met',
      doneAt: 14 * MIN,
    })
  })

  it('is pending while there is still time, missed once the time is up, not reached before its event', () => {
    expect(evaluateCheckpoints(firstSms, { fired, actions: [], now: 20 * MIN })[0]?.status).toBe(
      'pending',
    )
    expect(evaluateCheckpoints(firstSms, { fired, actions: [], now: 26 * MIN })[0]).toMatchObject({
      status: 'missed',
      deadline: 25 * MIN,
    })
    expect(evaluateCheckpoints(firstSms, { fired, actions: [] })[0]?.status).toBe('missed')
    expect(evaluateCheckpoints(firstSms, { fired: [], actions: [sms(1)] })[0]).toEqual({
      id: 'sms',
      description: 'Primo SMS alle famiglie entro 15 minuti',
      status: 'not_reached',
    })
  })

  it('counts replies up to the number asked, and relay requests and journal entries by kind', () => {
    const list = checkpoints(`  - id: risposte
    description: Tre risposte
    type: citizen_replies
    count: 3
    after: domande
    within: 10m
  - id: rilancio
    description: Rilancio al Checchi
    type: partner_relay_requested
    partner: Istituto Checchi
    after: start
    within: 30m
  - id: diario
    description: Nota nel diario
    type: journal_entry
    after: rosso
    within: 5m
`)
    const actions: TeamAction[] = [
      { type: 'reply', at: 21 * MIN, to: 'domande' },
      { type: 'reply', at: 22 * MIN, to: 'altro-evento' },
      { type: 'reply', at: 24 * MIN },
      { type: 'reply', at: 33 * MIN, to: 'domande' },
      { type: 'relay_request', at: 2 * MIN, partner: 'Istituto Enriques' },
      { type: 'relay_request', at: 40 * MIN, partner: 'istituto checchi' },
      { type: 'journal_entry', at: 14 * MIN },
    ]
    const results = evaluateCheckpoints(list, { fired, actions, startedAt: 0 })
    expect(results.map((r) => [r.id, r.status, r.marginMs])).toEqual([
      ['risposte', 'late', -3 * MIN],
      ['rilancio', 'late', -10 * MIN],
      ['diario', 'met', MIN],
    ])
  })

  it('evaluates a shipped scenario run at 60× against what the team did, in scenario time', async () => {
    const load = loadScenarioFile(
      resolve(__dirname, '../../../resources/scenarios/neve-arancione-empolese.yaml'),
    )
    if (!load.ok) throw new Error('the snow scenario must load')
    const time = createFakeTime()
    const nothing = () => undefined
    const handlers: TimelineHandlers = {
      onBulletin: nothing,
      onOrdinance: nothing,
      onCitizenMessages: nothing,
      onPartnerRelay: nothing,
      onChannelFault: nothing,
      onNote: nothing,
    }
    const runner = createTimelineRunner({ scenario: load.scenario, handlers, time, speed: 60 })
    runner.start()
    time.advance(70_000) // T+1:10, ten minutes after the orange bulletin
    // The team sends the SMS to the Checchi families now; the wall time becomes scenario time.
    const sentAtWall = time.now()
    time.advance(130_000) // T+3:20: the whole scenario has played
    await runner.idle()
    const actions: TeamAction[] = [
      {
        type: 'send',
        at: runner.clock.scenarioTimeAt(sentAtWall),
        family: 'sms',
        lists: ['Genitori — Istituto Checchi'],
      },
    ]
    const results = evaluateCheckpoints(load.scenario.checkpoints, {
      fired: runner.fired(),
      actions,
    })
    expect(results.find((r) => r.id === 'sms-famiglie-checchi')).toMatchObject({
      status: 'met',
      marginMs: 5 * MIN,
    })
    expect(results.find((r) => r.id === 'facebook-arancione')?.status).toBe('missed')
    expect(results.filter((r) => r.status === 'not_reached')).toEqual([])
  })
})
