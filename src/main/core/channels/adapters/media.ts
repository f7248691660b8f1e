/**
 * What every post adapter shares to attach the alert map card: the PNG as a
 * multipart file, the operator's words when it could not be attached (the
 * post then goes as text alone: a map is never worth a missing alert), and a
 * pause between polls of a provider still processing the upload.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { MapImage } from '../adapter'
import { clip } from './http'

/** The file name providers see for the card. */
export const MAP_FILE_NAME = 'mappa-allerta.png'

/** The warning a row records when its post went without the map. */
export function mapWarning(reason: string): string {
  return `mappa non allegata: ${clip(reason, 240)}`
}

/** The card as a multipart file part. */
export function pngBlob(image: MapImage): Blob {
  return new Blob([image.png as Uint8Array<ArrayBuffer>], { type: 'image/png' })
}

/** Waits `ms`, or less if the caller gives up (then false). */
export async function pause(ms: number, signal?: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {})
    return true
  } catch {
    // Aborted: the caller is shutting down; the post that follows is refused by the same signal.
    return false
  }
}
