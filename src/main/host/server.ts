import { UNNAMED_OPERATOR } from '../../shared/room/operator'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Core } from '../core/app'
import type { DrillRooms } from '../core/drill-runtime'
import { createDispatch } from '../transport/dispatch'
import { createEventBatcher } from '../transport/event-batcher'
import { createDrillsHost } from './drills-host'
import { createLaunchCodes, type LaunchOutcome } from './launch-codes'
import { resolveStatic } from './static-files'
import {
  allowedHost,
  allowedOrigin,
  contentSecurityPolicy,
  cookieToken,
  newToken,
  sameToken,
  tokenCookie,
} from './security'

export interface HostOptions {
  core: Core
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  /**
   * What every request must carry (in the address, then as a cookie). The CLI
   * passes the workspace's lasting token (host-identity.ts) so that pages
   * opened before a restart are accepted by the next run; random otherwise.
   */
  token?: string
  operator?: string
  log?: (line: string) => void
  /** Drills served on `/ws?drill=<id>` beside the real room. */
  drills?: DrillRooms
  /** The clock launch codes expire by (tests inject one). */
  now?: () => number
}

export interface RunningHost {
  /** The address with the token, for the operator to open in any browser: printed, never put on a command line. */
  url: string
  port: number
  token: string
  /**
   * An address for a browser the host starts itself (`--open`): it carries a
   * launch code, good once and for a few seconds, instead of the token, since
   * a command line is readable by every local user.
   */
  launchUrl(): string
  close(): Promise<void>
}

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

