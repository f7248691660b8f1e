import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCore, type CoreOptions } from '../../../src/main/core/app'
import { seedDemoWorkspace } from '../../../src/main/core/demo/seed-demo'
import { createDrillRooms, type DrillRuntime } from '../../../src/main/core/drill-runtime'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import type { CitizenMessage } from '../../../src/shared/citizens/types'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { createDrillWorkspace, RESOURCES, type DrillWorkspace } from './drill-workspace'

let time: FakeTime

/**
 * Real-time wait for the drill core's dispatcher (it polls on real timers),
 * moving the drill's wall clock a second at a time so the channels' rate limits refill.
 */
async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  tick = () => time.advance(1000),
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe()
    if (value) return value
    tick()
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function snowWorkspace(): Promise<DrillWorkspace> {
  time = createFakeTime()
  const ws = await createDrillWorkspace({ time })
  cleanups.push(() => ws.dispose())
  return ws
}

/** The snow drill, jumped to just after the first three Facebook questions. */
async function snowDrillAtFirstQuestions(ws: DrillWorkspace): Promise<DrillRuntime> {
  const item = await ws.call(ws.real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
  const runtime = ws.rooms.open(item.id)
  await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
  await ws.call(runtime.handlers, 'drill:jump', { to: 'T+0:59' })
  await runtime.idle()
  // Real time from here: the orange bulletin (T+1:00) must not come while the test waits.
  await ws.call(runtime.handlers, 'drill:setSpeed', { speed: 1 })
  return runtime
}

const accountNamed = async (ws: DrillWorkspace, runtime: DrillRuntime, name: string) => {
  const account = (await ws.call(runtime.handlers, 'channels:list', {})).find(
    (a) => a.name === name,
  )
  if (!account) throw new Error(`no account ${name}`)
  return account
}

describe('a trainee answers the scenario’s citizens', () => {
  it('each answer reaches the citizen on the simulated channel and counts in the report', async () => {
    const ws = await snowWorkspace()
    const runtime = await snowDrillAtFirstQuestions(ws)
    const facebook = await accountNamed(ws, runtime, 'Facebook Protezione Civile')
    const inbox = (await ws.call(runtime.handlers, 'citizens:page', {})).items
    expect(inbox.map((m) => m.authorName).sort()).toEqual(['Franco B.', 'Lucia M.', 'Sara T.'])

    for (const m of inbox) {
      const answered = await ws.call(
        runtime.handlers,
        'citizens:reply',
        { id: m.id, text: `Vale per tutto il Circondario, ${m.authorName}.` },
        'Allievo',
      )
      expect(answered.message.state).toBe('risposto')
    }

    // On the page's twin, each one a comment under the citizen's own, marked as a drill.
    const replies = await until(() => {
      const r = runtime.registry.sent().filter((s) => s.message.inReplyTo !== undefined)
      return r.length === 3 ? r : undefined
    }, 'three replies on the Facebook twin')
    expect(replies.every((s) => s.accountId === facebook.id)).toBe(true)
    expect(replies.map((s) => s.message.inReplyTo).sort()).toEqual(
      inbox.map((m) => m.externalId).sort(),
    )
    for (const s of replies) {
      expect(s.message.destination).toEqual({ type: 'page' })
      expect(s.message.text).toMatch(/^ESERCITAZIONE - Vale per tutto il Circondario/)
    }

    await ws.call(runtime.handlers, 'drill:stop', {})
    const report = await ws.call(runtime.handlers, 'drill:report', {})
    expect(report.citizens).toMatchObject({ received: 3, answered: 3 })
    expect(report.citizens.byEvent.find((g) => g.eventId === 'prime-domande')).toMatchObject({
      received: 3,
      answered: 3,
    })
    expect(report.timeline.filter((e) => e.what === 'reply')).toHaveLength(3)
  })

  it('messages on a channel switched off keep it, and can be answered once it is on', async () => {
    const ws = await snowWorkspace()
    const real = (await ws.call(ws.real, 'channels:list', {})).find(
      (a) => a.name === 'Facebook Protezione Civile',
    )!
    await ws.call(ws.real, 'channels:update', { id: real.id, enabled: false })
    const runtime = await snowDrillAtFirstQuestions(ws)
    const facebook = await accountNamed(ws, runtime, 'Facebook Protezione Civile')
    expect(facebook.enabled).toBe(false)

    const inbox = (await ws.call(runtime.handlers, 'citizens:page', {})).items
    expect(inbox).toHaveLength(3)
    expect(inbox.every((m) => m.accountId === facebook.id)).toBe(true)
    // The refusal names the switched-off channel, not an account that "no longer exists".
    await expect(
      ws.call(runtime.handlers, 'citizens:reply', { id: inbox[0]!.id, text: 'Sì.' }, 'Allievo'),
    ).rejects.toThrow(/«Facebook Protezione Civile» is disabled/)

    await ws.call(runtime.handlers, 'channels:update', {
      id: facebook.id,
      enabled: true,
      secrets: { pageAccessToken: 'simulato' },
    })
    await ws.call(runtime.handlers, 'citizens:reply', { id: inbox[0]!.id, text: 'Sì.' }, 'Allievo')
    await until(
      () => runtime.registry.sent().some((s) => s.message.inReplyTo === inbox[0]!.externalId),
      'the reply on the Facebook twin',
    )
  })
  it('tells the trainer when the drill has no channel of the family citizens write on', async () => {
    const ws = await snowWorkspace()
    const runtime = await snowDrillAtFirstQuestions(ws)
    const after = await ws.call(runtime.handlers, 'drill:inject', {
      event: {
        type: 'citizen_messages',
        channel: 'mastodon',
        category: 'question',
        messages: ['Domani si va a scuola?'],
      },
    })
    await runtime.idle()
    const fired = runtime.status().fired.at(-1)
    expect(after.fired.length).toBeGreaterThan(0)
    expect(fired).toMatchObject({ type: 'citizen_messages', outcome: 'failed' })
    expect(fired?.error).toMatch(/nessun canale mastodon in questa esercitazione/)
    // The message is in the inbox all the same.
    const inbox = await ws.call(runtime.handlers, 'citizens:page', { family: 'mastodon' })
    expect(inbox.items.map((m) => m.text)).toEqual(['Domani si va a scuola?'])
  })
})

describe('drills on the demo workspace', () => {
  it('every scenario citizen can be answered, and the report counts them all', async () => {
    time = createFakeTime()
    const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-demo-drill-'))
    const base: CoreOptions = {
      dataDir,
      cipher: createKeyFileCipher(dataDir),
      shell: 'host',
      version: 'test',
      resourcesDir: RESOURCES,
      now: () => new Date(time.now()),
    }
    const core = createCore(base)
    // On the test's clock, so the twins' rate limits refill as it moves.
    const rooms = createDrillRooms({
      dataDir,
      time,
      openCore: (o) => createCore({ ...base, ...o, mode: 'drill' }),
    })
    cleanups.push(async () => {
      await rooms.closeAll()
      await core.shutdown()
      rmSync(dataDir, { recursive: true, force: true })
    })
    await seedDemoWorkspace(core.handlers, { contacts: 40 })
    const ctx = { operator: 'Allievo' }

    for (const scenarioId of ['neve-arancione-empolese', 'idraulico-rosso-arno']) {
      const item = await core.handlers['drills:create']({ scenarioId }, ctx)
      const runtime = rooms.open(item.id)
      const h = runtime.handlers
      await h['drill:start']({ speed: 60 }, ctx)
      await h['drill:jump']({ to: 'T+6:00' }, ctx)
      await runtime.idle()
      expect(runtime.status().fired.filter((f) => f.outcome === 'failed')).toEqual([])

      const inbox: CitizenMessage[] = (await h['citizens:page']({ limit: 200 }, ctx)).items
      expect([...new Set(inbox.map((m) => m.family))]).toEqual(
        expect.arrayContaining(['facebook', 'sms', 'x']),
      )
      for (const m of inbox) await h['citizens:reply']({ id: m.id, text: 'Grazie, ci siamo.' }, ctx)
      // Each one on the twin of the account it came in on.
      const sent = await until(
        () => runtime.registry.sent().length === inbox.length && runtime.registry.sent(),
        'every reply on its twin',
        () => time.advance(10_000),
      )
      expect(sent.map((s) => s.accountId).sort()).toEqual(inbox.map((m) => m.accountId).sort())

      h['drill:stop']({}, ctx)
      const report = await h['drill:report']({}, ctx)
      expect(report.citizens.received).toBe(inbox.length)
      expect(report.citizens.answered).toBe(inbox.length)
      await rooms.close(item.id)
    }
  })
})
