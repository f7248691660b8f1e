import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CitizenPage } from '../../../src/shared/citizens/types'
import { startSmppMoCenter, type SmppMoCenter } from '../../fakes/inbound/smpp-mo'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
let smsc: SmppMoCenter
const ctx = { operator: 'test' }

beforeEach(async () => {
  t = createTestCore()
  smsc = await startSmppMoCenter()
})
afterEach(async () => {
  await t.core.shutdown()
  t.dispose()
  await smsc.close()
})

const page = () => t.core.handlers['citizens:page']({ limit: 50 }, ctx) as Promise<CitizenPage>

describe('citizens SMS over SMPP in the running app', () => {
  it('binds a listening session for the SMPP account and files replies in the inbox, parts joined, receipts ignored', async () => {
    await t.core.handlers['channels:create'](
      {
        kind: 'sms_smpp',
        name: 'SMPP operatore',
        enabled: true,
        settings: {
          host: '127.0.0.1',
          port: smsc.port,
          systemId: 'vedetta',
          sourceAddr: 'ProtCiv',
        },
        secrets: { password: 'pw' },
      },
      ctx,
    )
    t.core.start()
    // The session binds in the background: deliver when the SMSC has it.
    await expect
      .poll(
        () =>
          smsc
            .deliver({
              source: '393471234567',
              sourceTon: 1,
              text: 'Via Roma allagata, serve aiuto',
            })
            .catch(() => -1),
        { timeout: 10_000 },
      )
      .toBe(0)
    await smsc.receipt('ABC123')
    const long = 'Siamo bloccati al primo piano con due anziani 🙏 '
    await smsc.deliver({
      source: '393487654321',
      sourceTon: 1,
      text: long,
      dataCoding: 0x08,
      part: { reference: 7, total: 2, sequence: 1 },
    })
    await smsc.deliver({
      source: '393487654321',
      sourceTon: 1,
      text: 'in via dei Pini 4, Fucecchio',
      dataCoding: 0x08,
      part: { reference: 7, total: 2, sequence: 2 },
    })
    await expect.poll(async () => (await page()).items.length, { timeout: 10_000 }).toBe(2)
    const items = (await page()).items
    expect(items.map((m) => [m.family, m.authorHandle])).toEqual([
      ['sms', '+393487654321'],
      ['sms', '+393471234567'],
    ])
    expect(items[0]!.text).toBe(long + 'in via dei Pini 4, Fucecchio')
  })
})
