import { homedir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from '../core/app'
import { createKeyFileCipher } from '../core/secrets/key-file-cipher'
import { resolveDataDir } from '../core/workspace'
import { version } from '../../../package.json'

export const appVersion: string = version

export function dataDirFrom(flag: string | undefined): string {
  return resolveDataDir(flag, process.env, process.platform, homedir())
}

/** The core as the CLI and the host run it: secrets sealed with the data directory's key file. */
export function openCore(dataDir: string): Core {
  return createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: appVersion,
    resourcesDir: resourcesDir(),
  })
}

/** Data shipped with the app, at the repository root (out/main → resources). */
export const resourcesDir = (): string => join(__dirname, '../../resources')

/** The built renderer, beside the built CLI (out/main/cli.js → out/renderer). */
export const rendererDir = (): string => join(__dirname, '../renderer')
