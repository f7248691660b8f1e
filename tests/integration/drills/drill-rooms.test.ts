import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { drillFile } from '../../../src/main/core/drills/drill-files'
import type { DrillRuntime } from '../../../src/main/core/drill-runtime'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'

const MIN = 60_000

let time: FakeTime
let ws: DrillWorkspace

beforeEach(async () => {
  time = createFakeTime(Date.UTC(2026, 0, 13, 12, 0, 0))
  ws = await createDrillWorkspace({ time })
})
afterEach(async () => {
  await ws.dispose()
})

async function snowDrill(): Promise<DrillRuntime> {
  const item = await ws.call(ws.real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
  return ws.rooms.open(item.id)
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure')
    },
    (err: { code: string; message: string; issues: unknown[] }) => err,
  )

describe('drills from the real room', () => {
  it('lists the shipped scenarios checked against the workspace, with the lines of their problems', async () => {
    const scenarios = await ws.call(ws.real, 'drills:scenarios', {})
    const snow = scenarios.find((s) => s.id === 'neve-arancione-empolese')
    expect(snow).toMatchObject({ ok: true, issues: [], checkpointCount: 9 })
    expect(snow?.durationMs).toBe(3 * 60 * MIN)
    const flood = scenarios.find((s) => s.fileName === 'idraulico-rosso-arno.yaml')
    expect(flood?.ok).toBe(false)
    expect(flood?.issues).toContainEqual(
      expect.objectContaining({ code: 'unknown_list', line: expect.any(Number) }),
    )
    // A scenario that does not fit the workspace cannot become a drill.
    const refused = await failure(
      ws.call(ws.real, 'drills:create', { scenarioId: 'idraulico-rosso-arno' }),
    )
    expect(refused.code).toBe('invalid_input')
    expect(refused.message).toMatch(/idraulico-rosso-arno\.yaml:\d+: .*Residenti zona rossa/)
    expect((await failure(ws.call(ws.real, 'drills:create', { scenarioId: 'nessuno' }))).code).toBe(
      'not_found',
    )
  })

  it('creates, lists, opens and deletes drills; the real room refuses the trainer controls', async () => {
    const created = await ws.call(
      ws.real,
      'drills:create',
      { scenarioId: 'neve-arancione-empolese', title: 'Prova del martedì' },
      'Maria Formatrice',
    )
    expect(created).toMatchObject({
      ok: true,
      title: 'Prova del martedì',
      createdBy: 'Maria Formatrice',
      state: 'ready',
      open: false,
    })
    const runtime = ws.rooms.open(created.id)
    expect((await ws.call(ws.real, 'drills:list', {}))[0]).toMatchObject({
      id: created.id,
      open: true,
    })
    expect(await ws.call(runtime.handlers, 'system:info', {})).toMatchObject({ mode: 'drill' })
    expect(await ws.call(ws.real, 'system:info', {})).toMatchObject({ mode: 'real' })

    const inReal = await failure(ws.call(ws.real, 'drill:start', { speed: 10 }))
    expect(inReal.code).toBe('forbidden')
    const inDrill = await failure(ws.call(runtime.handlers, 'drills:list', {}))
    expect(inDrill.code).toBe('forbidden')

    const closed: string[] = []
    ws.rooms.onClosed((id) => closed.push(id))
    await ws.call(runtime.handlers, 'drill:start', { speed: 10 })
    await ws.call(ws.real, 'drills:delete', { id: created.id })
    expect(closed).toEqual([created.id])
    expect(existsSync(drillFile(ws.dataDir, created.id))).toBe(false)
    expect(await ws.call(ws.real, 'drills:list', {})).toEqual([])
    const gone = await failure(ws.call(ws.real, 'drills:delete', { id: created.id }))
    expect(gone.code).toBe('not_found')
    expect(() => ws.rooms.open(created.id)).toThrow(/not found/)
  })
})

