import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarioFolder } from '../../../src/main/core/drills/scenario-library'
import { scenarioIssueLines } from '../../../src/main/core/drills/scenario-loader'
import { scenarioRequirements, type KnownNames } from '../../../src/shared/drills/scenario-checks'
import { parseScenarioTime } from '../../../src/shared/drills/time'
import comuniSeed from '../../../resources/comuni.json'

const dir = resolve(__dirname, '../../../resources/scenarios')
const readme = readFileSync(resolve(dir, 'README.md'), 'utf8')

/** The names resources/scenarios/README.md tells the demo seed to create. */
const demoWorkspace: KnownNames = {
  lists: [
    'Genitori — Istituto Checchi',
    'Genitori — Istituto Enriques',
    'Residenti zona rossa Arno — Fucecchio',
    'Residenti zona rossa Arno — Empoli',
    'Sindaci e tecnici comunali',
  ],
  partners: ['Istituto Checchi', 'Istituto Enriques'],
  channels: [
    'SMS Circondario',
    'Email Protezione Civile',
    'X Protezione Civile',
    'Facebook Protezione Civile',
    'Telegram Allerte',
  ],
  comuni: comuniSeed.comuni.map((c) => c.name),
}

describe('the scenarios Vedetta ships', () => {
  const loads = loadScenarioFolder(dir, demoWorkspace)

  it('are the snow and the Arno scenarios, and both validate against the demo workspace', () => {
    expect(loads.map((l) => l.fileName)).toEqual([
      'idraulico-rosso-arno.yaml',
      'neve-arancione-empolese.yaml',
    ])
    for (const load of loads) expect(scenarioIssueLines(load), load.fileName).toEqual([])
  })

  it('need exactly the names their README lists', () => {
    for (const load of loads) {
      if (!load.ok) throw new Error(load.fileName)
      const needs = scenarioRequirements(load.scenario)
      for (const name of [...needs.lists, ...needs.partners, ...needs.channels]) {
        expect(readme, `${load.fileName} needs "${name}"`).toContain(`\`${name}\``)
      }
    }
  })

  it('tell the stories the issue asks for', () => {
    const [arno, snow] = loads
    if (!arno?.ok || !snow?.ok) throw new Error('shipped scenarios must load')
    const bulletins = (s: typeof arno.scenario) =>
      s.events.flatMap((e) => (e.type === 'bulletin' ? [`${e.level}/${e.msgType}`] : []))
    expect(bulletins(snow.scenario)).toEqual(['giallo/Alert', 'arancione/Update'])
    expect(bulletins(arno.scenario)).toEqual([
      'giallo/Alert',
      'arancione/Update',
      'rosso/Update',
      'verde/Cancel',
    ])

    const relays = snow.scenario.events.flatMap((e) =>
      e.type === 'partner_relay' ? [[e.partner, e.delay]] : [],
    )
    expect(relays).toEqual([
      ['Istituto Enriques', '40m'],
      ['Istituto Checchi', 'never'],
    ])
    expect(
      snow.scenario.events.some((e) => e.type === 'ordinance' && e.subject === 'chiusura_scuole'),
    ).toBe(true)
    expect(
      snow.scenario.events.some((e) => e.type === 'channel_fault' && e.fault === 'rate_limited'),
    ).toBe(true)
    const categories = new Set(
      snow.scenario.events.flatMap((e) => (e.type === 'citizen_messages' ? [e.category] : [])),
    )
    expect([...categories].sort()).toEqual(['complaint', 'question', 'rumour'])

    // The SMS gateway goes down for ten minutes right after the red bulletin.
    const red = arno.scenario.events.find((e) => e.type === 'bulletin' && e.level === 'rosso')
    const down = arno.scenario.events.find((e) => e.type === 'channel_fault' && e.fault === 'down')
    expect(down?.type === 'channel_fault' && down.duration).toBe('10m')
    expect(
      (parseScenarioTime(down?.at ?? '') ?? 0) - (parseScenarioTime(red?.at ?? '') ?? 0),
    ).toBeLessThanOrEqual(5 * 60_000)
    expect(
      arno.scenario.events.some((e) => e.type === 'ordinance' && e.subject === 'evacuazione'),
    ).toBe(true)
    expect(
      arno.scenario.events.some(
        (e) => e.type === 'citizen_messages' && e.category === 'help_request',
      ),
    ).toBe(true)
    expect(
      arno.scenario.events.some((e) => e.type === 'channel_fault' && e.fault === 'reject'),
    ).toBe(true)

    const firstSms = snow.scenario.checkpoints.find((c) => c.id === 'sms-famiglie-checchi')
    expect(firstSms).toMatchObject({
      type: 'first_send',
      family: 'sms',
      after: 'arancione-neve',
      within: '15m',
    })
  })

  it('fail against a workspace that lacks their lists, naming each place', () => {
    const bare = { ...demoWorkspace, lists: [] }
    const snow = loadScenarioFolder(dir, bare).find(
      (l) => l.fileName === 'neve-arancione-empolese.yaml',
    )
    if (!snow || snow.ok) throw new Error('expected issues')
    expect(snow.issues.map((i) => i.code)).toEqual(['unknown_list', 'unknown_list', 'unknown_list'])
    expect(snow.issues.every((i) => i.line > 0 && i.path.startsWith('checkpoints['))).toBe(true)
  })
})
