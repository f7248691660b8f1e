import { afterEach, describe, expect, it } from 'vitest'
import type { DrillRuntime } from '../../../src/main/core/drill-runtime'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'

let time: FakeTime
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** Real-time wait for the drill core's dispatcher, moving the drill's wall clock a second at a time. */
async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe()
    if (value) return value
    time.advance(1000)
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const FUCECCHIO = 'Residenti — Fucecchio'

/**
 * The snow workspace with a dynamic list (the families of Fucecchio, by comune, as the
 * demo's lists are made) and its SMS gateway switched off, then a drill made of it.
 */
async function drillWithDynamicList(): Promise<{ ws: DrillWorkspace; runtime: DrillRuntime }> {
  time = createFakeTime(Date.UTC(2026, 0, 13, 12, 0, 0))
  const ws = await createDrillWorkspace({ time })
  cleanups.push(() => ws.dispose())
  const comuni = await ws.call(ws.real, 'comuni:list', {})
  const fucecchio = comuni.filter((c) => c.name === 'Fucecchio').map((c) => c.id)
  await ws.call(ws.real, 'lists:create', {
    list: { kind: 'dynamic', name: FUCECCHIO, filter: { comuneIds: fucecchio } },
  })
  const sms = (await ws.call(ws.real, 'channels:list', {})).find(
    (a) => a.name === 'SMS Circondario',
  )!
  await ws.call(ws.real, 'channels:update', { id: sms.id, enabled: false })
  const item = await ws.call(ws.real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
  return { ws, runtime: ws.rooms.open(item.id) }
}

describe('a drill’s simulated accounts, coverage and checkpoints', () => {
  it('before the start every checkpoint is waiting, in the room and in the report', async () => {
    const { ws, runtime } = await drillWithDynamicList()
    const status = await ws.call(runtime.handlers, 'drill:status', {})
    expect(status.state).toBe('ready')
    expect(status.checkpoints.length).toBeGreaterThan(3)
    expect(status.checkpoints.map((c) => c.status)).toEqual(status.checkpoints.map(() => 'pending'))
    const report = await ws.call(runtime.handlers, 'drill:report', {})
    expect(new Set(report.checkpoints.map((c) => c.status))).toEqual(new Set(['pending']))
    const html = Buffer.from(
      (await ws.call(runtime.handlers, 'drill:export', { format: 'html' })).base64,
      'base64',
    ).toString('utf8')
    expect(html).toContain('In attesa')
    expect(html).not.toContain('Non raggiunto')
  })

  it('a simulated account is enabled without its secret, and coverage counts what it sent', async () => {
    const { ws, runtime } = await drillWithDynamicList()
    const accounts = await ws.call(runtime.handlers, 'channels:list', {})
    const sms = accounts.find((a) => a.name === 'SMS Circondario')!
    // The drill copied no secret; its twin needs none.
    expect(sms.secrets).toEqual({ password: false })
    const enabled = await ws.call(runtime.handlers, 'channels:update', {
      id: sms.id,
      enabled: true,
    })
    expect(enabled.enabled).toBe(true)

    await ws.call(runtime.handlers, 'drill:start', { speed: 1 })
    const list = (await ws.call(runtime.handlers, 'lists:list', {})).find(
      (l) => l.name === FUCECCHIO,
    )!
    const alert = await ws.call(
      runtime.handlers,
      'alerts:createDraft',
      {
        draft: {
          kind: 'neve',
          level: 'arancione',
          comuni: [{ name: 'Fucecchio' }],
          validFrom: new Date(time.now()).toISOString(),
          validTo: new Date(time.now() + 86_400_000).toISOString(),
          headline: 'Allerta arancione per neve',
          targets: { accountIds: [sms.id], listIds: [list.id], partnerIds: [] },
        },
      },
      'Allievo',
    )
    await ws.call(
      runtime.handlers,
      'alerts:applyTemplate',
      { id: alert.id, templateId: 'neve-arancione' },
      'Allievo',
    )
    await ws.call(
      runtime.handlers,
      'alerts:confirm',
      { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 },
      'Allievo',
    )
    const sent = await until(() => {
      const n = runtime.registry.sent().length
      return n >= 2 && n
    }, 'the SMS to the families of Fucecchio')
    const report = await ws.call(runtime.handlers, 'drill:report', {})
    expect(report.coverage.lists.find((l) => l.name === FUCECCHIO)).toEqual({
      listId: list.id,
      name: FUCECCHIO,
      members: 2,
      sent,
      reached: 2,
    })
  })
})
