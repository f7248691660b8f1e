import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHost, type RunningHost } from '../../../src/main/host/server'
import type { Envelope } from '../../../src/shared/contract'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'

let ws: DrillWorkspace
let host: RunningHost
let renderer: string

beforeEach(async () => {
  ws = await createDrillWorkspace()
  renderer = mkdtempSync(join(tmpdir(), 'vedetta-renderer-'))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vedetta</title>')
  host = await startHost({ core: ws.core, rendererDir: renderer, drills: ws.rooms })
})
afterEach(async () => {
  await host.close()
  await ws.dispose()
  rmSync(renderer, { recursive: true, force: true })
})

interface Client {
  socket: WebSocket
  events: { name: string; payload: unknown }[]
  call(command: string, payload?: unknown): Promise<Envelope>
  closed: Promise<void>
}

/** A page's socket: `/ws?token=…[&drill=…]`; resolves to the HTTP status when refused. */
function connect(query: string): Promise<Client | number> {
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?${query}`)
  const events: Client['events'] = []
  const pending = new Map<number, (e: Envelope) => void>()
  let next = 1
  socket.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number; events?: Client['events'] } & Envelope
    if (msg.events) events.push(...msg.events)
    else if (typeof msg.id === 'number') pending.get(msg.id)?.(msg)
  })
  const closed = new Promise<void>((r) => socket.once('close', () => r()))
  return new Promise((resolve) => {
    socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.once('open', () =>
      resolve({
        socket,
        events,
        closed,
        call: (command, payload = {}) =>
          new Promise((done) => {
            const id = next++
            pending.set(id, done)
            socket.send(JSON.stringify({ id, command, payload }))
          }),
      }),
    )
  })
}

async function client(query: string): Promise<Client> {
  const c = await connect(query)
  if (typeof c === 'number') throw new Error(`refused with ${c}`)
  return c
}

const until = async (probe: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 20))
  if (!probe()) throw new Error(`timed out waiting for ${what}`)
}

describe('the host serves drills beside the real room', () => {
  it('binds a socket to the drill named in its address, and keeps the two rooms apart', async () => {
    const real = await client(`token=${host.token}`)
    const created = await real.call('drills:create', { scenarioId: 'neve-arancione-empolese' })
    expect(created.ok).toBe(true)
    const id = (created as { value: { id: string } }).value.id

    const drill = await client(`token=${host.token}&drill=${id}`)
    expect(await drill.call('system:info')).toMatchObject({ ok: true, value: { mode: 'drill' } })
    expect(await real.call('system:info')).toMatchObject({ ok: true, value: { mode: 'real' } })
    expect(await real.call('drill:status')).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    // The socket names its operator; the drill's journal says who wrote.
    await drill.call('session:identify', { operator: 'Allieva Giulia' })
    const note = await drill.call('journal:addNote', { text: 'Sala aperta' })
    expect(note).toMatchObject({ ok: true, value: { actor: 'Allieva Giulia' } })

    expect(await drill.call('drill:start', { speed: 60 })).toMatchObject({
      ok: true,
      value: { state: 'running' },
    })
    await drill.call('drill:jump', { to: 'T+0:10' })
    await until(
      () => drill.events.some((e) => e.name === 'feeds:alert'),
      'the yellow bulletin on the drill socket',
    )
    expect(drill.events.map((e) => e.name)).toEqual(
      expect.arrayContaining(['drill:tick', 'drill:fired', 'journal:added']),
    )
    // The real room heard that a drill changed state, and nothing of its world.
    expect(real.events.map((e) => e.name)).toContain('drills:changed')
    expect(
      real.events.filter((e) => !['drills:changed'].includes(e.name)).map((e) => e.name),
    ).toEqual([])
    const list = await real.call('drills:list')
    expect(list).toMatchObject({ ok: true, value: [{ id, state: 'running', open: true }] })

    // Deleting the drill from the real room closes its sockets.
    expect(await real.call('drills:delete', { id })).toMatchObject({ ok: true })
    await drill.closed
    real.socket.close()
  })

  it('refuses a drill that does not exist, and any drill socket without the token', async () => {
    expect(await connect(`token=${host.token}&drill=20990101-000000-beef`)).toBe(404)
    expect(await connect(`token=${host.token}&drill=..%2F..%2Fworkspace`)).toBe(404)
    expect(await connect(`drill=20990101-000000-beef`)).toBe(403)
    expect(await connect(`token=wrong&drill=20990101-000000-beef`)).toBe(403)
  })
})
