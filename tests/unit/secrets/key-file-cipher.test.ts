import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createKeyFileCipher, KEY_FILE_NAME } from '../../../src/main/core/secrets/key-file-cipher'
import { seal, SecretUnavailableError } from '../../../src/main/core/secrets/cipher'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'vedetta-key-'))
  dirs.push(d)
  return d
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

describe('key-file cipher (host mode)', () => {
  it('creates a 0600 key file and round-trips secrets without storing them in clear', () => {
    const dir = tempDir()
    const cipher = createKeyFileCipher(dir)
    expect(statSync(join(dir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600)
    const sealed = cipher.encrypt('token-è-🚨')
    expect(sealed.toString('latin1')).not.toContain('token')
    expect(cipher.decrypt(sealed)).toBe('token-è-🚨')
    // Same key on a second open: the secret still decrypts.
    expect(createKeyFileCipher(dir).decrypt(sealed)).toBe('token-è-🚨')
  })

  it('tightens a key file left readable by others', () => {
    const dir = tempDir()
    createKeyFileCipher(dir)
    const file = join(dir, KEY_FILE_NAME)
    chmodSync(file, 0o644)
    createKeyFileCipher(dir)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('says clearly when a secret belongs to another key or another scheme', () => {
    const sealed = createKeyFileCipher(tempDir()).encrypt('x')
    const other = createKeyFileCipher(tempDir())
    expect(() => other.decrypt(sealed)).toThrow(SecretUnavailableError)
    expect(() => other.decrypt(seal('ss1', Buffer.from('abc')))).toThrow(
      /another Vedetta setup \(ss1\)/,
    )
  })

  it('refuses a damaged key file', () => {
    const dir = tempDir()
    writeFileSync(join(dir, KEY_FILE_NAME), 'short\n', { mode: 0o600 })
    expect(() => createKeyFileCipher(dir)).toThrow(/damaged/)
  })
})
