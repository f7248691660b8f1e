/**
 * The bridge: one function per contract command and `on(event, cb)` returning
 * an unsubscribe. Raw ipcRenderer never reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import {
  commandNames,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type EventName,
  type VedettaBridge,
} from '../shared/contract'
import type { BatchedEvent } from '../main/transport/event-batcher'

type Listener = (payload: unknown) => void
const listeners = new Map<EventName, Set<Listener>>()

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, batch: BatchedEvent[]) => {
  for (const { name, payload } of batch) for (const l of listeners.get(name) ?? []) l(payload)
})

const api: Record<string, unknown> = {
  on(event: EventName, listener: Listener) {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener)
    return () => set.delete(listener)
  },
}
for (const name of commandNames) {
  api[name] = (input: unknown) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, name, input)
}

contextBridge.exposeInMainWorld('vedetta', api as VedettaBridge)
