import { safeStorage } from 'electron'
import { seal, SecretUnavailableError, unseal, type SecretCipher } from '../core/secrets/cipher'
import { createKeyFileCipher } from '../core/secrets/key-file-cipher'
import {
  buildSecretCipher,
  chooseSecretStore,
  keyFileChosen,
  type SecretStoreChoice,
} from './secret-store'

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

/** The desktop's cipher, chosen from what this machine offers (call after `app` is ready). */
export function createDesktopSecretCipher(dataDir: string): {
  cipher: SecretCipher
  choice: SecretStoreChoice
} {
  const choice = chooseSecretStore({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    ...(process.platform === 'linux'
      ? { linuxBackend: safeStorage.getSelectedStorageBackend() }
      : {}),
    keyFileChosen: keyFileChosen(process.argv, process.env),
  })
  const cipher = buildSecretCipher(choice, {
    os: createSafeStorageCipher(),
    keyFile: () => createKeyFileCipher(dataDir),
  })
  return { cipher, choice }
}
