import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  loadScenarioFile,
  parseScenarioText,
  scenarioIssueLines,
} from '../../../src/main/core/drills/scenario-loader'
import type { KnownNames } from '../../../src/shared/drills/scenario-checks'
import comuniSeed from '../../../resources/comuni.json'

const fixture = (name: string): string => resolve(__dirname, '../../fixtures/scenarios', name)

const known: KnownNames = {
  lists: ['Genitori — Istituto Checchi', 'Genitori — Istituto Enriques'],
  partners: ['Istituto Checchi', 'Istituto Enriques'],
  channels: ['SMS Circondario', 'Email Protezione Civile'],
  comuni: comuniSeed.comuni.map((c) => c.name),
}

function failure(file: string, names: KnownNames | undefined = known) {
  const load = loadScenarioFile(fixture(file), names)
  if (load.ok) throw new Error(`${file} was expected to fail`)
  return load
}

describe('loading a scenario file', () => {
  it('accepts a valid YAML scenario and reads its timeline', () => {
    const load = loadScenarioFile(fixture('valid.yaml'), known)
    expect(load.ok).toBe(true)
    if (!load.ok) return
    expect(load.scenario.id).toBe('prova-minima')
    expect(load.scenario.events.map((e) => e.type)).toEqual([
      'bulletin',
      'partner_relay',
      'channel_fault',
    ])
    expect(load.scenario.start).toBe('now')
    expect(load.scenario.language).toBe('it')
    const bulletin = load.scenario.events[0]
    expect(bulletin?.type === 'bulletin' && bulletin.msgType).toBe('Alert')
  })

  it('accepts the same format in JSON', () => {
    const load = loadScenarioFile(fixture('valid.json'), known)
    expect(load.ok).toBe(true)
  })

  it('names the line of an unknown event type and lists the allowed ones', () => {
    const load = failure('unknown-event-type.yaml')
    expect(load.issues).toHaveLength(1)
    expect(load.issues[0]).toMatchObject({
      line: 22,
      path: 'events[2].type',
      code: 'unknown_event_type',
    })
    expect(scenarioIssueLines(load)[0]).toBe(
      'unknown-event-type.yaml:22: events[2].type: Unknown event type "sms_storm": the allowed types are bulletin, ordinance, citizen_messages, partner_relay, channel_fault, note.',
    )
  })

  it('names the line where time goes backwards', () => {
    const load = failure('time-backwards.yaml')
    expect(load.issues).toEqual([
      {
        line: 21,
        column: 5,
        path: 'events[2].at',
        code: 'time_backwards',
        params: { at: 'T+0:02', previous: 'T+0:10', previousIndex: 1 },
      },
    ])
    expect(scenarioIssueLines(load, 'it')[0]).toMatch(
      /^time-backwards\.yaml:21: events\[2\]\.at: Il tempo torna indietro: T\+0:02 viene prima di T\+0:10/,
    )
  })

  it('names the line of a list that does not exist, with the near miss it probably meant', () => {
    const load = failure('unknown-list.yaml')
    expect(load.issues).toEqual([
      {
        line: 31,
        column: 5,
        path: 'checkpoints[0].list',
        code: 'unknown_list',
        params: { name: 'Genitori — Istituto Chechi', suggestion: 'Genitori — Istituto Checchi' },
      },
    ])
    expect(scenarioIssueLines(load)[0]).toBe(
      'unknown-list.yaml:31: checkpoints[0].list: The list "Genitori — Istituto Chechi" does not exist in the workspace. Did you mean "Genitori — Istituto Checchi"?',
    )
  })

  it('names the line of an unknown partner and of an unknown channel account', () => {
    expect(failure('unknown-partner.yaml').issues).toEqual([
      {
        line: 19,
        column: 5,
        path: 'events[1].partner',
        code: 'unknown_partner',
        params: { name: 'Istituto Fermi' },
      },
    ])
    expect(failure('unknown-channel.yaml').issues).toMatchObject([
      {
        line: 23,
        path: 'events[2].channel',
        code: 'unknown_channel',
        params: { name: 'SMS Gateway Scuole' },
      },
    ])
  })

  it('checks names only when it is given the workspace', () => {
    expect(loadScenarioFile(fixture('unknown-list.yaml')).ok).toBe(true)
  })

  it('names the line of a checkpoint that counts from an event that does not exist', () => {
    expect(failure('unknown-checkpoint-ref.yaml').issues).toEqual([
      {
        line: 32,
        column: 5,
        path: 'checkpoints[0].after',
        code: 'unknown_event_ref',
        params: { ref: 'arancione' },
      },
    ])
  })

  it('reports every wrong type at its own line', () => {
    const issues = failure('wrong-types.yaml').issues
    expect(issues.map((i) => [i.line, i.path, i.code])).toEqual([
      [10, 'events[0].level', 'choice'],
      [12, 'events[0].comuni', 'wrong_type'],
      [25, 'events[2].duration', 'duration_format'],
    ])
    expect(issues[0]?.params).toEqual({ options: 'verde, giallo, arancione, rosso' })
    expect(issues[2]?.params).toEqual({ value: '10' })
  })

  it('gives the parser line for malformed YAML, with a hint for the usual colon in a text', () => {
    const colon = failure('malformed-colon.yaml')
    expect(colon.issues).toHaveLength(1)
    expect(colon.issues[0]).toMatchObject({ line: 14, code: 'syntax_colon' })
    expect(scenarioIssueLines(colon, 'it')[0]).toMatch(
      /^malformed-colon\.yaml:14: Errore di sintassi: .*mettilo tra virgolette/,
    )
    const indent = failure('malformed-indent.yaml')
    expect(indent.issues).toHaveLength(1)
    expect(indent.issues[0]).toMatchObject({ line: 10, code: 'syntax' })
  })

  it('gives lines for JSON files too: syntax and meaning', () => {
    const syntax = failure('malformed.json')
    expect(syntax.issues).toHaveLength(1)
    expect(syntax.issues[0]).toMatchObject({ line: 7, code: 'syntax' })
    expect(failure('time-backwards.json').issues).toMatchObject([
      { line: 14, path: 'events[1].at', code: 'time_backwards' },
    ])
  })

  it('reports a file that cannot be read, without a line', () => {
    const load = failure('does-not-exist.yaml')
    expect(load.issues).toMatchObject([{ line: 0, code: 'unreadable' }])
    expect(scenarioIssueLines(load)[0]).toMatch(/^does-not-exist\.yaml: The file cannot be read/)
  })
})

