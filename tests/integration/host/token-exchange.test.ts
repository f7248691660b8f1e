import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { LAUNCH_CODE_TTL_MS } from '../../../src/main/host/launch-codes'
import { startHost, type RunningHost } from '../../../src/main/host/server'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let host: RunningHost
let renderer: string
let clock: number

beforeEach(async () => {
  t = createTestCore()
  renderer = mkdtempSync(join(tmpdir(), 'vedetta-renderer-'))
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Vedetta</title>')
  clock = Date.UTC(2026, 0, 15, 9, 0, 0)
  host = await startHost({ core: t.core, rendererDir: renderer, now: () => clock })
})
afterEach(async () => {
  await host.close()
  t.dispose()
  rmSync(renderer, { recursive: true, force: true })
})

interface Answer {
  status: number
  location: string | undefined
  setCookie: string[]
  body: string
}

/** One real HTTP request to the host, redirects not followed (a browser's first hop). */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        headers: { host: `127.0.0.1:${host.port}`, ...headers },
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (d: string) => (body += d))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            location: res.headers.location,
            setCookie: res.headers['set-cookie'] ?? [],
            body,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end()
  })
}

/** What a browser sends back: the cookie's name=value, without its attributes. */
const cookieOf = (answer: Answer) => answer.setCookie[0]!.split(';')[0]!

const socketStatus = (headers: Record<string, string>, query = '') =>
  new Promise<'open' | number>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, {
      headers: { origin: `http://127.0.0.1:${host.port}`, ...headers },
    })
    ws.once('open', () => {
      ws.close()
      resolve('open')
    })
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.once('error', () => resolve(-1))
  })

describe('the token in the address', () => {
  it('is traded on first load for an HttpOnly, SameSite=Strict cookie named for the port, then dropped from the address', async () => {
    const first = await get(`/?token=${host.token}`)
    expect(first.status).toBe(303)
    expect(first.location).toBe('/')
    expect(first.setCookie).toHaveLength(1)
    const attributes = first.setCookie[0]!.split(';').map((a) => a.trim())
    expect(attributes[0]).toBe(`vedetta_${host.port}=${host.token}`)
    expect(attributes.slice(1).sort()).toEqual(['HttpOnly', 'Path=/', 'SameSite=Strict'])
    expect(first.body).toBe('')

    // Where the browser lands: the page, by cookie, with no token anywhere in its address.
    const page = await get(first.location!, { cookie: cookieOf(first) })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>Vedetta</title>')
    expect(page.setCookie).toEqual([])
    // Without the cookie the clean address is refused.
    expect((await get('/')).status).toBe(401)
  })

  it('keeps the rest of the address: the path and a drill room', async () => {
    const room = await get(`/index.html?token=${host.token}&drill=20260115-090000-beef`)
    expect(room.status).toBe(303)
    expect(room.location).toBe('/index.html?drill=20260115-090000-beef')
    // `//elsewhere` after the exchange would send the browser to another site.
    const odd = await get(`/x/..//evil.example/?token=${host.token}`)
    expect(odd.status).toBe(303)
    expect(odd.location).toBe('/evil.example/')
  })

  it('refuses a wrong token, and does not set a cookie for it', async () => {
    const wrong = await get('/?token=wrong')
    expect(wrong.status).toBe(401)
    expect(wrong.setCookie).toEqual([])
    expect(wrong.body).toContain('Apri l’indirizzo completo, con la sua chiave')
  })

  it('refuses a cookie named for another port, even with the right token in it', async () => {
    const other = `vedetta_${host.port === 65535 ? 65534 : host.port + 1}=${host.token}`
    const page = await get('/', { cookie: other })
    expect(page.status).toBe(401)
    expect(page.body).toContain('Apri l’indirizzo completo, con la sua chiave')
    expect(await socketStatus({ cookie: other })).toBe(403)
    // The old name, shared by every port, counts for nothing either.
    expect((await get('/', { cookie: `vedetta_token=${host.token}` })).status).toBe(401)
    expect((await get('/', { cookie: `vedetta_${host.port}=wrong` })).status).toBe(401)
    // This port's cookie, among others a browser sends to 127.0.0.1, opens page and socket.
    const mine = `${other}; vedetta_${host.port}=${host.token}`
    expect((await get('/', { cookie: mine })).status).toBe(200)
    expect(await socketStatus({ cookie: mine })).toBe('open')
  })
})

describe('the launch code a browser window is opened with', () => {
  it('carries no token, and is traded for the cookie once', async () => {
    const launch = host.launchUrl()
    expect(launch).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?launch=[\\w-]{20,}$`),
    )
    expect(launch).not.toContain(host.token)
    const path = new URL(launch).pathname + new URL(launch).search

    const first = await get(path)
    expect(first.status).toBe(303)
    expect(first.location).toBe('/')
    expect(first.setCookie[0]).toBe(
      `vedetta_${host.port}=${host.token}; HttpOnly; SameSite=Strict; Path=/`,
    )
    expect((await get('/', { cookie: cookieOf(first) })).status).toBe(200)

    // Read off the command line and tried again: refused, with a page that says what to do.
    const again = await get(path)
    expect(again.status).toBe(401)
    expect(again.setCookie).toEqual([])
    expect(again.body).toContain(
      'Questo link di avvio è già stato usato: riapri Vedetta dal terminale',
    )
    expect(again.body).toContain('<section lang="en">')
    expect(again.body).not.toContain('<script')

    // The window that spent it reloads with its cookie: just sent on to the page.
    const reload = await get(path, { cookie: cookieOf(first) })
    expect(reload.status).toBe(303)
    expect(reload.location).toBe('/')
    expect(reload.setCookie).toEqual([])
  })

  it('expires after its few seconds, used or not', async () => {
    const late = new URL(host.launchUrl())
    const inTime = new URL(host.launchUrl())
    clock += LAUNCH_CODE_TTL_MS - 1
    expect((await get(inTime.pathname + inTime.search)).status).toBe(303)
    clock += 2
    const answer = await get(late.pathname + late.search)
    expect(answer.status).toBe(401)
    expect(answer.setCookie).toEqual([])
    expect(answer.body).toContain('Questo link di avvio è scaduto: riapri Vedetta dal terminale')
  })

  it('is one code per window: a code never issued, or one for another window, opens nothing', async () => {
    const a = new URL(host.launchUrl())
    const b = new URL(host.launchUrl())
    expect(a.search).not.toBe(b.search)
    expect((await get(a.pathname + a.search)).status).toBe(303)
    expect((await get(b.pathname + b.search)).status).toBe(303)
    const unknown = await get('/?launch=AAAAAAAAAAAAAAAAAAAAAA')
    expect(unknown.status).toBe(401)
    expect(unknown.body).toContain('Apri l’indirizzo completo, con la sua chiave')
    // Not a key to the socket: only the page load trades it.
    expect(await socketStatus({}, new URL(host.launchUrl()).search)).toBe(403)
  })
})
