import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'

let time: FakeTime
let ws: DrillWorkspace

beforeEach(async () => {
  time = createFakeTime(Date.UTC(2026, 0, 13, 12, 0, 0))
  ws = await createDrillWorkspace({ time })
})
afterEach(async () => {
  await ws.dispose()
})

describe('a drill ended mid-send', () => {
  it('sends nothing more: an alert in its cancel window is cancelled, not sent when the window closes', async () => {
    const item = await ws.call(ws.real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
    const runtime = await ws.rooms.open(item.id)
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    const [accounts, lists] = await Promise.all([
      ws.call(runtime.handlers, 'channels:list', {}),
      ws.call(runtime.handlers, 'lists:list', {}),
    ])
    const sms = accounts.find((a) => a.name === 'SMS Circondario')!
    const alert = await ws.call(
      runtime.handlers,
      'alerts:createDraft',
      {
        draft: {
          kind: 'neve',
          level: 'arancione',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-01-13T12:00:00.000Z',
          validTo: '2026-01-14T12:00:00.000Z',
          headline: 'Neve in collina',
          texts: { sms: 'Neve in collina: prudenza' },
          targets: { accountIds: [sms.id], listIds: lists.map((l) => l.id) },
        },
      },
      'Allievo',
    )
    await ws.call(
      runtime.handlers,
      'alerts:confirm',
      { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 30 },
      'Allievo',
    )
    expect((await ws.call(runtime.handlers, 'alerts:get', { id: alert.id })).status).toBe(
      'scheduled',
    )

    await ws.call(runtime.handlers, 'drill:stop', {})
    expect((await ws.call(runtime.handlers, 'alerts:get', { id: alert.id })).status).toBe(
      'cancelled',
    )
    // Well past the window, with the dispatcher running: nothing left.
    time.advance(60_000)
    await new Promise((r) => setTimeout(r, 600))
    expect(runtime.registry.sent()).toHaveLength(0)
  })
})
