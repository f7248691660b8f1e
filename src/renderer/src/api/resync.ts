/**
 * Catching up after a reconnection. The host sends events as they happen and
 * keeps none, so a page that lost its socket (a network hiccup, the host
 * restarted) has missed some. Rather than replaying them, every live view
 * registers here how it re-reads what it shows from the core; the socket
 * bridge calls them all once it is connected again (after the requests queued
 * meanwhile, so the re-read sees them). One mechanism covers a dropped socket
 * and a restarted host alike, whose events died with it. In Electron the
 * bridge is IPC, which does not drop: the hooks simply never run.
 */
import type { PiniaPluginContext } from 'pinia'

type Hook = () => unknown
const hooks = new Set<Hook>()

/** Registers a view's re-read; returns the unsubscribe. */
export function onResync(hook: Hook): () => void {
  hooks.add(hook)
  return () => hooks.delete(hook)
}

/** Runs every view's re-read. A failed one is logged; the next reconnection runs it again. */
export function resyncAll(): void {
  const report = (err: unknown) =>
    console.error('Vedetta: a view could not be read again after the reconnection', err)
  for (const hook of [...hooks]) {
    try {
      void Promise.resolve(hook()).catch(report)
    } catch (err) {
      report(err)
    }
  }
}

/**
 * Stores that follow the `loaded` + `load()` convention (alerts, channels,
 * lists…) are live views without saying so: once loaded, they load again
 * after a reconnection. Other stores call `onResync` themselves.
 */
export function resyncPlugin({ store }: PiniaPluginContext): void {
  const s = store as unknown as { loaded?: unknown; load?: unknown }
  if (typeof s.load !== 'function' || !('loaded' in store)) return
  onResync(() => (s.loaded === true ? (s.load as () => unknown)() : undefined))
}
