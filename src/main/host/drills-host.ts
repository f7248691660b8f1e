import { UNNAMED_OPERATOR } from '../../shared/room/operator'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { DrillRooms } from '../core/drill-runtime'
import { createDispatch, type Dispatch } from '../transport/dispatch'
import { createEventBatcher } from '../transport/event-batcher'

/**
 * Drills served beside the real room: a socket opened on `/ws?drill=<id>`
 * (same token) is bound to that drill, whose runtime is opened on first use.
 * Commands go to the drill's core (and its trainer controls), events come from
 * it only: a drill cannot touch the real room, nor the real room a drill.
 */

interface Bound {
  dispatch: Dispatch
  clients: Set<WebSocket>
  stop(): void
}

export interface DrillsHost {
  /** Completes an authorised upgrade for drill `id`; a drill that cannot be opened gets 404. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, id: string): void
  close(): void
}

const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

function malformed(id: unknown): string {
  return JSON.stringify({
    id,
    ok: false,
    error: {
      code: 'invalid_input',
      message: 'malformed message: expected JSON {id, command, payload}',
    },
  })
}

export function createDrillsHost(options: {
  rooms: DrillRooms
  operator?: string
  log?: (line: string) => void
}): DrillsHost {
  const log = options.log ?? (() => {})
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  const bound = new Map<string, Bound>()

  function bind(id: string): Bound {
    const existing = bound.get(id)
    if (existing) return existing
    const runtime = options.rooms.open(id)
    const clients = new Set<WebSocket>()
    const batcher = createEventBatcher((batch) => {
      const text = JSON.stringify({ events: batch })
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text)
    })
    const unsubscribe = runtime.core.events.subscribe((name, payload) =>
      batcher.push(name, payload),
    )
    const entry: Bound = {
      dispatch: createDispatch(runtime.handlers, {
        onInternalError: (command, err) =>
          log(`internal error in drill ${id}, ${command}: ${(err as Error)?.stack ?? String(err)}`),
      }),
      clients,
      stop() {
        unsubscribe()
        batcher.stop()
        for (const ws of clients) ws.terminate()
        clients.clear()
      },
    }
    bound.set(id, entry)
    return entry
  }

  // A drill closed from the real room (deleted): its sockets go with it.
  const offClosed = options.rooms.onClosed((id) => {
    bound.get(id)?.stop()
    bound.delete(id)
  })

  function serve(ws: WebSocket, entry: Bound): void {
    entry.clients.add(ws)
    const ctx = { operator: options.operator ?? UNNAMED_OPERATOR }
    ws.on('close', () => entry.clients.delete(ws))
    ws.on('message', async (data, isBinary) => {
      let msgId: unknown = null
      try {
        if (isBinary) throw new Error('binary')
        const msg = JSON.parse(data.toString()) as {
          id?: unknown
          command?: unknown
          payload?: unknown
        }
        msgId = msg.id ?? null
        const envelope = await entry.dispatch(String(msg.command), msg.payload, ctx)
        ws.send(JSON.stringify({ id: msgId, ...envelope }))
      } catch {
        ws.send(malformed(msgId))
      }
    })
  }

  return {
    handleUpgrade(req, socket, head, id) {
      let entry: Bound
      try {
        entry = bind(id)
      } catch (err) {
        log(`drill ${id} cannot be opened: ${(err as Error).message}`)
        socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
        return
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, entry))
    },
    close() {
      offClosed()
      for (const entry of bound.values()) entry.stop()
      bound.clear()
      wss.close()
    },
  }
}
