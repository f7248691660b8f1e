import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { newToken } from './security'

/** Beside `secret.key` in the data directory, mode 0600. */
export const HOST_FILE_NAME = 'host.json'

/**
 * What a restarted host needs for the pages it served to come back by
 * themselves: the same token (their address and their cookie carry it) and
 * the same port (their origin). The token is random and stays the
 * workspace's until `--new-token` replaces it; it leaves this file only in the
 * page address the host prints.
 */
export interface HostIdentity {
  token: string
  /** The port of the last run, when there was one. */
  port: number | undefined
  /** Said once on stderr when the file could not be used (the pages then need the new address). */
  notice?: string
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/

/**
 * Reads the workspace's host identity, or makes one (a fresh token) when
 * missing, damaged or `renew`ed; a renewed token keeps the port.
 */
export function loadHostIdentity(dataDir: string, options: { renew?: boolean } = {}): HostIdentity {
  const file = join(dataDir, HOST_FILE_NAME)
  if (!existsSync(file)) return { token: newToken(), port: undefined }
  let saved: { token?: unknown; port?: unknown }
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as typeof saved
    if (typeof saved !== 'object' || saved === null) throw new Error('not an object')
  } catch {
    saved = {}
  }
  const port =
    typeof saved.port === 'number' &&
    Number.isInteger(saved.port) &&
    saved.port > 0 &&
    saved.port < 65536
      ? saved.port
      : undefined
  if (options.renew) return { token: newToken(), port }
  if (typeof saved.token === 'string' && TOKEN_SHAPE.test(saved.token)) {
    return { token: saved.token, port }
  }
  return {
    token: newToken(),
    port: undefined,
    notice: `${HOST_FILE_NAME} in the data directory was unreadable: a new address was made, open it in the pages`,
  }
}

/** Keeps the identity for the next run: written whole (a temporary file, then rename) and readable by this user only. */
export function saveHostIdentity(dataDir: string, identity: { token: string; port: number }): void {
  const file = join(dataDir, HOST_FILE_NAME)
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, JSON.stringify({ token: identity.token, port: identity.port }) + '\n', {
    mode: 0o600,
  })
  // A temporary file left by a crash keeps its old mode when written again.
  if (process.platform !== 'win32' && (statSync(temp).mode & 0o077) !== 0) chmodSync(temp, 0o600)
  renameSync(temp, file)
}
