import smpp from 'smpp'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createSmppInboundAssembler,
  fromSmppDeliver,
  type SmppInboundAssembler,
} from '../../../src/main/core/citizens/inbound/smpp'
import type { CitizenMessage } from '../../../src/shared/citizens/types'
import { startSmppMoCenter, type SmppMoCenter } from '../../fakes/inbound/smpp-mo'
import { openInbox, type Inbox } from './support'

/**
 * Citizens' SMS over SMPP: a loopback SMSC sends real deliver_sm PDUs to an
 * ESME session; the session hands each PDU to the assembler, as the SMPP
 * adapter's onDeliver hook will, and whole messages go into the inbox.
 */

let center: SmppMoCenter | undefined
let esme: smpp.Session | undefined
let inbox: Inbox | undefined

afterEach(async () => {
  esme?.destroy()
  esme = undefined
  await center?.close()
  center = undefined
  inbox?.dispose()
  inbox = undefined
})

async function setup(): Promise<{
  center: SmppMoCenter
  inbox: Inbox
  stored: CitizenMessage[]
  assembler: SmppInboundAssembler
}> {
  center = await startSmppMoCenter()
  inbox = openInbox()
  const accountId = inbox.addAccount('sms_smpp')
  const assembler = createSmppInboundAssembler({ accountId })
  const stored: CitizenMessage[] = []
  const box = inbox
  esme = smpp.connect({ host: '127.0.0.1', port: center.port })
  const session = esme
  session.on('error', () => {})
  session.on('deliver_sm', (pdu: smpp.PDU) => {
    session.send(pdu.response())
    const message = assembler.accept(pdu)
    if (message) stored.push(...box.service.ingest([message]))
  })
  await new Promise<void>((resolve, reject) => {
    session.once('connect', () => {
      session.send(
        new smpp.PDU('bind_transceiver', { system_id: 'vedetta', password: 'pw' }),
        (resp) => (resp.command_status === 0 ? resolve() : reject(new Error('bind refused'))),
      )
    })
  })
  return { center, inbox, stored, assembler }
}

describe('citizens SMS over SMPP (deliver_sm)', () => {
  it('stores a plain reply with the sender in E.164', async () => {
    const { center, stored } = await setup()
    expect(await center.deliver({ source: '393471234567', text: 'OK ricevuto, grazie' })).toBe(0)
    expect(stored).toEqual([
      expect.objectContaining({
        family: 'sms',
        authorHandle: '+393471234567',
        text: 'OK ricevuto, grazie',
      }),
    ])
  })

  it('decodes UCS-2 texts with accents and emoji', async () => {
    const { center, stored } = await setup()
    await center.deliver({ source: '393331112222', text: 'Perché è chiusa? 🙏', dataCoding: 0x08 })
    expect(stored[0]?.text).toBe('Perché è chiusa? 🙏')
  })

  it('joins the parts of a long reply, whatever order they arrive in', async () => {
    const { center, stored, assembler } = await setup()
    const parts = [
      'Buongiorno, in via Roma a Vinci ',
      "l'acqua è già alta mezzo metro ",
      'e la gente è sui tetti!',
    ]
    for (const sequence of [2, 3, 1]) {
      await center.deliver({
        source: '393471234567',
        text: parts[sequence - 1] ?? '',
        part: { reference: 77, total: 3, sequence },
      })
      if (sequence !== 1) expect(stored).toEqual([])
    }
    expect(stored.map((m) => m.text)).toEqual([parts.join('')])
    expect(assembler.pending()).toBe(0)
  })

  it('ignores delivery receipts and stores a resent PDU once', async () => {
    const { center, stored, inbox } = await setup()
    await center.receipt('1a2b3c')
    await center.deliver({ source: '3471234567', sourceTon: 0, text: 'Serve aiuto' })
    await center.deliver({ source: '3471234567', sourceTon: 0, text: 'Serve aiuto' })
    expect(stored).toHaveLength(1)
    expect(stored[0]?.authorHandle).toBe('+393471234567')
    expect(inbox.service.counts().nuovo).toBe(1)
  })
})

describe('fromSmppDeliver', () => {
  it('reads one decoded PDU and refuses receipts and lone parts', () => {
    const now = () => Date.parse('2026-02-07T12:00:00Z')
    const base = {
      source_addr: '393471234567',
      source_addr_ton: 1,
      destination_addr: '393400000001',
      data_coding: 0,
    }
    expect(
      fromSmppDeliver(
        { ...base, esm_class: 0, short_message: { message: 'Tutto ok' } },
        { accountId: 3, now },
      ),
    ).toMatchObject({
      family: 'sms',
      accountId: 3,
      authorHandle: '+393471234567',
      text: 'Tutto ok',
      receivedAt: '2026-02-07T12:00:00.000Z',
    })
    expect(
      fromSmppDeliver(
        { ...base, esm_class: 0x04, short_message: { message: 'id:1 stat:DELIVRD' } },
        { accountId: 3 },
      ),
    ).toBeUndefined()
    const lonePart = { message: 'metà', udh: [Buffer.from([0x00, 0x03, 9, 2, 1])] }
    expect(
      fromSmppDeliver({ ...base, esm_class: 0x40, short_message: lonePart }, { accountId: 3 }),
    ).toBeUndefined()
    // UCS-2 bytes the package did not decode, with an odd stray byte.
    const raw = Buffer.concat([Buffer.from('Sì', 'utf16le').swap16(), Buffer.from([0x41])])
    expect(
      fromSmppDeliver(
        { ...base, esm_class: 0, data_coding: 8, short_message: raw },
        { accountId: 3 },
      )?.text,
    ).toBe('Sì')
    // An alphanumeric sender stays as it is (and cannot be answered by SMS).
    expect(
      fromSmppDeliver(
        { ...base, source_addr: 'INFO', esm_class: 0, short_message: 'x' },
        { accountId: 3 },
      )?.authorHandle,
    ).toBe('INFO')
  })

  it('drops stale and excess unfinished parts so memory stays bounded', () => {
    let t = 0
    const assembler = createSmppInboundAssembler({
      accountId: 1,
      now: () => t,
      maxAgeMs: 1000,
      maxPending: 3,
    })
    const part = (ref: number) => ({
      source_addr: '393471234567',
      source_addr_ton: 1,
      esm_class: 0x40,
      short_message: { message: 'x', udh: [Buffer.from([0x00, 0x03, ref, 2, 1])] },
    })
    for (let ref = 0; ref < 10; ref++) assembler.accept(part(ref))
    expect(assembler.pending()).toBe(3)
    t = 5000
    assembler.accept({ source_addr: '393471234567', esm_class: 0, short_message: 'ciao' })
    expect(assembler.pending()).toBe(0)
  })
})
