/**
 * The map card of an alert version, as its posts carry it: drawn from the
 * version's own level over its comuni (a cessata: all green), its kind,
 * validity and headline, and the ente's name and hashtag.
 *
 * One render takes about 70 ms (bench `map_card_ms`), longer than a frame of
 * the room, so it runs in the core's worker thread (workers/jobs.ts), never on
 * the core's event loop; the outbox asks once per alert version and keeps it.
 */
import type { Alert } from '../alerts/types'
import type { AlertDocument, MapImage } from '../channels/adapter'
import { startJob } from '../workers/run-job'
import type { MapCardData } from './card'

export interface Ente {
  name: string
  hashtag: string
}

/** What the card of this version shows. */
export function alertMapCardData(alert: Alert, document: AlertDocument, ente: Ente): MapCardData {
  return {
    comuni: alert.comuni.map((c) => ({ name: c.name, level: document.level })),
    kind: alert.kind,
    validFrom: alert.validFrom,
    validTo: alert.validTo,
    headline: document.headline.trim() || null,
    ente,
  }
}

/** A card that takes longer than this is given up: the posts go without it, saying so. */
export const MAP_CARD_TIMEOUT_MS = 30_000

/**
 * Map cards drawn in the worker thread, with the ente's name and hashtag as
 * the settings say at the time of drawing.
 */
export function createMapImageSource(deps: {
  resourcesDir: string
  ente: () => Ente
  timeoutMs?: number
}): (alert: Alert, document: AlertDocument) => Promise<MapImage> {
  const timeoutMs = deps.timeoutMs ?? MAP_CARD_TIMEOUT_MS
  return async (alert, document) => {
    const job = startJob('maps:card', {
      data: alertMapCardData(alert, document, deps.ente()),
      resourcesDir: deps.resourcesDir,
    })
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        job.cancel()
        reject(new Error(`disegno della mappa oltre ${timeoutMs / 1000} s`))
      }, timeoutMs)
    })
    try {
      return await Promise.race([job.result, late])
    } finally {
      clearTimeout(timer)
    }
  }
}
