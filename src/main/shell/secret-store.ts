import { CoreError } from '../core/errors'
import { KEY_FILE_NAME } from '../core/secrets/key-file-cipher'
import { tagOf, type SecretCipher } from '../core/secrets/cipher'

/**
 * Where the desktop app seals secrets (API tokens, passwords).
 * - `os-keychain`: Electron's safeStorage over Keychain, DPAPI, libsecret or KWallet;
 * - `key-file`: the random key in the data folder's `secret.key` (0600), as
 *   `vedetta host` does, when the ICT officer chose it;
 * - `none`: no safe place, so no new secret is stored (those already saved stay readable).
 */
export type SecretStore = 'os-keychain' | 'key-file' | 'none'

export interface SecretStoreFacts {
  platform: NodeJS.Platform
  /** `safeStorage.isEncryptionAvailable()`, read after the app is ready. */
  encryptionAvailable: boolean
  /** Linux only: `safeStorage.getSelectedStorageBackend()`. */
  linuxBackend?: string
  /** The ICT officer chose the key file (see {@link keyFileChosen}). */
  keyFileChosen: boolean
}

export interface SecretStoreChoice {
  store: SecretStore
  /** What the room's Stato shows from start-up, and why saving a secret is refused. */
  problem?: string
  /** One line for the log. */
  log: string
}

/** The switch and the variable by which the ICT officer chooses the key file. */
export const KEY_FILE_SWITCH = '--secret-store=key-file'
export const KEY_FILE_ENV = 'VEDETTA_SECRET_STORE'

export function keyFileChosen(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes(KEY_FILE_SWITCH) || env[KEY_FILE_ENV] === 'key-file'
}

const HOW_TO_CHOOSE =
  `oppure l'ufficio ICT può scegliere il file chiave ${KEY_FILE_NAME} nella cartella dei dati, ` +
  `come fa «vedetta host», avviando Vedetta con ${KEY_FILE_ENV}=key-file (o ${KEY_FILE_SWITCH})`

/**
 * Linux without a keyring makes safeStorage fall back to `basic_text`, a key
 * written in Chromium's source: a secret "sealed" that way is readable by
 * anyone who copies the database. Vedetta says so and stores nothing new.
 */
export function chooseSecretStore(facts: SecretStoreFacts): SecretStoreChoice {
  if (facts.keyFileChosen) {
    return {
      store: 'key-file',
      log: `secrets are sealed with ${KEY_FILE_NAME} in the data folder (chosen with ${KEY_FILE_ENV})`,
    }
  }
  if (facts.platform === 'linux' && facts.linuxBackend === 'basic_text') {
    return {
      store: 'none',
      problem:
        'Su questo computer non c’è un portachiavi del sistema (GNOME Keyring o KWallet): ' +
        'Vedetta non salva nuovi segreti (token, password), che resterebbero leggibili da chi copia i dati. ' +
        `Avvia un portachiavi e riapri Vedetta, ${HOW_TO_CHOOSE}.`,
      log: 'safeStorage fell back to basic_text (no keyring): new secrets are refused',
    }
  }
  if (!facts.encryptionAvailable) {
    return {
      store: 'none',
      problem:
        'Il sistema operativo non offre un archivio sicuro per i segreti: ' +
        `Vedetta non salva nuovi segreti (token, password); ${HOW_TO_CHOOSE}.`,
      log: 'safeStorage is not available: new secrets are refused',
    }
  }
  return { store: 'os-keychain', log: 'secrets are sealed by the OS keychain (safeStorage)' }
}

/**
 * The cipher for a choice. With the key file, secrets saved earlier through the
 * keychain are still read; with none, saving is refused with the reason shown in Stato.
 */
export function buildSecretCipher(
  choice: SecretStoreChoice,
  ciphers: { os: SecretCipher; keyFile: () => SecretCipher },
): SecretCipher {
  const { os } = ciphers
  switch (choice.store) {
    case 'os-keychain':
      return os
    case 'key-file': {
      const file = ciphers.keyFile()
      return {
        scheme: file.scheme,
        encrypt: (plain) => file.encrypt(plain),
        decrypt: (sealed) => (tagOf(sealed) === os.scheme ? os : file).decrypt(sealed),
      }
    }
    case 'none': {
      const reason = choice.problem ?? 'Vedetta non ha un luogo sicuro per i segreti'
      return {
        scheme: os.scheme,
        encrypt() {
          throw new CoreError('unavailable', reason)
        },
        decrypt: (sealed) => os.decrypt(sealed),
      }
    }
  }
}
