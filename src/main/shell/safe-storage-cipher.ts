import { safeStorage } from 'electron'
import { seal, SecretUnavailableError, unseal, type SecretCipher } from '../core/secrets/cipher'

const SCHEME = 'ss1'

/** Secrets sealed by the OS keychain (Keychain, DPAPI, libsecret) through Electron's safeStorage. */
export function createSafeStorageCipher(): SecretCipher {
  const ensure = () => {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new SecretUnavailableError(
        'the operating system offers no secure storage for secrets on this machine',
      )
    }
  }
  return {
    scheme: SCHEME,
    encrypt(plain) {
      ensure()
      return seal(SCHEME, safeStorage.encryptString(plain))
    },
    decrypt(sealed) {
      ensure()
      return safeStorage.decryptString(unseal(SCHEME, sealed))
    },
  }
}