/**
 * Serves the renderer and the contract over WebSocket on 127.0.0.1 only, for
 * browsers (tests, a wall display). Every request needs the token.
 *
 * A page brings the token (`?token=`) or a launch code (`?launch=`) once: the
 * answer sets this port's cookie and sends the browser (303) to the same
 * address without it, so the browser's history never holds either.
 *
 * Events travel to every socket as they happen and are not kept: a page that
 * was disconnected (a dropped socket, a host restart) re-reads what its views
 * show once it is connected again (see src/renderer/src/api/README.md).
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken()
  const log = options.log ?? (() => {})
  const dispatch = createDispatch(options.core.handlers, {
    onInternalError: (command, err) =>
      log(`internal error in ${command}: ${(err as Error)?.stack ?? String(err)}`),
  })
  let port = 0

  const server = createServer((req, res) => handleHttp(req, res))
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const clients = new Set<WebSocket>()
  const drills = options.drills
    ? createDrillsHost({
        rooms: options.drills,
        log,
        ...(options.operator ? { operator: options.operator } : {}),
      })
    : undefined

  const launchCodes = createLaunchCodes(options.now ? { now: options.now } : {})
  const byCookie = (req: IncomingMessage) => sameToken(token, cookieToken(req, port))

  /** A socket: the token in its address (tools, tests) or the page's cookie. */
  function authorised(req: IncomingMessage, url: URL): boolean {
    return sameToken(token, url.searchParams.get('token')) || byCookie(req)
  }

  const refuse = (res: ServerResponse, page: string) => {
    res.writeHead(401, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    })
    res.end(page)
  }

  /**
   * An address with `token` or `launch`: exchanged for the cookie, then the same
   * address without them. A page that already has the cookie is just sent on.
   */
  function exchange(req: IncomingMessage, res: ServerResponse, url: URL) {
    const given = url.searchParams.get('token')
    const launch = url.searchParams.get('launch')
    const launched: LaunchOutcome | undefined =
      launch === null ? undefined : launchCodes.redeem(launch)
    const admitted = launched === 'valid' || sameToken(token, given)
    if (!admitted && !byCookie(req)) {
      if (launched === 'used') return refuse(res, LAUNCH_USED_PAGE)
      if (launched === 'expired') return refuse(res, LAUNCH_EXPIRED_PAGE)
      return refuse(res, TOKEN_PAGE)
    }
    url.searchParams.delete('token')
    url.searchParams.delete('launch')
    // One leading slash: `//host/…` would send the browser to another site.
    const location = url.pathname.replace(/^\/+/, '/') + url.search
    res.writeHead(303, {
      location,
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-length': '0',
      ...(admitted ? { 'set-cookie': tokenCookie(port, token) } : {}),
    })
    res.end()
  }

  function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const deny = (status: number, text: string) => {
      res.writeHead(status, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
      })
      res.end(text)
    }
    if (!allowedHost(req, port)) return deny(421, 'Vedetta answers only on 127.0.0.1')
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(405, 'method not allowed')
    if (url.searchParams.has('token') || url.searchParams.has('launch')) {
      return exchange(req, res, url)
    }
    if (!byCookie(req)) return refuse(res, TOKEN_PAGE)
    const file = resolveStatic(
      options.rendererDir,
      url.pathname === '/' ? '/index.html' : url.pathname,
    )
    if (!file) return deny(404, 'not found')
    const headers: Record<string, string | string[]> = {
      'content-type': file.type,
      'content-length': String(file.size),
      'content-security-policy': contentSecurityPolicy(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
    }
    res.writeHead(200, headers)
    if (req.method === 'HEAD') return res.end()
    file.open().pipe(res)
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (
      url.pathname !== '/ws' ||
      !allowedHost(req, port) ||
      !allowedOrigin(req, port) ||
      !authorised(req, url)
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      return
    }
    const drillId = url.searchParams.get('drill')
    if (drillId !== null) {
      if (drills) drills.handleUpgrade(req, socket, head, drillId)
      else socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  wss.on('connection', (ws) => {
    clients.add(ws)
    const ctx = { operator: options.operator ?? UNNAMED_OPERATOR }
    ws.on('close', () => clients.delete(ws))
    ws.on('message', async (data, isBinary) => {
      let id: unknown = null
      try {
        if (isBinary) throw new Error('binary')
        const msg = JSON.parse(data.toString()) as {
          id?: unknown
          command?: unknown
          payload?: unknown
        }
        id = msg.id ?? null
        const envelope = await dispatch(String(msg.command), msg.payload, ctx)
        ws.send(JSON.stringify({ id, ...envelope }))
      } catch {
        ws.send(
          JSON.stringify({
            id,
            ok: false,
            error: {
              code: 'invalid_input',
              message: 'malformed message: expected JSON {id, command, payload}',
            },
          }),
        )
      }
    })
  })

  const batcher = createEventBatcher((batch) => {
    const text = JSON.stringify({ events: batch })
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text)
  })
  const unsubscribe = options.core.events.subscribe((name, payload) => batcher.push(name, payload))

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
    })
  } catch (err) {
    // The caller may try another port: this attempt must not keep following the core.
    unsubscribe()
    batcher.stop()
    wss.close()
    drills?.close()
    throw err
  }
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    launchUrl: () => `http://127.0.0.1:${port}/?launch=${launchCodes.issue()}`,
    async close() {
      unsubscribe()
      batcher.stop()
      for (const ws of clients) ws.terminate()
      drills?.close()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/**
 * What a page opened without the token sees: the same sentence in the operator's language
 * first and in English, and what to do. Static (no script, no data from the request).
 */
const TOKEN_PAGE = `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Vedetta — indirizzo senza chiave</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#111;background:#fff}code{background:#eee;padding:0 .2rem}</style></head>
<body>
<h1>Apri l’indirizzo completo, con la sua chiave</h1>
<p>Questa sala Vedetta si apre solo con l’indirizzo stampato da <code>vedetta host</code>, che finisce con <code>?token=…</code>. Copialo intero dal terminale in cui Vedetta è avviata; se l’indirizzo è stato rinnovato (<code>--new-token</code>), usa quello nuovo.</p>
<section lang="en">
<h2>Open the full address, with its key</h2>
<p>This Vedetta room opens only with the address printed by <code>vedetta host</code>, ending in <code>?token=…</code>. Copy it whole from the terminal where Vedetta runs; if it was renewed (<code>--new-token</code>), use the new one.</p>
</section>
</body></html>
`

const launchPage = (title: string, it: string, en: string) => `<!doctype html>
<html lang="it"><head><meta charset="utf-8"><title>Vedetta — ${title}</title>
<style>body{font:1.1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#111;background:#fff}code{background:#eee;padding:0 .2rem}</style></head>
<body>
<h1>${it}</h1>
<p>Il link con cui Vedetta apre la sua finestra vale una volta sola e per pochi secondi, perché altri utenti di questo computer possono leggerlo. Avvia di nuovo Vedetta dal terminale (<code>npm start</code> o <code>vedetta host --open</code>), oppure apri l’indirizzo completo stampato nel terminale, che finisce con <code>?token=…</code>.</p>
<section lang="en">
<h2>${en}</h2>
<p>The link Vedetta opens its window with is good once and for a few seconds, since other users of this computer can read it. Start Vedetta again from the terminal (<code>npm start</code> or <code>vedetta host --open</code>), or open the full address printed in the terminal, ending in <code>?token=…</code>.</p>
</section>
</body></html>
`

/** A launch code brought back a second time (a copied link, a restored tab). */
const LAUNCH_USED_PAGE = launchPage(
  'link di avvio già usato',
  'Questo link di avvio è già stato usato: riapri Vedetta dal terminale',
  'This launch link was already used: open Vedetta again from the terminal',
)

/** A launch code that came too late (a browser slow to start, a link kept for later). */
const LAUNCH_EXPIRED_PAGE = launchPage(
  'link di avvio scaduto',
  'Questo link di avvio è scaduto: riapri Vedetta dal terminale',
  'This launch link has expired: open Vedetta again from the terminal',
)
