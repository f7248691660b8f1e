import { createHash } from 'node:crypto'

/** A short, stable SHA-256 of some text: de-duplication key for entries without an id. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
