/**
 * Encrypts secrets (API tokens, SMTP passwords) before they reach the database.
 * The desktop app uses Electron's safeStorage; host mode and the CLI use a key file.
 * Each ciphertext starts with the scheme's tag, so a secret written by one
 * scheme is recognised (and reported) rather than decoded into garbage by another.
 */
export interface SecretCipher {
  readonly scheme: string
  encrypt(plain: string): Buffer
  decrypt(sealed: Buffer): string
}

export class SecretUnavailableError extends Error {
  override name = 'SecretUnavailableError'
}

export function tagOf(sealed: Buffer): string {
  const colon = sealed.indexOf(0x3a)
  return colon > 0 && colon < 16 ? sealed.subarray(0, colon).toString('latin1') : ''
}

export function seal(scheme: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${scheme}:`, 'latin1'), body])
}

export function unseal(scheme: string, sealed: Buffer): Buffer {
  const tag = tagOf(sealed)
  if (tag !== scheme) {
    throw new SecretUnavailableError(
      `this secret was saved by another Vedetta setup (${tag || 'unknown'}), not by this one (${scheme}): enter it again`,
    )
  }
  return sealed.subarray(scheme.length + 1)
}
