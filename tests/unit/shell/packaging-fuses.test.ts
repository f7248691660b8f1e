import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The installers flip Electron's fuses: read the packaging config the way
 * electron-builder itself does (its loader, its schema, its own translation to
 * @electron/fuses), so a typo in a key or a fuse left on fails here.
 */
const root = join(__dirname, '../../..')
const require = createRequire(join(root, 'node_modules/app-builder-lib/package.json'))
// The package's index first: its packager classes import each other in a cycle.
const builder = require('app-builder-lib') as {
  PlatformPackager: { prototype: { generateFuseConfig(fuses: unknown): Promise<FuseWire> } }
}
const { getConfig, validateConfiguration } = require('./out/util/config/config') as {
  getConfig(dir: string, file: string, extra: null): Promise<{ electronFuses?: unknown }>
  validateConfiguration(config: unknown, logger: unknown): Promise<void>
}
const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown }
const { FuseV1Options } = require('@electron/fuses') as {
  FuseV1Options: Record<string, number>
}
type FuseWire = Record<string, unknown>

async function packagedFuses(): Promise<FuseWire> {
  const config = await getConfig(root, join(root, 'electron-builder.yml'), null)
  await validateConfiguration(config, new DebugLogger(false))
  expect(config.electronFuses).toBeDefined()
  return builder.PlatformPackager.prototype.generateFuseConfig.call({}, config.electronFuses)
}

describe('packaging fuses', () => {
  it.each([
    ['RunAsNode', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['OnlyLoadAppFromAsar', true],
    ['EnableCookieEncryption', true],
  ])('%s is written as %s into the packaged binary', async (fuse, wanted) => {
    const wire = await packagedFuses()
    const index = FuseV1Options[fuse]
    expect(index).toBeTypeOf('number')
    expect(wire[String(index)]).toBe(wanted)
  })

  it('the schema electron-builder checks refuses a misspelt fuse', async () => {
    await expect(
      validateConfiguration({ electronFuses: { runAsNod: false } }, new DebugLogger(false)),
    ).rejects.toThrow(/electronFuses/)
  })
})
