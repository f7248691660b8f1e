import type { DrillTime } from '../drills/drill-time'
import type { EventBus } from '../events'
import { createDrillRuntime, type DrillRuntime, type OpenDrillCore } from './drill-runtime'
import type { PdfPrinter } from './report-pdf'

/**
 * The drills open beside the real room, one runtime each, opened on first use
 * and kept until closed: the real room keeps running while trainees work in a
 * drill, and two drills can run side by side.
 */
export interface DrillRooms {
  /** The drill's runtime, opened if it is not already. @throws CoreError not_found / forbidden */
  open(id: string): DrillRuntime
  get(id: string): DrillRuntime | undefined
  isOpen(id: string): boolean
  /** Ends the drill if it is running and closes its file (before deleting it, say). */
  close(id: string): Promise<void>
  closeAll(): Promise<void>
  /** Told when a drill is closed, so transports drop its connections. */
  onClosed(listener: (id: string) => void): () => void
}

export interface DrillRoomsOptions {
  dataDir: string
  openCore: OpenDrillCore
  /** The real room's bus: it hears `drills:changed` when a drill starts, ends or closes. */
  events?: EventBus
  time?: DrillTime
  printPdf?: PdfPrinter
  pulseMs?: number
}

export function createDrillRooms(options: DrillRoomsOptions): DrillRooms {
  const open = new Map<string, DrillRuntime>()
  const listeners = new Set<(id: string) => void>()
  const changed = (id: string) => options.events?.emit('drills:changed', { id })

  async function close(id: string): Promise<void> {
    const runtime = open.get(id)
    if (!runtime) return
    open.delete(id)
    for (const l of listeners) l(id)
    await runtime.close()
    changed(id)
  }

  return {
    open(id) {
      const existing = open.get(id)
      if (existing) return existing
      const runtime = createDrillRuntime({
        dataDir: options.dataDir,
        id,
        openCore: options.openCore,
        onStateChange: (drillId) => changed(drillId),
        ...(options.time ? { time: options.time } : {}),
        ...(options.printPdf ? { printPdf: options.printPdf } : {}),
        ...(options.pulseMs === undefined ? {} : { pulseMs: options.pulseMs }),
      })
      open.set(id, runtime)
      changed(id)
      return runtime
    },
    get: (id) => open.get(id),
    isOpen: (id) => open.has(id),
    close,
    async closeAll() {
      await Promise.all([...open.keys()].map((id) => close(id)))
    },
    onClosed(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
