import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { AlertProgress } from '../../../src/shared/alerts/views'
import { ApiError, type VedettaApi } from '../../../src/shared/contract'
import { createCore, type Core } from '../../../src/main/core/app'
import { createSimulatedAdapter } from '../../../src/main/core/channels/adapters/simulated'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { startHost, type RunningHost } from '../../../src/main/host/server'
import { createDispatch } from '../../../src/main/transport/dispatch'
import { apiFromBridge } from '../../../src/renderer/src/api/envelope'
import { onResync, resyncAll } from '../../../src/renderer/src/api/resync'
import {
  createWsBridge,
  type ConnectionState,
  type OpenSocket,
} from '../../../src/renderer/src/api/ws-bridge'
import { connectHostApi, type HostApi } from '../../support/host-api'

/**
 * The page's own socket bridge and resync hooks, in Node, against the real
 * host and core: the socket dies in the middle of a send, the send ends while
 * the page is away, and the page's board must end exactly as the core says.
 */

const RECIPIENTS = 40
let dataDir: string
let renderer: string
let core: Core
let host: RunningHost
let truth: HostApi

function openCore(): Core {
  return createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../../resources'),
    // 25 ms a message, and no delivery receipts: a send of 40 is over in about a second.
    adapters: (kind) => {
      const twin = createSimulatedAdapter(kind, {
        latencyMs: 25,
        limits: { concurrency: 1, ratePerSecond: 1000, burst: 1000 },
      })
      return {
        kind,
        simulated: true,
        idempotent: twin.idempotent,
        limits: twin.limits,
        send: twin.send,
        testConnection: twin.testConnection,
      }
    },
  })
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-reconnect-'))
  renderer = mkdtempSync(join(tmpdir(), 'vedetta-renderer-'))
  mkdirSync(join(renderer, 'assets'))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vedetta</title>')
  core = openCore()
  host = await startHost({ core, rendererDir: renderer })
  core.start()
  truth = await connectHostApi(host.url, 'Verifica')
})
afterEach(async () => {
  truth.close()
  await host.close()
  await core.shutdown()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(renderer, { recursive: true, force: true })
})

/** A network between the page and the host that the test can cut and mend. */
function network() {
  const live = new Set<WebSocket>()
  let down = false
  const open: OpenSocket = (url, on) => {
    // While cut, every attempt is refused at once, as with the host's machine unreachable.
    const ws = new WebSocket(down ? 'ws://127.0.0.1:1/ws' : url)
    live.add(ws)
    ws.on('open', () => on.open())
    ws.on('message', (data) => on.message(data.toString()))
    ws.on('error', () => undefined) // 'close' follows, and the bridge retries
    ws.on('close', () => {
      live.delete(ws)
      on.close()
    })
    return { isOpen: () => ws.readyState === WebSocket.OPEN, send: (text) => ws.send(text) }
  }
  return {
    open,
    cut() {
      down = true
      for (const ws of live) ws.terminate()
    },
    mend() {
      down = false
    },
  }
}

/** The page: the renderer's bridge and resync, with a board that follows one alert as the Consegne panel does. */
function page(url: string, net: ReturnType<typeof network>) {
  const states: ConnectionState[] = []
  let reconnects = 0
  const api: VedettaApi = apiFromBridge(
    createWsBridge(url, {
      open: net.open,
      onState: (s) => states.push(s),
      hello: () => ({ command: 'session:identify', payload: { operator: 'Giulia Neri' } }),
      onReconnect: () => {
        reconnects++
        resyncAll()
      },
    }),
  )
  const view = { board: undefined as AlertProgress | undefined, alertId: 0, reads: 0 }
  async function refresh() {
    const n = ++view.reads
    const board = await api['alerts:progress']({ id: view.alertId })
    if (n === view.reads) view.board = board // only the latest read counts
  }
  api.on('outbox:rows', (rows) => {
    if (rows.some((r) => r.alertId === view.alertId)) void refresh().catch(() => undefined)
  })
  const off = onResync(() => (view.alertId ? refresh() : undefined))
  return {
    api,
    view,
    states,
    refresh,
    reconnects: () => reconnects,
    close: off,
  }
}

