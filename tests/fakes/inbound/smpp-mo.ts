import type { AddressInfo } from 'node:net'
import smpp from 'smpp'

/**
 * A loopback SMSC that delivers citizens' SMS (mobile-originated) to a bound
 * ESME as `deliver_sm` PDUs, encoded by the `smpp` package as a real SMSC
 * would: GSM/Latin-1 or UCS-2 text, optional UDH for concatenated parts, and
 * delivery receipts (esm_class 0x04) mixed in. Each deliver_sm waits for the
 * ESME's deliver_sm_resp; an unanswered one can be sent again (a resend).
 */

export interface MoSms {
  source: string
  /** 1 = international (E.164 digits without "+"), 0 = unknown/national. */
  sourceTon?: number
  destination?: string
  text: string
  /** 0x08 forces UCS-2; left out, the package picks the alphabet. */
  dataCoding?: number
  /** Concatenated part: reference, total, sequence (8-bit reference IE). */
  part?: { reference: number; total: number; sequence: number }
}

export interface SmppMoCenter {
  port: number
  /** Sends one deliver_sm to the bound ESME; resolves with the command_status of its answer. */
  deliver(sms: MoSms): Promise<number>
  /** Sends a delivery receipt (not a citizen message). */
  receipt(messageId: string): Promise<number>
  close(): Promise<void>
}

export async function startSmppMoCenter(): Promise<SmppMoCenter> {
  const sessions = new Set<smpp.Session>()
  const server = smpp.createServer({}, (session) => {
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      sessions.add(session)
      session.send(pdu.response())
    })
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()))
    session.on('unbind', (pdu: smpp.PDU) => {
      sessions.delete(session)
      session.send(pdu.response())
      session.close()
    })
    session.on('close', () => sessions.delete(session))
    session.on('error', () => sessions.delete(session))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  function send(pdu: smpp.PDU): Promise<number> {
    const session = [...sessions][0]
    if (!session) return Promise.reject(new Error('no ESME bound'))
    return new Promise((resolve) => session.send(pdu, (resp) => resolve(resp.command_status)))
  }

  return {
    port,
    deliver(sms) {
      const udh = sms.part
        ? Buffer.from([0x05, 0x00, 0x03, sms.part.reference, sms.part.total, sms.part.sequence])
        : undefined
      return send(
        new smpp.PDU('deliver_sm', {
          source_addr_ton: sms.sourceTon ?? 1,
          source_addr_npi: 1,
          source_addr: sms.source,
          destination_addr: sms.destination ?? '393400000001',
          esm_class: 0,
          data_coding: sms.dataCoding ?? null,
          short_message: udh ? { message: sms.text, udh } : { message: sms.text },
        }),
      )
    },
    receipt(messageId) {
      return send(
        new smpp.PDU('deliver_sm', {
          source_addr: '393471234567',
          destination_addr: '393400000001',
          esm_class: 0x04,
          short_message: {
            message: `id:${messageId} sub:001 dlvrd:001 submit date:2602071200 done date:2602071201 stat:DELIVRD err:000 text:`,
          },
        }),
      )
    },
    async close() {
      for (const s of sessions) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
