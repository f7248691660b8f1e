import { createHash } from 'node:crypto'
import { parsePhoneNumberFromString } from 'libphonenumber-js'
import type { IncomingCitizenMessage } from '../types'

/**
 * SMS citizens send to our SMPP number arrive as `deliver_sm` PDUs on the
 * adapter's session, which already acknowledges them (`onDeliver` in
 * channels/adapters/smpp.ts keeps the receipts and ignores the rest). These
 * turn the other ones into inbox messages.
 *
 * Wiring (left to the lead): in `onDeliver`, for a PDU that is not a receipt
 * (`(esm_class & 0x3c) === 0`), call `assembler.accept(pdu)` from an
 * assembler built per account and pass a returned message to
 * `citizens.ingest([message])`.
 */

/** The deliver_sm fields read here, as the `smpp` package decodes them. */
export interface DeliverSmFields {
  esm_class?: unknown
  source_addr?: unknown
  source_addr_ton?: unknown
  destination_addr?: unknown
  data_coding?: unknown
  short_message?: unknown
  message_payload?: unknown
  [field: string]: unknown
}

/** A concatenated-SMS part (UDH information element 0x00 or 0x08). */
interface PartInfo {
  reference: number
  total: number
  sequence: number
}

const RECEIPT_BITS = 0x3c
/** Replays of the same PDU within this window count as one message (the SMSC resends when our answer is lost). */
const DEDUP_WINDOW_MS = 10 * 60_000

function bytesToText(value: Buffer, dataCoding: number): string {
  if ((dataCoding & 0x0f) === 0x08) {
    // UCS-2 is big-endian; an odd trailing byte (a broken PDU) is dropped.
    const swapped = Buffer.from(value.subarray(0, value.length - (value.length % 2)))
    swapped.swap16()
    return swapped.toString('utf16le')
  }
  return value.toString('latin1')
}

function messageOf(
  value: unknown,
  dataCoding: number,
): { text: string; udh?: Buffer[] } | undefined {
  if (typeof value === 'string') return { text: value }
  if (Buffer.isBuffer(value)) return { text: bytesToText(value, dataCoding) }
  if (value && typeof value === 'object' && 'message' in value) {
    const inner = (value as { message: unknown; udh?: unknown }).message
    const udh = (value as { udh?: unknown }).udh
    const parts = Array.isArray(udh)
      ? (udh.filter((u) => Buffer.isBuffer(u)) as Buffer[])
      : undefined
    if (typeof inner === 'string') return { text: inner, ...(parts ? { udh: parts } : {}) }
    if (Buffer.isBuffer(inner))
      return { text: bytesToText(inner, dataCoding), ...(parts ? { udh: parts } : {}) }
  }
  return undefined
}

function partInfo(udh: Buffer[] | undefined): PartInfo | undefined {
  for (const ie of udh ?? []) {
    // [iei, length, ref(1|2 bytes), total, sequence]
    if (ie[0] === 0x00 && ie.length >= 5)
      return { reference: ie[2] ?? 0, total: ie[3] ?? 1, sequence: ie[4] ?? 1 }
    if (ie[0] === 0x08 && ie.length >= 6) {
      return {
        reference: ((ie[2] ?? 0) << 8) | (ie[3] ?? 0),
        total: ie[4] ?? 1,
        sequence: ie[5] ?? 1,
      }
    }
  }
  return undefined
}

/** The sender as E.164 when it is a number (TON 1 international, otherwise read as Italian). */
export function smppSenderToE164(address: string, ton: number): string {
  const digits = address.trim()
  if (!/^\+?\d{6,15}$/.test(digits)) return digits
  const candidate = ton === 1 && !digits.startsWith('+') ? `+${digits}` : digits.replace(/^00/, '+')
  const parsed = parsePhoneNumberFromString(candidate, 'IT')
  return parsed?.isPossible() ? parsed.number : digits
}

interface Decoded {
  sender: string
  destination: string
  text: string
  part?: PartInfo
}

