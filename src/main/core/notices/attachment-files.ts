import { createHash } from 'node:crypto'
import type { Stats } from 'node:fs'
import { mkdir, rename, stat, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'

/** The folder, in the workspace folder beside the database, where notices' attachments are kept. */
export const NOTICES_FOLDER = 'notices'

export const noticesDir = (workspaceDir: string): string => join(workspaceDir, NOTICES_FOLDER)

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i

/**
 * A file name that is safe on every desktop system, from the name a sender chose: no
 * folders, no control or reserved characters, no reserved Windows names, at most 120
 * characters with the extension kept.
 */
export function safeFileName(name: string | undefined | null, fallback = 'allegato'): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? ''
  let clean = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+|[.\s]+$/g, '')
  if (!clean || WINDOWS_RESERVED.test(clean)) clean = clean ? `_${clean}` : fallback
  if (clean.length > 120) {
    const dot = clean.lastIndexOf('.')
    const ext = dot > 0 && clean.length - dot <= 10 ? clean.slice(dot) : ''
    clean = clean.slice(0, 120 - ext.length) + ext
  }
  return clean
}

export const sha256Hex = (content: Uint8Array): string =>
  createHash('sha256').update(content).digest('hex')

/**
 * Attachment files, kept by content: `<sha256>/<name>`. Writing the same file twice (a message
 * read again after a crash) finds it in place; a file is written whole or not at all.
 */
/**
 * The file's details, or undefined when there is no such file. Any other failure (no
 * permission, a broken disk) is thrown: it must reach the operator, not read as "missing".
 */
export async function statIfPresent(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

export function createAttachmentStore(dir: string) {
  const root = resolve(dir)
  return {
    root,
    /** Writes one attachment; returns its path relative to the folder and its hash. */
    async put(name: string, content: Uint8Array): Promise<{ file: string; sha256: string }> {
      const sha256 = sha256Hex(content)
      const folder = join(root, sha256)
      const file = join(folder, name)
      const existing = await statIfPresent(file)
      if (existing?.size !== content.byteLength) {
        await mkdir(folder, { recursive: true, mode: 0o700 })
        const partial = `${file}.${process.pid}.part`
        await writeFile(partial, content, { mode: 0o600 })
        await rename(partial, file)
      }
      return { file: relative(root, file), sha256 }
    },
    /** The absolute path of a stored file; refuses one that would lie outside the folder. */
    pathOf(file: string): string {
      const full = resolve(root, file)
      const rel = relative(root, full)
      if (!rel || rel.startsWith('..') || isAbsolute(rel))
        throw new Error('attachment path outside the notices folder')
      return full
    },
  }
}

export type AttachmentStore = ReturnType<typeof createAttachmentStore>
