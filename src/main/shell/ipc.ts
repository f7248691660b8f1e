import { ipcMain, type BrowserWindow } from 'electron'
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/contract'
import type { Core } from '../core/app'
import { toApiFailure } from '../transport/api-error'
import { createDispatch, type Dispatch } from '../transport/dispatch'
import { createEventBatcher } from '../transport/event-batcher'
import { isOwnRenderer } from './window'

/** The drill a page shows (`?drill=<id>`), or null for the real room: as in the loopback host. */
export function drillOf(url: string | undefined): string | null {
  if (!url) return null
  try {
    return new URL(url).searchParams.get('drill')
  } catch {
    return null
  }
}

/**
 * Wires the contract to Electron IPC: one invoke channel whose payloads the
 * shared dispatcher validates, after checking that the sender is our renderer.
 * A page opened on a drill talks to that drill's core, never to the real one;
 * events go out batched to the page showing the core they come from.
 */
export function wireIpc(
  core: Core,
  getWindow: () => BrowserWindow | undefined,
  operator: string,
): () => void {
  const onInternalError = (command: string, err: unknown) =>
    console.error(`internal error in ${command}:`, err)
  const real = createDispatch(core.handlers, { onInternalError })
  const ctx = { operator }
  const drills = new Map<string, { dispatch: Dispatch; off: () => void }>()
  const cleanups: (() => void)[] = []

  const shown = () => drillOf(getWindow()?.webContents.getURL())
  function forward(source: string | null) {
    const batcher = createEventBatcher((batch) => {
      const win = getWindow()
      if (win && !win.isDestroyed() && shown() === source)
        win.webContents.send(IPC_EVENT_CHANNEL, batch)
    })
    return { push: batcher.push, stop: batcher.stop }
  }

  function drillDispatch(id: string): Dispatch {
    const bound = drills.get(id)
    if (bound) return bound.dispatch
    if (!core.drills) throw new Error('drills cannot be opened from inside a drill')
    const runtime = core.drills.open(id)
    const out = forward(id)
    const unsubscribe = runtime.core.events.subscribe((name, payload) => out.push(name, payload))
    const entry = {
      dispatch: createDispatch(runtime.handlers, { onInternalError }),
      off: () => {
        unsubscribe()
        out.stop()
      },
    }
    drills.set(id, entry)
    return entry.dispatch
  }
  if (core.drills) {
    cleanups.push(
      core.drills.onClosed((id) => {
        drills.get(id)?.off()
        drills.delete(id)
      }),
    )
  }

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name: unknown, payload: unknown) => {
    const url = event.senderFrame?.url
    if (!isOwnRenderer(url)) {
      return {
        ok: false,
        error: { code: 'forbidden', message: 'IPC from an unknown frame refused' },
      }
    }
    const drill = drillOf(url)
    try {
      const dispatch = drill ? drillDispatch(drill) : real
      return await dispatch(String(name), payload, ctx)
    } catch (err) {
      // Opening the page's drill failed: its typed code (and issues) cross the bridge as they are.
      const failure = toApiFailure(err, drill ? `drill ${drill}` : String(name))
      if (failure.unexpected) onInternalError(String(name), err)
      return { ok: false, error: failure.error }
    }
  })
  const out = forward(null)
  const unsubscribe = core.events.subscribe((name, payload) => out.push(name, payload))
  return () => {
    unsubscribe()
    out.stop()
    for (const d of drills.values()) d.off()
    for (const c of cleanups) c()
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL)
  }
}