function decode(pdu: DeliverSmFields): Decoded | undefined {
  const esm = typeof pdu.esm_class === 'number' ? pdu.esm_class : 0
  if ((esm & RECEIPT_BITS) !== 0) return undefined
  const dataCoding = typeof pdu.data_coding === 'number' ? pdu.data_coding : 0
  const body =
    messageOf(pdu.message_payload, dataCoding) ?? messageOf(pdu.short_message, dataCoding)
  if (!body) return undefined
  const ton = typeof pdu.source_addr_ton === 'number' ? pdu.source_addr_ton : 0
  const part = partInfo(body.udh)
  return {
    sender: smppSenderToE164(typeof pdu.source_addr === 'string' ? pdu.source_addr : '', ton),
    destination: typeof pdu.destination_addr === 'string' ? pdu.destination_addr : '',
    text: body.text,
    ...(part && part.total > 1 ? { part } : {}),
  }
}

function toMessage(
  d: Decoded,
  text: string,
  accountId: number | null,
  atMs: number,
  reference?: number,
): IncomingCitizenMessage {
  // deliver_sm carries no message id: the same sender, text and part reference within a
  // short window is the SMSC resending it, not the citizen writing again.
  const bucket = Math.floor(atMs / DEDUP_WINDOW_MS)
  const digest = createHash('sha256')
    .update([d.sender, d.destination, text, reference ?? '', bucket].join('\u0000'))
    .digest('hex')
    .slice(0, 32)
  return {
    family: 'sms',
    accountId,
    externalId: `smpp:${digest}`,
    threadId: d.destination || null,
    authorHandle: d.sender || null,
    text,
    receivedAt: new Date(atMs).toISOString(),
  }
}

/**
 * Turns one inbound `deliver_sm` into a message; undefined for delivery
 * receipts, PDUs without text, and parts of a longer SMS (see
 * {@link createSmppInboundAssembler} to join those).
 */
export function fromSmppDeliver(
  pdu: DeliverSmFields,
  options: { accountId: number | null; now?: () => number },
): IncomingCitizenMessage | undefined {
  const d = decode(pdu)
  if (!d || d.part) return undefined
  return toMessage(d, d.text, options.accountId, (options.now ?? Date.now)())
}

export interface SmppInboundAssembler {
  /** One deliver_sm: a whole message when it (or its last missing part) arrives. */
  accept(pdu: DeliverSmFields): IncomingCitizenMessage | undefined
  /** Parts still waiting for the rest. */
  pending(): number
}

/**
 * Joins the parts of concatenated SMS (an emoji makes any reply longer than
 * 70 characters arrive in parts). Incomplete messages are dropped after
 * `maxAgeMs`, and at most `maxPending` are kept, so a stream of stray parts
 * cannot grow memory.
 */
export function createSmppInboundAssembler(options: {
  accountId: number | null
  now?: () => number
  maxAgeMs?: number
  maxPending?: number
}): SmppInboundAssembler {
  const now = options.now ?? Date.now
  const maxAge = options.maxAgeMs ?? 10 * 60_000
  const maxPending = options.maxPending ?? 500
  const groups = new Map<string, { first: number; d: Decoded; parts: Map<number, string> }>()

  function expire(at: number) {
    for (const [key, g] of groups) if (at - g.first > maxAge) groups.delete(key)
  }

  function trim() {
    // Oldest first: a Map iterates in insertion order.
    while (groups.size > maxPending) {
      const oldest = groups.keys().next().value
      if (oldest === undefined) break
      groups.delete(oldest)
    }
  }

  return {
    accept(pdu) {
      const at = now()
      expire(at)
      const d = decode(pdu)
      if (!d) return undefined
      if (!d.part) return toMessage(d, d.text, options.accountId, at)
      const { reference, total, sequence } = d.part
      if (sequence < 1 || sequence > total) return undefined
      const key = `${d.sender}\u0000${d.destination}\u0000${reference}\u0000${total}`
      const group = groups.get(key) ?? { first: at, d, parts: new Map<number, string>() }
      group.parts.set(sequence, d.text)
      groups.set(key, group)
      if (group.parts.size < total) {
        trim()
        return undefined
      }
      groups.delete(key)
      const text = Array.from({ length: total }, (_, i) => group.parts.get(i + 1) ?? '').join('')
      return toMessage(d, text, options.accountId, group.first, reference)
    },
    pending: () => groups.size,
  }
}
