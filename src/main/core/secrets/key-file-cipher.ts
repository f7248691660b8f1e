import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seal, SecretUnavailableError, unseal, type SecretCipher } from './cipher'

export const KEY_FILE_NAME = 'secret.key'
const SCHEME = 'kf1'

/**
 * AES-256-GCM with a random key kept in a 0600 file in the data directory.
 * Used where Electron's safeStorage is not available (host mode, CLI).
 */
export function createKeyFileCipher(dataDir: string): SecretCipher {
  const key = loadOrCreateKey(join(dataDir, KEY_FILE_NAME))
  return {
    scheme: SCHEME,
    encrypt(plain) {
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
      return seal(SCHEME, Buffer.concat([iv, c.getAuthTag(), body]))
    },
    decrypt(sealed) {
      const raw = unseal(SCHEME, sealed)
      try {
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12))
        d.setAuthTag(raw.subarray(12, 28))
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8')
      } catch {
        throw new SecretUnavailableError(
          'this secret cannot be decrypted with the key of this data directory: enter it again',
        )
      }
    },
  }
}

function loadOrCreateKey(file: string): Buffer {
  if (!existsSync(file)) {
    // 'wx' fails if another process created it meanwhile; then we read theirs.
    try {
      writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600)
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
  if (key.length !== 32) throw new Error(`the key file ${file} is damaged (expected a 32-byte key)`)
  return key
}
