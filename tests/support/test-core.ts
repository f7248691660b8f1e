import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from '../../src/main/core/app'
import { createKeyFileCipher } from '../../src/main/core/secrets/key-file-cipher'

export interface TestCore {
  core: Core
  dataDir: string
  dispose(): void
}

/** A real core over a real SQLite file in a fresh temp directory. */
export function createTestCore(): TestCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-test-'))
  const core = createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../resources'),
  })
  return {
    core,
    dataDir,
    dispose() {
      core.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