async function alertTo(api: VedettaApi, recipients: number) {
  const csv = [
    'Nominativo;Cellulare;Comune',
    ...Array.from(
      { length: recipients },
      (_, i) => `Persona ${i};+39 333 ${String(1_000_000 + i).padStart(7, '0')};Empoli`,
    ),
  ].join('\r\n')
  await api['contacts:import']({
    fileName: 'famiglie.csv',
    content: Buffer.from(csv, 'utf8').toString('base64'),
    dryRun: false,
    list: 'Famiglie',
  })
  const account = await api['channels:create']({
    kind: 'sms_gateway',
    name: 'SMS famiglie',
    settings: {
      baseUrl: 'https://gateway.example/API/v1.0/REST/',
      username: 'pc-empolese',
      sender: 'ProtCiv',
      messageType: 'GP',
      pricePerSegment: '0,05',
    },
    secrets: { password: 'gateway-password-1' },
  })
  const list = (await api['lists:list']({})).find((l) => l.name === 'Famiglie')!
  const from = new Date(Date.now() - 60_000).toISOString()
  const to = new Date(Date.now() + 86_400_000).toISOString()
  return api['alerts:createDraft']({
    draft: {
      kind: 'neve',
      level: 'arancione',
      comuni: [{ name: 'Empoli' }],
      validFrom: from,
      validTo: to,
      headline: 'Allerta arancione per neve',
      texts: { sms: 'Allerta ARANCIONE neve su Empoli: evitate gli spostamenti.' },
      targets: { accountIds: [account.id], listIds: [list.id] },
    },
  })
}

const done = (b: AlertProgress | undefined) =>
  b ? b.totals.sent + b.totals.delivered + b.totals.failed + b.totals.uncertain : 0

describe('a page that loses its socket during a send', () => {
  it('catches up once connected again: its board ends exactly as the core says', async () => {
    const net = network()
    const p = page(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, net)
    const alert = await alertTo(p.api, RECIPIENTS)
    p.view.alertId = alert.id
    await p.refresh()
    await p.api['alerts:confirm']({ id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 })

    // Cut while the board shows the send under way.
    await expect.poll(() => done(p.view.board), { interval: 5 }).toBeGreaterThan(0)
    const inFlight = p.api['journal:list']({ limit: 1 })
    net.cut()
    const seenAtCut = done(p.view.board)
    expect(seenAtCut).toBeLessThan(RECIPIENTS)

    // A request that went out on the dead socket fails at once, not after two minutes.
    const lost = await inFlight.then(
      () => 'answered',
      (err: unknown) => (err instanceof ApiError ? err.code : String(err)),
    )
    expect(lost).toBe('unavailable')
    // A note written while away waits for the connection.
    const note = p.api['journal:addNote']({ text: 'Scritta mentre la rete era giù' })

    // The send ends while the page is away: every row sent, events nobody heard.
    await expect
      .poll(
        async () => {
          const b = await truth.call('alerts:progress', { id: alert.id })
          return `${b.status} ${b.totals.sent}`
        },
        { timeout: 20_000 },
      )
      .toBe(`done ${RECIPIENTS}`)
    expect(done(p.view.board)).toBe(seenAtCut)
    expect(p.states.at(-1)).toBe('closed')

    net.mend()
    await note
    expect(p.states.at(-1)).toBe('open')
    const final = await truth.call('alerts:progress', { id: alert.id })
    await expect.poll(() => p.view.board).toEqual(final)
    expect(p.view.board!.totals).toMatchObject({ sent: RECIPIENTS, queued: 0, sending: 0 })
    expect(p.reconnects()).toBe(1)

    // The note went out once, after the reconnection, under the operator's name.
    const notes = (await truth.call('journal:list', { limit: 50 })).filter(
      (e) => e.text === 'Scritta mentre la rete era giù',
    )
    expect(notes).toHaveLength(1)
    expect(notes[0]!.actor).toBe('Giulia Neri')
    p.close()
    net.cut()
  })

  it('comes back by itself after the host restarts with the same token, and catches up', async () => {
    const net = network()
    const p = page(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, net)
    const alert = await alertTo(p.api, 5)
    p.view.alertId = alert.id
    await p.refresh()
    await p.api['alerts:confirm']({ id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 600 })
    await p.refresh()
    expect(p.view.board!.status).toBe('scheduled')

    // The host goes away. Before the next one serves, the workspace changes (the alert is
    // cancelled by the core directly): no event can tell the page.
    const { port, token } = host
    truth.close()
    await host.close()
    await expect.poll(() => p.states.at(-1)).toBe('closed')
    await core.shutdown()
    core = openCore()
    const cancelled = await createDispatch(core.handlers)(
      'alerts:cancel',
      { id: alert.id },
      { operator: 'Marco Bini' },
    )
    expect(cancelled.ok).toBe(true)
    host = await startHost({ core, rendererDir: renderer, port, token })
    core.start()
    truth = await connectHostApi(host.url, 'Verifica')

    await expect.poll(() => p.states.at(-1), { timeout: 10_000 }).toBe('open')
    await expect.poll(() => p.view.board?.status).toBe('cancelled')
    expect(p.view.board).toEqual(await truth.call('alerts:progress', { id: alert.id }))
    expect(p.reconnects()).toBe(1)
    p.close()
    net.cut()
  })
})
