import type { DeliveryStatus } from '../adapter'

/**
 * SMPP delivery receipts: parsing the deliver_sm text (SMPP 3.4 Appendix B,
 * `id:… sub:… dlvrd:… submit date:… done date:… stat:DELIVRD err:… text:…`) and
 * remembering what they said per message id, so fetchStatus can answer.
 */

export interface DeliveryReceipt {
  /** The SMSC message id the receipt is about. */
  messageId: string
  /** The seven-letter final state: DELIVRD, UNDELIV, REJECTD, EXPIRED, DELETED, ACCEPTD, ENROUTE, UNKNOWN. */
  stat: string
  /** Network or SMSC error code, when given. */
  err?: string
}

/** message_state TLV values (SMPP 3.4 §5.2.28) as the receipt stat words. */
const MESSAGE_STATE_STAT: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
}

/**
 * Reads a receipt from the deliver_sm fields. The receipted_message_id and
 * message_state TLVs win over the text when present (SMPP 3.4 says they are the
 * reliable form; the text format is only informative). Returns undefined for a
 * deliver_sm that is not a receipt or carries no id.
 */
export function parseReceipt(fields: {
  text: string
  receiptedMessageId?: string
  messageState?: number
}): DeliveryReceipt | undefined {
  const idMatch = /(?:^|\s)id:(\S+)/i.exec(fields.text)
  const statMatch = /(?:^|\s)stat:([A-Za-z]+)/i.exec(fields.text)
  const errMatch = /(?:^|\s)err:(\S+)/i.exec(fields.text)
  const messageId = fields.receiptedMessageId || idMatch?.[1]
  const stateStat =
    fields.messageState === undefined ? undefined : MESSAGE_STATE_STAT[fields.messageState]
  const stat = (statMatch?.[1] ?? stateStat)?.toUpperCase()
  if (!messageId || !stat) return undefined
  return { messageId, stat, ...(errMatch?.[1] ? { err: errMatch[1] } : {}) }
}

const FAILED_REASON: Record<string, string> = {
  UNDELIV: 'Messaggio non consegnabile al destinatario',
  REJECTD: 'Messaggio rifiutato dalla rete',
  EXPIRED: 'Messaggio scaduto prima della consegna (telefono spento o irraggiungibile)',
  DELETED: 'Messaggio cancellato dal centro SMS',
}

/** What a receipt means for the delivery board. */
export function receiptStatus(receipt: DeliveryReceipt, at: string): DeliveryStatus {
  if (receipt.stat === 'DELIVRD') return { status: 'delivered', at }
  if (receipt.stat === 'ACCEPTD' || receipt.stat === 'ENROUTE') return { status: 'pending', at }
  const reason = FAILED_REASON[receipt.stat]
  if (reason) {
    const err = receipt.err && !/^0+$/.test(receipt.err) ? ` err:${receipt.err}` : ''
    return {
      status: 'failed',
      reason: `${reason} (stat:${receipt.stat}${err})`,
      code: receipt.stat.toLowerCase(),
    }
  }
  return { status: 'unknown' }
}

/**
 * SMSCs disagree on id formats: some answer submit_sm in hex and write the
 * receipt id in decimal (or the reverse), some pad with zeros. These are the
 * spellings one id may have on the other side.
 */
export function idSpellings(id: string): string[] {
  const base = id
    .trim()
    .toLowerCase()
    .replace(/^0+(?=.)/, '')
  const out = new Set([base])
  if (/^\d{1,15}$/.test(base)) out.add(Number(base).toString(16))
  if (/^[0-9a-f]{1,12}$/.test(base)) out.add(parseInt(base, 16).toString(10))
  return [...out]
}

/** Receipts kept in memory; old entries are dropped first beyond this many. */
const MAX_ENTRIES = 20_000

/**
 * What we sent (message id → its parts) and what receipts said (part id → status).
 * In memory on purpose: receipts only arrive while bound, and the outbox keeps
 * the durable state; after a restart, receipts the SMSC kept for us still land here.
 */
export class ReceiptBook {
  private readonly parts = new Map<string, string[]>()
  private readonly submitted = new Map<string, DeliveryStatus>()
  private readonly receipts = new Map<string, DeliveryStatus>()

  /** Registers a submitted message (first part id) and the ids of all its parts. */
  sent(providerId: string, partIds: string[], at: string): void {
    remember(this.parts, key(providerId), partIds.map(key))
    for (const id of partIds) remember(this.submitted, key(id), { status: 'sent', at })
  }

  /** Records a receipt under its id as written by the SMSC. */
  record(receipt: DeliveryReceipt, at: string): void {
    remember(this.receipts, key(receipt.messageId), receiptStatus(receipt, at))
  }

  /** The combined state of a message: failed if any part failed, delivered when all were. */
  status(providerId: string): DeliveryStatus {
    const partIds = this.parts.get(key(providerId)) ?? [key(providerId)]
    const states = partIds.map((id) => this.lookup(id))
    const failed = states.find((s) => s.status === 'failed')
    if (failed) return failed
    if (states.every((s) => s.status === 'delivered'))
      return states[states.length - 1] ?? { status: 'unknown' }
    if (states.every((s) => s.status === 'unknown')) return { status: 'unknown' }
    return (
      states.find((s) => s.status === 'pending') ??
      states.find((s) => s.status === 'sent') ?? { status: 'unknown' }
    )
  }

  /** The receipt for this exact id, else one written in another spelling, else "sent". */
  private lookup(id: string): DeliveryStatus {
    for (const spelling of idSpellings(id)) {
      const found = this.receipts.get(spelling)
      if (found) return found
    }
    return this.submitted.get(key(id)) ?? { status: 'unknown' }
  }
}

function key(id: string): string {
  return idSpellings(id)[0] ?? id
}

function remember<V>(map: Map<string, V>, k: string, value: V): void {
  map.delete(k)
  map.set(k, value)
  if (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next().value
    if (oldest !== undefined) map.delete(oldest)
  }
}