describe('scenario contents', () => {
  const base = readFileSync(fixture('valid.yaml'), 'utf8')
  const parse = (text: string) => parseScenarioText(text, { fileName: 'prova.yaml', known })
  const issuesOf = (text: string) => {
    const load = parse(text)
    return load.ok ? [] : load.issues.map((i) => ({ line: i.line, path: i.path, code: i.code }))
  }

  it('refuses a file that is not a scenario, and an empty one', () => {
    expect(issuesOf('- uno\n- due\n')).toEqual([{ line: 1, path: '', code: 'not_object' }])
    expect(issuesOf('')).toEqual([{ line: 1, path: '', code: 'not_object' }])
  })

  it('refuses a newer schema version with one clear message', () => {
    expect(issuesOf(base.replace('schemaVersion: 1', 'schemaVersion: 2\nfuture: true'))).toEqual([
      { line: 1, path: 'schemaVersion', code: 'schema_version' },
    ])
  })

  it('names missing fields and unknown keys at their place', () => {
    const text = base
      .replace('    headline: Allerta gialla per neve\n', '')
      .replace('    fault: down\n', '    fault: down\n    colour: red\n')
    expect(issuesOf(text)).toEqual([
      { line: 6, path: 'events[0].headline', code: 'required' },
      { line: 24, path: 'events[2].colour', code: 'unknown_key' },
    ])
  })

  it('refuses badly written times and durations', () => {
    const text = base
      .replace('at: T+0:05', 'at: "0:05"')
      .replace('within: 15m', 'within: quindici minuti')
    expect(issuesOf(text)).toEqual([
      { line: 7, path: 'events[0].at', code: 'time_format' },
      { line: 33, path: 'checkpoints[0].within', code: 'duration_format' },
    ])
  })

  it('checks bulletin updates: they need an earlier bulletin to reference', () => {
    const update = base.replace('    comuni: [Empoli', '    msgType: Update\n    comuni: [Empoli')
    expect(issuesOf(update)).toEqual([
      { line: 12, path: 'events[0].msgType', code: 'references_required' },
    ])
    const selfRef = update.replace(
      '    msgType: Update\n',
      '    msgType: Update\n    references: giallo\n',
    )
    expect(issuesOf(selfRef)).toEqual([
      { line: 13, path: 'events[0].references', code: 'reference_not_earlier' },
    ])
    const alertWithRef = base.replace(
      '    comuni: [Empoli',
      '    references: giallo\n    comuni: [Empoli',
    )
    expect(issuesOf(alertWithRef)).toEqual([
      { line: 12, path: 'events[0].references', code: 'references_not_allowed' },
    ])
  })

  it('refuses duplicate and reserved ids, and an expiry before the onset', () => {
    const text = base
      .replace('  - at: T+0:10\n', '  - id: giallo\n    at: T+0:10\n')
      .replace('  - at: T+0:20\n', '  - id: start\n    at: T+0:20\n')
      .replace('expires: T+34:00', 'expires: T+9:00')
    expect(issuesOf(text)).toEqual([
      { line: 16, path: 'events[0].expires', code: 'expires_before_onset' },
      { line: 17, path: 'events[1].id', code: 'duplicate_id' },
      { line: 22, path: 'events[2].id', code: 'reserved_id' },
    ])
  })

  it('checks comuni against the workspace', () => {
    expect(
      issuesOf(base.replace('[Empoli, Fucecchio]', '[Empoli, Fucecchio, San Miniato]')),
    ).toEqual([{ line: 12, path: 'events[0].comuni[2]', code: 'unknown_comune' }])
  })

  it('takes start as now or as an ISO date-time with offset', () => {
    const at = (start: string) =>
      base.replace('schemaVersion: 1\n', `schemaVersion: 1\nstart: ${start}\n`)
    const fixed = parse(at('"2026-01-13T13:00:00+01:00"'))
    expect(fixed.ok && fixed.scenario.start).toBe('2026-01-13T13:00:00+01:00')
    expect(issuesOf(at('domani alle 13'))).toEqual([
      { line: 2, path: 'start', code: 'datetime_format' },
    ])
  })

  it('matches workspace names without regard to case', () => {
    expect(parse(base.replace('partner: Istituto Checchi', 'partner: ISTITUTO CHECCHI')).ok).toBe(
      true,
    )
  })
})
