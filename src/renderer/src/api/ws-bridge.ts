import { commandNames, type Envelope, type EventName, type VedettaBridge } from '@shared/contract'

type Listener = (payload: unknown) => void

/** The socket as the bridge needs it; `open` below makes one (a browser WebSocket, or `ws` in Node). */
export interface SocketHandle {
  isOpen(): boolean
  send(text: string): void
}
export interface SocketEvents {
  open(): void
  message(text: string): void
  close(): void
}
export type OpenSocket = (url: string, on: SocketEvents) => SocketHandle

/**
 * `refused`: the host is up but does not accept this page (its token was
 * replaced with `vedetta host --new-token`): retrying cannot help.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused'

export interface WsBridgeOptions {
  open: OpenSocket
  onState?: (s: ConnectionState) => void
  /**
   * A command sent first on every new connection, before anything queued
   * (e.g. who the operator is): the host handles a socket's messages in order.
   */
  hello?: () => { command: string; payload: unknown } | undefined
  /**
   * After every reconnection (not the first connection), once what was queued
   * meanwhile has been sent: events of the gap are lost, so the views re-read
   * what they show (api/resync.ts).
   */
  onReconnect?: () => void
  /** Asked when an attempt closes before opening: does the host refuse this page (rather than being away)? */
  isRefused?: () => Promise<boolean>
}

interface Pending {
  resolve: (e: Envelope) => void
  timer: ReturnType<typeof setTimeout>
  /** The socket the request went out on; undefined while it waits in the queue. */
  socket?: SocketHandle
}

const REQUEST_TIMEOUT_MS = 120_000

const LOST_ANSWER: Envelope = {
  ok: false,
  error: {
    code: 'unavailable',
    message:
      'The connection to Vedetta was lost before the answer: it may or may not have been done',
  },
}

/**
 * The same contract over the loopback host's WebSocket, for browsers. Requests
 * made while (re)connecting wait for the socket (at most the request timeout,
 * then they fail and are dropped from the queue, never sent late); a request
 * whose socket dies before the answer fails at once; the connection comes back
 * by itself with a growing delay.
 */
export function createWsBridge(url: string, options: WsBridgeOptions): VedettaBridge {
  const onState = options.onState ?? (() => {})
  const listeners = new Map<EventName, Set<Listener>>()
  const pending = new Map<number, Pending>()
  let queue: { id: number; text: string }[] = []
  let nextId = 1
  let socket: SocketHandle | undefined
  let retryMs = 250
  let everOpened = false
  let state: ConnectionState | undefined

  const setState = (s: ConnectionState) => {
    if (s === state) return
    state = s
    onState(s)
  }

  function settle(id: number, envelope: Envelope) {
    const p = pending.get(id)
    if (!p) return
    pending.delete(id)
    clearTimeout(p.timer)
    p.resolve(envelope)
  }

  function connect() {
    // Retries keep saying "lost" (or "refused") until one opens: no flicker between attempts.
    if (state === undefined) setState('connecting')
    let opened = false
    const ws: SocketHandle = options.open(url, {
      open() {
        opened = true
        retryMs = 250
        socket = ws
        const hello = options.hello?.()
        if (hello) ws.send(JSON.stringify({ id: 0, ...hello }))
        for (const { id, text } of queue) {
          const p = pending.get(id)
          if (p) p.socket = ws
          ws.send(text)
        }
        queue = []
        setState('open')
        if (everOpened) options.onReconnect?.()
        everOpened = true
      },
      message(text) {
        const data = JSON.parse(text) as
          ({ id: number } & Envelope) | { events: { name: EventName; payload: unknown }[] }
        if ('events' in data) {
          for (const { name, payload } of data.events)
            for (const l of listeners.get(name) ?? []) l(payload)
          return
        }
        settle(
          data.id,
          data.ok ? { ok: true, value: data.value } : { ok: false, error: data.error },
        )
      },
      close() {
        if (socket === ws) socket = undefined
        // What went out on this socket will never be answered: say so now, not after the timeout.
        for (const [id, p] of pending) if (p.socket === ws) settle(id, LOST_ANSWER)
        if (opened || state !== 'refused') setState('closed')
        if (!opened && options.isRefused) {
          void options.isRefused().then(
            (refused) => socket === undefined && setState(refused ? 'refused' : 'closed'),
            () => undefined,
          )
        }
        setTimeout(connect, retryMs)
        retryMs = Math.min(retryMs * 2, 5000)
      },
    })
  }

  function invoke(command: string, payload: unknown): Promise<Envelope> {
    return new Promise((resolve) => {
      const id = nextId++
      const timer = setTimeout(() => {
        queue = queue.filter((q) => q.id !== id)
        settle(id, {
          ok: false,
          error: { code: 'unavailable', message: 'Vedetta did not answer in time' },
        })
      }, REQUEST_TIMEOUT_MS)
      pending.set(id, { resolve, timer })
      const text = JSON.stringify({ id, command, payload })
      if (socket?.isOpen()) {
        pending.get(id)!.socket = socket
        socket.send(text)
      } else queue.push({ id, text })
    })
  }

  connect()
  const bridge: Record<string, unknown> = {
    on(event: EventName, listener: Listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener)
      return () => set.delete(listener)
    },
  }
  for (const name of commandNames) bridge[name] = (input: unknown) => invoke(name, input)
  return bridge as VedettaBridge
}
