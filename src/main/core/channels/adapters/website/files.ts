import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

/**
 * Files the website adapter writes. Each is written whole to a temporary file
 * in the same folder and renamed over the target, so a web server never serves
 * half a CAP file or half a feed (rename is atomic on one file system).
 */

export const FEED_FILE = 'feed.xml'

/**
 * The CAP file name for an identifier: `<identifier>.xml`, with characters file
 * systems or URLs choke on (`/ \ : * ? " < > |` and the like) replaced by `_`.
 * Identifiers that would escape the folder or overwrite the feed are refused.
 */
export function capFileName(identifier: string): string | undefined {
  const stem = identifier.trim().replace(/[^A-Za-z0-9._@+-]/g, '_')
  if (stem === '' || stem.startsWith('.') || stem.length > 200) return undefined
  const name = `${stem}.xml`
  return name.toLowerCase() === FEED_FILE ? undefined : name
}

/** Writes `content` to `file` atomically (temp file + rename); text is written as UTF-8. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  )
  try {
    await fs.writeFile(
      temp,
      content,
      typeof content === 'string' ? { encoding: 'utf8', mode: 0o644 } : { mode: 0o644 },
    )
    await fs.rename(temp, file)
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw error
  }
}

/** The file's text, or undefined when it does not exist yet. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** True for file-system errors a retry will not fix (permissions, read-only disk, a file where a folder should be). */
export function isPermanentFsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS' ||
    code === 'ENOTDIR' ||
    code === 'EISDIR'
  )
}
