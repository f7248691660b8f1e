import { ref } from 'vue'
import type { VedettaApi } from '@shared/contract'
import { apiFromBridge } from './envelope'
import { resyncAll } from './resync'
import { createWsBridge, type ConnectionState, type OpenSocket } from './ws-bridge'

/** Where the operator's name is remembered on this machine (see stores/session). */
export const OPERATOR_KEY = 'vedetta.operator'

/** True in a browser served by `vedetta host`; false in the desktop app, whose IPC never drops. */
export const viaHost = !window.vedetta

/** Live state of the link to the core (always open in Electron). */
export const connection = ref<ConnectionState>('open')

/**
 * The page's address never holds the token (the host traded it for an
 * `HttpOnly` cookie on first load): the socket is authorised by that cookie.
 */
function hostSocketUrl(): string {
  // `?drill=<id>`: this page is that drill's room (see src/main/host/drills-host.ts).
  const drill = new URLSearchParams(location.search).get('drill')
  return `ws://${location.host}/ws${drill ? `?drill=${encodeURIComponent(drill)}` : ''}`
}

const browserSocket: OpenSocket = (url, on) => {
  const ws = new WebSocket(url)
  ws.onopen = () => on.open()
  ws.onmessage = (msg) => on.message(String(msg.data))
  ws.onclose = () => on.close()
  return { isOpen: () => ws.readyState === WebSocket.OPEN, send: (text) => ws.send(text) }
}

/**
 * A browser does not tell why a WebSocket was refused: ask for the page
 * itself (with its cookie). 401 (403 from older hosts) means this host does
 * not accept the page's token; no answer means the host is away and retrying
 * will do.
 */
async function pageRefused(): Promise<boolean> {
  try {
    const res = await fetch(location.href, { method: 'HEAD', cache: 'no-store' })
    return res.status === 401 || res.status === 403
  } catch {
    return false
  }
}

/**
 * The one object the UI talks to. In Electron it is the preload's bridge; in a
 * browser it is the loopback host's WebSocket. Components never know which.
 */
export const api: VedettaApi = apiFromBridge(
  window.vedetta ??
    createWsBridge(hostSocketUrl(), {
      open: browserSocket,
      onState: (s) => (connection.value = s),
      hello: () => {
        const operator = localStorage.getItem(OPERATOR_KEY)
        return operator ? { command: 'session:identify', payload: { operator } } : undefined
      },
      onReconnect: resyncAll,
      isRefused: pageRefused,
    }),
)
