import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core/app'
import { seal, unseal, type SecretCipher } from '../../../src/main/core/secrets/cipher'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { workspaceFile } from '../../../src/main/core/workspace'
import {
  buildSecretCipher,
  chooseSecretStore,
  keyFileChosen,
  type SecretStoreChoice,
  type SecretStoreFacts,
} from '../../../src/main/shell/secret-store'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { Envelope, HealthProblem } from '../../../src/shared/contract'

/** safeStorage as `basic_text` is: a fixed, public key; here, no key at all. */
const plainTextOs: SecretCipher = {
  scheme: 'ss1',
  encrypt: (plain) => seal('ss1', Buffer.from(plain, 'utf8')),
  decrypt: (sealed) => unseal('ss1', sealed).toString('utf8'),
}

const linux = (facts: Partial<SecretStoreFacts> = {}): SecretStoreChoice =>
  chooseSecretStore({
    platform: 'linux',
    encryptionAvailable: true,
    linuxBackend: 'gnome_libsecret',
    keyFileChosen: false,
    ...facts,
  })

describe('where the desktop seals secrets', () => {
  it('uses the OS keychain when there is one', () => {
    expect(linux().store).toBe('os-keychain')
    expect(linux({ linuxBackend: 'kwallet6' }).store).toBe('os-keychain')
    expect(
      chooseSecretStore({ platform: 'darwin', encryptionAvailable: true, keyFileChosen: false })
        .store,
    ).toBe('os-keychain')
    expect(linux().problem).toBeUndefined()
  })

  it('on Linux without a keyring (basic_text) stores no new secret and says why and what to do', () => {
    const choice = linux({ linuxBackend: 'basic_text' })
    expect(choice.store).toBe('none')
    expect(choice.problem).toMatch(/portachiavi/)
    expect(choice.problem).toMatch(/VEDETTA_SECRET_STORE=key-file/)
    expect(choice.log).toMatch(/basic_text/)
  })

  it('with no secure storage at all stores no new secret either', () => {
    const choice = chooseSecretStore({
      platform: 'win32',
      encryptionAvailable: false,
      keyFileChosen: false,
    })
    expect(choice.store).toBe('none')
    expect(choice.problem).toMatch(/archivio sicuro/)
  })

  it('uses the key file when the ICT officer chose it, with the switch or the variable', () => {
    expect(keyFileChosen(['/opt/Vedetta/vedetta', '--secret-store=key-file'], {})).toBe(true)
    expect(keyFileChosen(['/opt/Vedetta/vedetta'], { VEDETTA_SECRET_STORE: 'key-file' })).toBe(true)
    expect(keyFileChosen(['/opt/Vedetta/vedetta'], { VEDETTA_SECRET_STORE: 'keychain' })).toBe(
      false,
    )
    const choice = linux({ linuxBackend: 'basic_text', keyFileChosen: true })
    expect(choice.store).toBe('key-file')
    expect(choice.problem).toBeUndefined()
  })
})

const gateway = {
  kind: 'sms_gateway',
  name: 'SMS scuole',
  settings: {
    baseUrl: 'https://gw.example.it/API/v1.0/REST/',
    username: 'circondario',
    sender: 'ProtCiv',
    messageType: 'GP',
  },
  secrets: { password: 'p4ss-segreta' },
}

describe('the desktop core on Linux without a keyring', () => {
  let dataDir: string
  let core: Core | undefined
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vedetta-secrets-'))
  })
  afterEach(() => {
    core?.close()
    core = undefined
    rmSync(dataDir, { recursive: true, force: true })
  })

  function open(choice: SecretStoreChoice) {
    core = createCore({
      dataDir,
      cipher: buildSecretCipher(choice, {
        os: plainTextOs,
        keyFile: () => createKeyFileCipher(dataDir),
      }),
      startupProblems: choice.problem ? [{ source: 'secrets', message: choice.problem }] : [],
      shell: 'electron',
      version: 'test',
      resourcesDir: join(__dirname, '../../../resources'),
    })
    const dispatch = createDispatch(core.handlers)
    return (name: string, payload: unknown): Promise<Envelope> =>
      dispatch(name, payload, { operator: 'm.rossi' })
  }

  const storedCiphertexts = () => {
    core!.db.pragma('wal_checkpoint(TRUNCATE)')
    const raw = new Database(workspaceFile(dataDir), { readonly: true })
    try {
      return (
        raw.prepare('SELECT ciphertext FROM channel_secrets').all() as { ciphertext: Buffer }[]
      ).map((r) => r.ciphertext)
    } finally {
      raw.close()
    }
  }

  it('shows the problem in Stato from the start and refuses to save a password', async () => {
    const choice = linux({ linuxBackend: 'basic_text' })
    const call = open(choice)
    const health = await call('system:health', {})
    expect(health.ok && (health.value as HealthProblem[])).toEqual([
      expect.objectContaining({ source: 'secrets', message: choice.problem }),
    ])
    const r = await call('channels:create', gateway)
    expect(r).toMatchObject({ ok: false, error: { code: 'unavailable', message: choice.problem } })
    const list = await call('channels:list', {})
    expect(list.ok && list.value).toEqual([])
    expect(storedCiphertexts()).toEqual([])
  })

  it('still reads a secret the keychain sealed before', () => {
    const cipher = buildSecretCipher(linux({ linuxBackend: 'basic_text' }), {
      os: plainTextOs,
      keyFile: () => createKeyFileCipher(dataDir),
    })
    expect(cipher.decrypt(plainTextOs.encrypt('vecchio-token'))).toBe('vecchio-token')
  })

  it('with the key file chosen, seals with it (the host reads them too) and reads older keychain secrets', async () => {
    const choice = linux({ linuxBackend: 'basic_text', keyFileChosen: true })
    const call = open(choice)
    const health = await call('system:health', {})
    expect(health.ok && health.value).toEqual([])
    const r = await call('channels:create', gateway)
    expect(r.ok).toBe(true)
    const [sealed] = storedCiphertexts()
    expect(sealed!.subarray(0, 4).toString('latin1')).toBe('kf1:')
    expect(sealed!.toString('latin1')).not.toContain('p4ss-segreta')
    expect(createKeyFileCipher(dataDir).decrypt(sealed!)).toBe('p4ss-segreta')

    const cipher = buildSecretCipher(choice, {
      os: plainTextOs,
      keyFile: () => createKeyFileCipher(dataDir),
    })
    expect(cipher.decrypt(plainTextOs.encrypt('vecchio-token'))).toBe('vecchio-token')
  })
})