describe('the trainer controls', () => {
  it('start, pause, speed and jump move the scenario clock as asked, and refuse what cannot be', async () => {
    const runtime = await snowDrill()
    const h = runtime.handlers
    expect((await failure(ws.call(h, 'drill:pause', {}))).code).toBe('conflict')
    expect((await failure(ws.call(h, 'drill:start', { speed: 61 }))).code).toBe('invalid_input')
    expect((await failure(ws.call(h, 'drill:start', { speed: 0.5 }))).code).toBe('invalid_input')

    await ws.call(h, 'drill:start', { speed: 30 })
    expect((await failure(ws.call(h, 'drill:start', { speed: 30 }))).code).toBe('conflict')
    time.advance(2000)
    expect(runtime.status().scenarioMs).toBe(MIN)

    const paused = await ws.call(h, 'drill:pause', {})
    expect(paused.state).toBe('paused')
    time.advance(60_000)
    expect(runtime.status().scenarioMs).toBe(MIN)

    await ws.call(h, 'drill:resume', {})
    await ws.call(h, 'drill:setSpeed', { speed: 1 })
    time.advance(1000)
    expect(runtime.status()).toMatchObject({ speed: 1, scenarioMs: MIN + 1000 })

    const back = await failure(ws.call(h, 'drill:jump', { to: 'T+0:00' }))
    expect(back).toMatchObject({ code: 'invalid_input', message: /only jump forward/ })
    expect((await failure(ws.call(h, 'drill:jump', { to: 'domani' }))).code).toBe('invalid_input')
    const jumped = await ws.call(h, 'drill:jump', { to: 'T+0:30' })
    expect(jumped.scenarioMs).toBe(30 * MIN)
    expect(jumped.fired.filter((f) => f.trigger === 'jump').map((f) => f.eventId)).toContain(
      'prime-domande',
    )

    const stopped = await ws.call(h, 'drill:stop', {})
    expect(stopped.state).toBe('ended')
    expect((await failure(ws.call(h, 'drill:resume', {}))).code).toBe('conflict')
    expect(runtime.status().upcoming.length).toBeGreaterThan(0)
  })

  it('injects an event by hand, after checking its shape and the names it uses', async () => {
    const runtime = await snowDrill()
    const h = runtime.handlers
    await ws.call(h, 'drill:start', { speed: 60 })

    const shapeless = await failure(
      ws.call(h, 'drill:inject', { event: { type: 'earthquake', magnitude: 5 } }),
    )
    expect(shapeless.code).toBe('invalid_input')
    expect(shapeless.issues).toContainEqual(
      expect.objectContaining({
        path: 'event.type',
        params: expect.objectContaining({ scenarioIssue: 'unknown_event_type' }),
      }),
    )
    const misspelt = await failure(
      ws.call(h, 'drill:inject', {
        event: {
          type: 'channel_fault',
          channel: 'X Protezione Civlie',
          fault: 'down',
          duration: '5m',
        },
      }),
    )
    expect(misspelt.issues).toEqual([
      expect.objectContaining({
        path: 'event.channel',
        params: expect.objectContaining({
          scenarioIssue: 'unknown_channel',
          suggestion: 'X Protezione Civile',
        }),
      }),
    ])

    const realInbox = await ws.call(ws.real, 'citizens:page', {})
    const after = await ws.call(h, 'drill:inject', {
      event: {
        id: 'voce-diga',
        type: 'citizen_messages',
        channel: 'x',
        category: 'rumour',
        messages: ['Dicono che la diga di Bilancino sta per cedere', 'È vero della diga?'],
      },
    })
    await runtime.idle()
    const injected = after.fired.find((f) => f.eventId === 'voce-diga')
    expect(injected).toMatchObject({ origin: 'injected', index: null })
    const inbox = await ws.call(h, 'citizens:page', {})
    expect(inbox.items.map((m) => m.text)).toEqual(
      expect.arrayContaining([
        'È vero della diga?',
        'Dicono che la diga di Bilancino sta per cedere',
      ]),
    )
    expect(inbox.items.find((m) => m.text.startsWith('Dicono'))?.category).toBe('voce')
    // The real room's inbox did not change.
    expect(await ws.call(ws.real, 'citizens:page', {})).toEqual(realInbox)

    // A bulletin by hand is raised like a polled one, with the template of its kind and level.
    const raised: string[] = []
    runtime.core.events.on('feeds:alert', (a) =>
      raised.push(`${a.draft.kind}:${a.draft.templateId}`),
    )
    await ws.call(h, 'drill:inject', {
      event: {
        type: 'bulletin',
        source: 'Centro Funzionale Regione Toscana',
        level: 'arancione',
        kind: 'vento',
        comuni: ['Vinci', 'Empoli'],
        headline: 'Vento forte sull’Arno',
        description: 'Raffiche fino a 90 km/h lungo la valle dell’Arno.',
        onset: 'T+2:00',
        expires: 'T+20:00',
      },
    })
    await runtime.idle()
    expect(raised).toEqual(['vento:vento-arancione'])

    // The same id twice is refused: checkpoints count on ids.
    const again = await failure(
      ws.call(h, 'drill:inject', { event: { id: 'voce-diga', type: 'note', text: 'di nuovo' } }),
    )
    expect(again.code).toBe('conflict')
  })

  it('prefixes every message with the marker as configured for the drill', async () => {
    const runtime = await snowDrill()
    const h = runtime.handlers
    await ws.call(h, 'settings:update', { drillMarker: '[PROVA] ' })
    await ws.call(h, 'drill:start', { speed: 60 })
    const sms = (await ws.call(h, 'channels:list', {})).find((a) => a.name === 'SMS Circondario')!
    const lists = await ws.call(h, 'lists:list', {})
    const alert = await ws.call(
      h,
      'alerts:createDraft',
      {
        draft: {
          kind: 'neve',
          level: 'giallo',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-01-13T18:00:00Z',
          validTo: '2026-01-14T18:00:00Z',
          headline: 'Neve',
          targets: { accountIds: [sms.id], listIds: lists.map((l) => l.id) },
        },
      },
      'Allievo',
    )
    // Typed by hand, with no marker at all.
    await ws.call(h, 'alerts:updateDraft', {
      id: alert.id,
      patch: { texts: { sms: 'Domani neve in collina, prudenza.' } },
    })
    await ws.call(h, 'alerts:confirm', {
      id: alert.id,
      confirmation: 'INVIA',
      cancelWindowSeconds: 0,
    })
    for (let i = 0; i < 200 && runtime.registry.sent().length < 3; i++)
      await new Promise((r) => setTimeout(r, 25))
    const texts = runtime.registry.sent().map((s) => s.message.text)
    expect(texts).toHaveLength(3)
    expect(new Set(texts)).toEqual(new Set(['[PROVA] Domani neve in collina, prudenza.']))
    // The real workspace kept its own wording.
    expect((await ws.call(ws.real, 'settings:get', {})).drillMarker.trim()).toBe('ESERCITAZIONE -')
  })
})

