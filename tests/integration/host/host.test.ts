import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startHost, type RunningHost } from '../../../src/main/host/server'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let host: RunningHost
let renderer: string

beforeEach(async () => {
  t = createTestCore()
  renderer = mkdtempSync(join(tmpdir(), 'vedetta-renderer-'))
  mkdirSync(join(renderer, 'assets'))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vedetta</title>')
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(t.dataDir, 'outside.txt'), 'not for the browser')
  host = await startHost({ core: t.core, rendererDir: renderer })
})
afterEach(async () => {
  await host.close()
  t.dispose()
  rmSync(renderer, { recursive: true, force: true })
})

function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path,
          headers: { host: `127.0.0.1:${host.port}`, ...headers },
        },
        (res) => {
          let body = ''
          res.on('data', (d) => (body += d))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        },
      )
      req.on('error', reject)
      req.end()
    },
  )
}

function connect(query: string, headers: Record<string, string> = {}) {
  return new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, { headers })
}

const opened = (ws: WebSocket) =>
  new Promise<'open' | number>((resolve) => {
    ws.once('open', () => resolve('open'))
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })

function ask(ws: WebSocket, id: number, command: string, payload: unknown) {
  return new Promise<Record<string, unknown>>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(data.toString())
      if (msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, command, payload }))
  })
}

describe('loopback host', () => {
  it('listens on 127.0.0.1 and prints a URL with its token', () => {
    expect(host.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[\\w-]{20,}$`),
    )
  })

  it('serves the page only with the token, then by cookie, with a strict CSP', async () => {
    const refused = await get('/')
    expect(refused.status).toBe(401)
    // A page that says what to do, in Italian first and in English.
    expect(refused.body).toContain('<html lang="it">')
    expect(refused.body).toContain('Apri l’indirizzo completo, con la sua chiave')
    expect(refused.body).toContain('<section lang="en">')
    expect(refused.body).not.toContain('<script')
    expect((await get('/?token=wrong')).status).toBe(401)
    // The token is traded for the cookie (token-exchange.test.ts), then the page is served by it.
    const first = await get(`/?token=${host.token}`)
    expect(first.status).toBe(303)
    const cookie = String(first.headers['set-cookie']).split(';')[0]!
    const page = await get('/', { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Vedetta</title>')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    // The page's socket may reach this host's port, and no other.
    expect(csp).toContain(
      `connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port};`,
    )
    expect(csp).not.toContain(':*')
    expect((await get('/assets/app.js', { cookie })).status).toBe(200)
    expect((await get('/assets/app.js')).status).toBe(401)
  })

  it('refuses paths outside the renderer and foreign Host headers', async () => {
    const cookie = `vedetta_${host.port}=${host.token}`
    expect((await get('/../outside.txt', { cookie })).status).toBe(404)
    expect((await get('/%2e%2e/%2e%2e/etc/passwd', { cookie })).status).toBe(404)
    expect((await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` })).status).toBe(
      421,
    )
  })

  it('refuses sockets without the token, with a wrong one, or from another origin', async () => {
    expect(await opened(connect(''))).toBe(403)
    expect(await opened(connect('?token=nope'))).toBe(403)
    expect(await opened(connect(`?token=${host.token}`, { origin: 'https://evil.example' }))).toBe(
      403,
    )
  })

  it('answers commands, typed errors included, and pushes events in batches', async () => {
    const ws = connect(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })
    expect(await opened(ws)).toBe('open')
    const events: unknown[] = []
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString())
      if (m.events) events.push(m.events)
    })
    expect(await ask(ws, 1, 'channels:list', {})).toEqual({ id: 1, ok: true, value: [] })
    const bad = await ask(ws, 2, 'channels:create', { kind: 'fax' })
    expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'invalid_input' } })
    const created = await ask(ws, 3, 'channels:create', {
      kind: 'telegram',
      name: 'Canale allerte',
      settings: { baseUrl: 'https://api.telegram.org', chatId: '@allerte_circondario' },
      secrets: { botToken: '123456789:AAFakeTokenForTestsOnly_abcdefghijk' },
    })
    expect(created).toMatchObject({
      ok: true,
      value: { name: 'Canale allerte', secrets: { botToken: true } },
    })
    await ask(ws, 4, 'channels:update', {
      id: (created.value as { id: number }).id,
      enabled: false,
    })
    type Pushed = { name: string }
    const changes = () => (events as Pushed[][]).flat().filter((e) => e.name === 'channels:changed')
    await expect.poll(() => changes().length).toBe(2)
    // Events travel in batches: fewer socket messages than events (each change also journals).
    const all = (events as Pushed[][]).flat()
    expect(all.map((e) => e.name)).toEqual(
      expect.arrayContaining(['channels:changed', 'journal:added']),
    )
    expect(events.length).toBeLessThan(all.length)
    ws.close()
  })

  it('answers a malformed message with an error instead of dropping the socket', async () => {
    const ws = connect(`?token=${host.token}`)
    await opened(ws)
    const reply = new Promise<Record<string, unknown>>((resolve) =>
      ws.once('message', (d) => resolve(JSON.parse(d.toString()))),
    )
    ws.send('{not json')
    expect(await reply).toMatchObject({ id: null, ok: false, error: { code: 'invalid_input' } })
    expect(await ask(ws, 9, 'system:info', {})).toMatchObject({
      ok: true,
      value: { shell: 'host', mode: 'real' },
    })
    ws.close()
  })
})
