import smpp from 'smpp'
import type { AddressInfo } from 'node:net'

/**
 * A real SMPP 3.4 SMSC on 127.0.0.1 for tests, built on the `smpp` package's
 * server. It checks bind credentials, answers submit_sm with message ids,
 * decodes GSM-7 / UCS-2 and reassembles concatenated (UDH) parts, sends
 * deliver_sm receipts after a delay, and can throttle or reject on demand.
 */

export interface SmppPeerOptions {
  systemId: string
  password: string
  /** Delay before the receipt of each accepted part; undefined = no receipts. */
  receiptDelayMs?: number
  /** The stat each receipt reports; DELIVRD unless told. */
  receiptStat?: (destination: string) => string
  /** Write receipt ids in decimal while answering submit_sm in hex (a real SMSC quirk). */
  decimalReceiptIds?: boolean
}

/** One submit_sm as seen on the wire. */
export interface SubmitRecord {
  destination: string
  destTon: number
  source: string
  sourceTon: number
  dataCoding: number
  esmClass: number
  registeredDelivery: number
  /** Decoded text of this part (without the UDH). */
  text: string
  /** Concatenation info from the UDH, if any. */
  concat?: { reference: number; total: number; sequence: number }
  /** The message id answered, or undefined when the submit was refused. */
  messageId?: string
  status: number
}

/** A whole SMS, reassembled from its parts. */
export interface ReceivedSms {
  destination: string
  source: string
  dataCoding: number
  text: string
  parts: number
  messageIds: string[]
}