describe('a drill after the fact', () => {
  it('a drill whose room closed while running is over, and its report is built from its file', async () => {
    const runtime = await snowDrill()
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    await ws.call(runtime.handlers, 'drill:jump', { to: 'T+1:00' })
    await runtime.idle()
    await ws.rooms.close(runtime.id)

    const reopened = ws.rooms.open(runtime.id)
    const status = reopened.status()
    expect(status.state).toBe('ended')
    expect(status.scenarioMs).toBe(60 * MIN)
    expect(status.fired.map((f) => f.eventId)).toContain('arancione-neve')
    const report = await ws.call(reopened.handlers, 'drill:report', {})
    expect(report.final).toBe(true)
    expect(report.publications.map((p) => p.eventId)).toEqual(['giallo-neve', 'arancione-neve'])
    expect((await failure(ws.call(reopened.handlers, 'drill:start', { speed: 1 }))).code).toBe(
      'conflict',
    )
  })

  it('compares the report with earlier drills of the same scenario', async () => {
    const first = await snowDrill()
    await ws.call(first.handlers, 'drill:start', { speed: 60 })
    await ws.call(first.handlers, 'journal:addNote', { text: 'Inizio turno' }, 'Allievo')
    await ws.call(first.handlers, 'drill:jump', { to: 'T+1:10' })
    await ws.call(first.handlers, 'journal:addNote', { text: 'Arancione!' }, 'Allievo')
    await ws.call(first.handlers, 'drill:stop', {})
    time.advance(1000)
    const never = await snowDrill() // created, never started: not a comparison
    time.advance(1000)
    const second = await snowDrill()
    await ws.call(second.handlers, 'drill:start', { speed: 60 })
    await ws.call(second.handlers, 'drill:stop', {})

    const report = await ws.call(second.handlers, 'drill:report', {})
    expect(report.earlier.map((e) => e.id)).toEqual([first.id])
    expect(report.earlier.map((e) => e.id)).not.toContain(never.id)
    const diary = report.earlier[0]?.checkpoints.find((c) => c.id === 'diario-arancione')
    expect(diary?.status).toBe('met')
    expect(report.checkpoints.find((c) => c.id === 'diario-arancione')?.status).toBe('not_reached')
    const html = Buffer.from(
      (await ws.call(second.handlers, 'drill:export', { format: 'html' })).base64,
      'base64',
    ).toString('utf8')
    expect(html).toContain('Confronto con le esercitazioni precedenti')
    expect(html).toContain('Rispettato')
  })

  it('prints the report to PDF with the machine’s Chromium', async () => {
    const runtime = await snowDrill()
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    await ws.call(runtime.handlers, 'drill:stop', {})
    const pdf = await ws.call(runtime.handlers, 'drill:export', { format: 'pdf' })
    expect(pdf).toMatchObject({ contentType: 'application/pdf', fileName: /\.pdf$/ })
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-')
  }, 60_000)
})
