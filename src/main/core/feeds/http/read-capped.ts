import { BodyTooLarge, formatBytes, readCapped as readBody } from '../../net/outbound'
import { FeedError } from '../errors'

/** Bytes as the operator reads them ("5 MiB"). */
export const megabytes = formatBytes

/**
 * Reads a response body up to `maxBytes`, streaming: a larger body is cut as soon as it
 * crosses the cap (the connection is cancelled), never buffered whole.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  try {
    return await readBody(body, maxBytes)
  } catch (err) {
    if (err instanceof BodyTooLarge) {
      throw new FeedError(
        'too_large',
        `risposta troppo grande (oltre ${formatBytes(maxBytes)}): la fonte è stata ignorata`,
      )
    }
    throw err
  }
}
