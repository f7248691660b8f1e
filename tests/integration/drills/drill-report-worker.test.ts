import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BulletinAlertView } from '../../../src/shared/contract/feeds'
import { readDrillHistory } from '../../../src/main/core/drill-runtime/drill-log'
import { renderReportHtml } from '../../../src/main/core/drill-runtime/report-html'
import { scenarioTimeOfIso } from '../../../src/main/core/drill-runtime/time-map'
import type * as RunJob from '../../../src/main/core/workers/run-job'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'

/** Every job the core starts, by name: the report must be one of them. */
const started = vi.hoisted(() => [] as string[])
vi.mock('../../../src/main/core/workers/run-job', async (importOriginal) => {
  const real = await importOriginal<typeof RunJob>()
  return {
    ...real,
    startJob: ((job, input, onProgress) => {
      started.push(job)
      return real.startJob(job, input, onProgress)
    }) as typeof real.startJob,
  }
})

let time: FakeTime
let ws: DrillWorkspace

beforeEach(async () => {
  time = createFakeTime(Date.UTC(2026, 0, 13, 12, 0, 0))
  ws = await createDrillWorkspace({ time })
  started.length = 0
})
afterEach(async () => {
  await ws.dispose()
})

async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (probe()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('the drill report, built off the core’s event loop', () => {
  it('is the very report and HTML made in place, for a running drill and an ended one', async () => {
    const item = await ws.call(ws.real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
    const runtime = ws.rooms.open(item.id)
    const alerts: BulletinAlertView[] = []
    runtime.core.events.on('feeds:alert', (a) => alerts.push(a))
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    await ws.call(runtime.handlers, 'drill:jump', { to: 'T+0:59' })
    await runtime.idle()
    await until(() => alerts.length > 0, 'the yellow bulletin')

    // The team confirms the draft (a map card in the export) and writes in the journal.
    const d = alerts[0]!.draft
    const accounts = await ws.call(runtime.handlers, 'channels:list', {})
    const lists = await ws.call(runtime.handlers, 'lists:list', {})
    const alert = await ws.call(
      runtime.handlers,
      'alerts:createDraft',
      {
        draft: {
          kind: d.kind,
          level: d.level,
          comuni: d.comuni.map((name) => ({ name })),
          validFrom: d.validFrom,
          validTo: d.validTo,
          headline: d.headline,
          targets: {
            accountIds: accounts.filter((a) => a.name === 'SMS Circondario').map((a) => a.id),
            listIds: lists.map((l) => l.id),
            partnerIds: [],
          },
        },
      },
      'Allievo',
    )
    await ws.call(
      runtime.handlers,
      'alerts:applyTemplate',
      { id: alert.id, templateId: d.templateId ?? 'neve-giallo' },
      'Allievo',
    )
    await ws.call(
      runtime.handlers,
      'alerts:confirm',
      { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 },
      'Allievo',
    )
    await until(() => runtime.registry.sent().length >= 2, 'the SMS out')
    await ws.call(runtime.handlers, 'journal:addNote', { text: 'Gialla: avvisati i sindaci' })

    // Running: the worker's report is the one made on this thread.
    const running = await ws.call(runtime.handlers, 'drill:report', {})
    expect(started).toContain('drill:report')
    expect(running.final).toBe(false)
    expect(running).toEqual(runtime.report())

    await ws.call(runtime.handlers, 'drill:stop', {})
    const ended = await ws.call(runtime.handlers, 'drill:report', {})
    expect(ended.final).toBe(true)
    expect(ended).toEqual(runtime.report())

    // The export: byte for byte the HTML renderReportHtml writes in place, map card and all.
    started.length = 0
    const exported = await ws.call(runtime.handlers, 'drill:export', { format: 'html' })
    expect(started).toContain('drill:report')
    const map = await ws.call(runtime.handlers, 'maps:alert', { id: alert.id, variant: 'card' })
    const view = (await ws.call(runtime.handlers, 'alerts:list', { limit: 10 })).find(
      (a) => a.id === alert.id,
    )!
    const html = Buffer.from(exported.base64, 'base64').toString('utf8')
    expect(html).toContain(`data-alert="${alert.id}"`)
    const confirmedAt = scenarioTimeOfIso(
      readDrillHistory(runtime.core.db).segments,
      view.confirmedAt,
    )
    expect(html).toBe(
      renderReportHtml(runtime.report(), {
        maps: [
          {
            alertId: alert.id,
            msgType: view.msgType,
            confirmedAt,
            svg: map.svg,
            width: map.width,
            height: map.height,
            alt: map.alt,
          },
        ],
      }),
    )
  })
})
