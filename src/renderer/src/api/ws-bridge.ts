import { commandNames, type Envelope, type EventName, type VedettaBridge } from '@shared/contract'

type Listener = (payload: unknown) => void
interface Pending {
  resolve: (e: Envelope) => void
  timer: ReturnType<typeof setTimeout>
}

export type ConnectionState = 'connecting' | 'open' | 'closed'

const REQUEST_TIMEOUT_MS = 120_000

/**
 * The same contract over the loopback host's WebSocket, for browsers. Requests
 * made while (re)connecting wait for the socket; the connection comes back by
 * itself with a growing delay.
 */
export interface WsBridgeOptions {
  onState?: (s: ConnectionState) => void
  /**
   * A command sent first on every new connection, before anything queued
   * (e.g. who the operator is): the host handles a socket's messages in order.
   */
  hello?: () => { command: string; payload: unknown } | undefined
}

export function createWsBridge(url: string, options: WsBridgeOptions = {}): VedettaBridge {
  const onState = options.onState ?? (() => {})
  const listeners = new Map<EventName, Set<Listener>>()
  const pending = new Map<number, Pending>()
  let queue: string[] = []
  let nextId = 1
  let socket: WebSocket | undefined
  let retryMs = 250

  function connect() {
    onState('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retryMs = 250
      const hello = options.hello?.()
      if (hello) ws.send(JSON.stringify({ id: 0, ...hello }))
      onState('open')
      for (const text of queue) ws.send(text)
      queue = []
    }
    ws.onmessage = (msg) => {
      const data = JSON.parse(String(msg.data)) as
        ({ id: number } & Envelope) | { events: { name: EventName; payload: unknown }[] }
      if ('events' in data) {
        for (const { name, payload } of data.events)
          for (const l of listeners.get(name) ?? []) l(payload)
        return
      }
      const p = pending.get(data.id)
      if (!p) return
      pending.delete(data.id)
      clearTimeout(p.timer)
      p.resolve(data.ok ? { ok: true, value: data.value } : { ok: false, error: data.error })
    }
    ws.onclose = () => {
      onState('closed')
      socket = undefined
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 5000)
    }
  }

  function invoke(command: string, payload: unknown): Promise<Envelope> {
    return new Promise((resolve) => {
      const id = nextId++
      const timer = setTimeout(() => {
        pending.delete(id)
        resolve({
          ok: false,
          error: { code: 'unavailable', message: 'Vedetta did not answer in time' },
        })
      }, REQUEST_TIMEOUT_MS)
      pending.set(id, { resolve, timer })
      const text = JSON.stringify({ id, command, payload })
      if (socket?.readyState === WebSocket.OPEN) socket.send(text)
      else queue.push(text)
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
