import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { seedDemoWorkspace } from '../../../src/main/core/demo/seed-demo'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
beforeEach(() => (t = createTestCore()))
afterEach(() => t.dispose())
const ctx = { operator: 'test' }

describe('the demo workspace’s bulletin sources', () => {
  it('are the official sources as published, and a shipped real bulletin read as our yellow alert', async () => {
    await seedDemoWorkspace(t.core.handlers, {
      contacts: 0,
      resourcesDir: join(__dirname, '../../../resources'),
    })
    const sources = await t.core.handlers['feeds:sources']({}, ctx)
    expect(sources.map((s) => [s.kind, s.url, s.enabled])).toEqual(
      expect.arrayContaining([
        [
          'dpc_criticita',
          'https://github.com/pcm-dpc/DPC-Bollettini-Criticita-Idrogeologica-Idraulica',
          false,
        ],
        [
          'dpc_vigilanza',
          'https://github.com/pcm-dpc/DPC-Bollettini-Vigilanza-Meteorologica',
          false,
        ],
        [
          'atom_cap_index',
          'https://feeds.meteoalarm.org/feeds/meteoalarm-legacy-atom-italy',
          false,
        ],
      ]),
    )
    const sample = sources.find((s) => s.url.startsWith('file:'))
    expect(sample?.enabled).toBe(true)
    const polled = await t.core.handlers['feeds:pollNow']({ id: sample!.id }, ctx)
    expect(polled).toMatchObject({ outcome: 'ok', inserted: 1 })
    // The bulletin of 20 July 2026 is past: listed (as expired), its banner not shown again.
    const { items } = await t.core.handlers['feeds:items']({ limit: 5 }, ctx)
    expect(items[0]).toMatchObject({ level: 'giallo', isOurs: true, kind: 'dpc_criticita' })
    const draft = await t.core.handlers['feeds:draftFor']({ itemId: items[0]!.id }, ctx)
    expect(draft).toMatchObject({ level: 'giallo', kind: 'pioggia' })
    expect(draft.comuni).toHaveLength(11)
  })
})