export interface SmppPeer {
  host: string
  port: number
  binds: { systemId: string; accepted: boolean }[]
  submits: SubmitRecord[]
  messages: ReceivedSms[]
  enquireLinks: number
  unbinds: number
  /** Answer `count` submit_sm with this status (ESME_RTHROTTLED by default), after accepting `skip` first. */
  throttleNext(count: number, status?: number, skip?: number): void
  /** Refuse every submit to this number with the given status. */
  rejectDestination(destination: string, status: number): void
  /** Stop answering submit_sm (to exercise response timeouts). */
  goSilent(silent: boolean): void
  /** Drop every open session, as a network cut would. */
  dropSessions(): void
  /** Resolves when the predicate holds, polling briefly (rejects after timeoutMs). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

interface Ie {
  id: number
  data: Buffer
}

function parseConcat(udh: Buffer[] | undefined): SubmitRecord['concat'] {
  for (const ie of (udh ?? []).map((b): Ie => ({ id: b[0] ?? -1, data: b.subarray(2) }))) {
    if (ie.id === 0x00 && ie.data.length === 3) {
      return { reference: ie.data[0]!, total: ie.data[1]!, sequence: ie.data[2]! }
    }
    if (ie.id === 0x08 && ie.data.length === 4) {
      return { reference: ie.data.readUInt16BE(0), total: ie.data[2]!, sequence: ie.data[3]! }
    }
  }
  return undefined
}

function decodedText(shortMessage: unknown): { text: string; udh?: Buffer[] } {
  if (shortMessage && typeof shortMessage === 'object' && 'message' in shortMessage) {
    const value = shortMessage as { message: unknown; udh?: Buffer[] }
    const text = typeof value.message === 'string' ? value.message : String(value.message)
    return value.udh ? { text, udh: value.udh } : { text }
  }
  return { text: typeof shortMessage === 'string' ? shortMessage : '' }
}

function receiptDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}`
}

const STAT_STATE: Record<string, number> = {
  DELIVRD: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIV: 5,
  ACCEPTD: 6,
  UNKNOWN: 7,
  REJECTD: 8,
}

/** Starts the peer on an ephemeral loopback port. */
export async function startSmppPeer(options: SmppPeerOptions): Promise<SmppPeer> {
  const binds: SmppPeer['binds'] = []
  const submits: SubmitRecord[] = []
  const messages: ReceivedSms[] = []
  const rejections = new Map<string, number>()
  const timers = new Set<NodeJS.Timeout>()
  const pendingParts = new Map<string, SubmitRecord[]>()
  let throttle = { count: 0, status: 0x58, skip: 0 }
  let silent = false
  let nextId = 0x1a2b00
  const counters = { enquireLinks: 0, unbinds: 0 }
  const bound = new Set<smpp.Session>()

  function sendReceipt(record: SubmitRecord): void {
    if (options.receiptDelayMs === undefined || !record.messageId) return
    const timer = setTimeout(() => {
      timers.delete(timer)
      const session = [...bound][0]
      if (!session || !record.messageId) return
      const stat = options.receiptStat?.(record.destination) ?? 'DELIVRD'
      const id = options.decimalReceiptIds
        ? String(parseInt(record.messageId, 16))
        : record.messageId
      const date = receiptDate(new Date())
      const err = stat === 'DELIVRD' ? '000' : '001'
      const text = `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${date} done date:${date} stat:${stat} err:${err} text:`
      session.send(
        new smpp.PDU('deliver_sm', {
          source_addr: record.destination,
          destination_addr: record.source,
          esm_class: 0x04,
          data_coding: 0,
          short_message: { message: text },
          ...(options.decimalReceiptIds
            ? {}
            : { receipted_message_id: id, message_state: STAT_STATE[stat] ?? 7 }),
        }),
      )
    }, options.receiptDelayMs)
    timers.add(timer)
  }

  function collect(record: SubmitRecord): void {
    if (!record.concat) {
      messages.push({
        destination: record.destination,
        source: record.source,
        dataCoding: record.dataCoding,
        text: record.text,
        parts: 1,
        messageIds: [record.messageId ?? ''],
      })
      return
    }
    const key = `${record.source}>${record.destination}#${record.concat.reference}`
    const parts = [...(pendingParts.get(key) ?? []), record]
    if (parts.length < record.concat.total) {
      pendingParts.set(key, parts)
      return
    }
    pendingParts.delete(key)
    parts.sort((a, b) => (a.concat?.sequence ?? 0) - (b.concat?.sequence ?? 0))
    messages.push({
      destination: record.destination,
      source: record.source,
      dataCoding: record.dataCoding,
      text: parts.map((p) => p.text).join(''),
      parts: parts.length,
      messageIds: parts.map((p) => p.messageId ?? ''),
    })
  }

  const server = smpp.createServer({}, (session) => {
    session.on('error', () => undefined)
    session.on('close', () => bound.delete(session))
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      const accepted = pdu.system_id === options.systemId && pdu.password === options.password
      binds.push({ systemId: String(pdu.system_id), accepted })
      if (!accepted) {
        const status =
          pdu.system_id === options.systemId
            ? smpp.errors.ESME_RINVPASWD
            : smpp.errors.ESME_RINVSYSID
        session.send(pdu.response({ command_status: status }))
        return
      }
      bound.add(session)
      session.send(pdu.response({ system_id: 'fake-smsc' }))
    })
    session.on('enquire_link', (pdu: smpp.PDU) => {
      counters.enquireLinks++
      session.send(pdu.response())
    })
    session.on('unbind', (pdu: smpp.PDU) => {
      counters.unbinds++
      bound.delete(session)
      session.send(pdu.response(), () => session.close())
    })
    session.on('submit_sm', (pdu: smpp.PDU) => {
      if (!bound.has(session)) {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RINVBNDSTS }))
        return
      }
      if (silent) return
      const { text, udh } = decodedText(pdu.short_message)
      const concat = parseConcat(udh)
      const record: SubmitRecord = {
        destination: String(pdu.destination_addr),
        destTon: Number(pdu.dest_addr_ton),
        source: String(pdu.source_addr),
        sourceTon: Number(pdu.source_addr_ton),
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        registeredDelivery: Number(pdu.registered_delivery),
        text,
        ...(concat ? { concat } : {}),
        status: 0,
      }
      const rejected = rejections.get(record.destination)
      const throttled = throttle.count > 0 && throttle.skip-- <= 0
      if (throttled || rejected !== undefined) {
        record.status = throttled ? throttle.status : (rejected ?? 0)
        if (throttled) throttle.count--
        submits.push(record)
        session.send(pdu.response({ command_status: record.status }))
        return
      }
      record.messageId = (nextId++).toString(16)
      submits.push(record)
      session.send(pdu.response({ message_id: record.messageId }))
      collect(record)
      if (record.registeredDelivery & 0x01) sendReceipt(record)
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    host: '127.0.0.1',
    port,
    binds,
    submits,
    messages,
    get enquireLinks() {
      return counters.enquireLinks
    },
    get unbinds() {
      return counters.unbinds
    },
    throttleNext(count, status = 0x58, skip = 0) {
      throttle = { count, status, skip }
    },
    rejectDestination(destination, status) {
      rejections.set(destination, status)
    },
    goSilent(value) {
      silent = value
    },
    dropSessions() {
      for (const session of [...server.sessions]) session.destroy()
      bound.clear()
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('smpp peer: condition not met in time')
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    async close() {
      for (const timer of timers) clearTimeout(timer)
      for (const session of [...server.sessions]) session.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
