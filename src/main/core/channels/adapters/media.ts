/**
 * What every post adapter shares to attach the alert map card: the PNG as a
 * multipart file, the operator's words when it could not be attached (the
 * post then goes as text alone: a map is never worth a missing alert), and a
 * pause between polls of a provider still processing the upload.
 */
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { MapImage } from '../adapter'
import { clip } from './http'

/** The file name providers see for the card. */
export const MAP_FILE_NAME = 'mappa-allerta.png'

/** The warning a row records when its post went without the map. */
export function mapWarning(reason: string): string {
  return `mappa non allegata: ${clip(reason, 240)}`
}

/**
 * A `multipart/form-data` body with text fields and the card as one file part,
 * written byte for byte: `FormData` turns every line break of a text field into
 * CRLF when it serialises (as the HTML standard says), which would change a
 * caption's text. Field values are sent as UTF-8, unescaped but for quotes in names.
 */
export function multipartWithImage(
  fields: Record<string, string>,
  file: { name: string; image: MapImage },
): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const boundary = `----vedetta-${randomUUID()}`
  const quote = (s: string) => s.replace(/["\r\n]/g, (c) => encodeURIComponent(c))
  const chunks: Uint8Array[] = []
  const text = (s: string) => chunks.push(Buffer.from(s, 'utf8'))
  for (const [name, value] of Object.entries(fields)) {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n`)
    text(value)
    text('\r\n')
  }
  text(
    `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.name)}"; filename="${MAP_FILE_NAME}"\r\n` +
      'Content-Type: image/png\r\n\r\n',
  )
  chunks.push(file.image.png)
  text(`\r\n--${boundary}--\r\n`)
  return {
    body: new Uint8Array(Buffer.concat(chunks)),
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
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
