import { ipcMain, type BrowserWindow } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract'
import type { Core } from '../core/app'
import { createDispatch } from '../transport/dispatch'
import { createEventBatcher } from '../transport/event-batcher'
import { isOwnRenderer } from './window'

/**
 * Wires the contract to Electron IPC: one invoke channel whose payloads the
 * shared dispatcher validates, after checking that the sender is our renderer;
 * events go out batched on one channel.
 */
export function wireIpc(
  core: Core,
  getWindow: () => BrowserWindow | undefined,
  operator: string,
): () => void {
  const dispatch = createDispatch(core.handlers, {
    onInternalError: (command, err) => console.error(`internal error in ${command}:`, err),
  })
  const ctx = { operator }
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, payload: unknown) => {
    if (!isOwnRenderer(event.senderFrame?.url)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'IPC from an unknown frame refused' },
      }
    }
    return dispatch(String(name), payload, ctx)
  })
  const batcher = createEventBatcher((batch) => {
    const win = getWindow()
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, batch)
  })
  const unsubscribe = core.events.subscribe((name, payload) => batcher.push(name, payload))
  return () => {
    unsubscribe()
    batcher.stop()
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
  }
}
