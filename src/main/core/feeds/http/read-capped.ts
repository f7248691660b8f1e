import { FeedError } from '../errors'

/** Bytes as megabytes for messages ("5 MB"). */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`
}

/**
 * Reads a response body up to `maxBytes`, streaming: a larger body is cut as soon as it
 * crosses the cap (the connection is cancelled), never buffered whole.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw new FeedError(
        'too_large',
        `risposta troppo grande: oltre ${megabytes(maxBytes)}, lettura interrotta`,
      )
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}
