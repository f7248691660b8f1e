import WebSocket from 'ws'
import type { CommandInput, CommandName, CommandOutput, Envelope } from '../../src/shared/contract'

export interface HostApi {
  call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>>
  close(): void
}

/** The host's contract over its WebSocket, as the page uses it: for setting up end-to-end tests. */
export async function connectHostApi(pageUrl: string, operator = 'test-setup'): Promise<HostApi> {
  const url = new URL(pageUrl)
  const ws = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  let next = 1
  const pending = new Map<number, (e: Envelope) => void>()
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { id?: number } & Envelope
    if (typeof msg.id === 'number') pending.get(msg.id)?.(msg)
  })
  const call = <K extends CommandName>(name: K, input: CommandInput<K>) =>
    new Promise<CommandOutput<K>>((resolve, reject) => {
      const id = next++
      pending.set(id, (e) => {
        pending.delete(id)
        if (e.ok) resolve(e.value as CommandOutput<K>)
        else
          reject(new Error(`${name}: ${e.error.message} ${JSON.stringify(e.error.issues ?? [])}`))
      })
      ws.send(JSON.stringify({ id, command: name, payload: input }))
    })
  await call('session:identify', { operator })
  return { call, close: () => ws.close() }
}
