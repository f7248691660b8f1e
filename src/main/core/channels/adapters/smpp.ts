import type smpp from 'smpp'
import type {
  AdapterConfig,
  ChannelAdapter,
  ChannelLimits,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { numberSetting, optionalSetting, requireSecret, requireSetting } from './config'
import { concatUdh, planSms } from './smpp-encoding'
import { LinkError, SmppLink, type SmppLinkOptions } from './smpp-link'
import { parseReceipt, ReceiptBook } from './smpp-receipts'
import { failureFromStatus } from './smpp-status'
import { checkPassed, checkRefused } from './check-results'

/**
 * SMS through an SMSC over SMPP 3.4 (bind_transceiver, submit_sm, deliver_sm receipts).
 *
 * Long texts are sent as concatenated parts with a UDH (IEI 0x00), not with the
 * message_payload TLV: every SMSC and handset understands UDH concatenation,
 * while message_payload in submit_sm is optional in SMPP 3.4 and many SMSCs
 * refuse or truncate it. SMPP has no idempotency key, so the adapter is not
 * idempotent: the outbox marks an interrupted send "uncertain".
 */

type Failure = Extract<SendOutcome, { status: 'failed' }>

/** Timings, overridable by tests; defaults suit a real SMSC. */
/** What else an SMPP session hears: citizens' SMS (mobile-originated), for the inbox. */
export interface SmppHooks {
  onInboundPdu?(pdu: smpp.PDU): void
}

export interface SmppTuning {
  enquireLinkMs: number
  responseTimeoutMs: number
  connectTimeoutMs: number
  reconnectDelayMs: number
  maxReconnectDelayMs: number
  /** Pauses before retrying a throttled part after the first one (see sendParts). */
  partRetryDelaysMs: number[]
}

const DEFAULT_TUNING: SmppTuning = {
  enquireLinkMs: 30_000,
  responseTimeoutMs: 30_000,
  connectTimeoutMs: 15_000,
  reconnectDelayMs: 1_000,
  maxReconnectDelayMs: 60_000,
  partRetryDelaysMs: [250, 1_000, 2_000],
}

const MAX_PARTS = 255

interface SmppSettings {
  host: string
  port: number
  tls: boolean
  systemId: string
  systemType: string
  sourceAddr: string
  ratePerSecond: number
}

function readSettings(config: AdapterConfig): SmppSettings {
  return {
    host: requireSetting(config, 'host'),
    port: numberSetting(config, 'port', 2775),
    tls: config.settings.tls === true,
    systemId: requireSetting(config, 'systemId'),
    systemType: optionalSetting(config, 'systemType', ''),
    sourceAddr: requireSetting(config, 'sourceAddr'),
    ratePerSecond: numberSetting(config, 'ratePerSecond', 10),
  }
}

/** TON/NPI for the sender: numeric senders are international E.164, others alphanumeric. */
function sourceAddress(sourceAddr: string): Record<string, unknown> {
  const digits = sourceAddr.replace(/^\+/, '')
  if (/^\d+$/.test(digits)) {
    return { source_addr_ton: 1, source_addr_npi: 1, source_addr: digits }
  }
  return { source_addr_ton: 5, source_addr_npi: 0, source_addr: sourceAddr }
}

/** E.164 without the plus, or undefined when it is not a phone number. */
function destinationNumber(address: string): string | undefined {
  const compact = address.replace(/[\s().-]/g, '')
  const match = /^(?:\+|00)?([1-9]\d{5,14})$/.exec(compact)
  return match?.[1]
}

function failure(retry: Failure['retry'], code: string, reason: string, detail?: string): Failure {
  return { status: 'failed', retry, code, reason, ...(detail ? { detail } : {}) }
}

function linkFailure(error: unknown): Failure {
  if (error instanceof LinkError) {
    if (error.kind === 'bind') {
      const auth =
        error.status === 0x0e ||
        error.status === 0x0f ||
        error.status === 0x53 ||
        error.status === 0x0d
      return failure(auth ? 'permanent' : 'transient', auth ? 'auth' : 'bind_failed', error.message)
    }
    // SMPP has no idempotency key: a submit_sm written without its submit_sm_resp
    // may have been accepted by the SMSC, so it is "maybe sent", never resent on its own.
    if (error.afterWrite) {
      const code = error.kind === 'timeout' || error.kind === 'aborted' ? error.kind : 'network'
      return failure(
        'uncertain',
        code,
        `${error.message}: il messaggio potrebbe essere stato accettato dal centro SMS`,
      )
    }
    if (error.kind === 'timeout') return failure('transient', 'timeout', error.message)
    if (error.kind === 'aborted') return failure('transient', 'aborted', error.message)
    return failure('transient', 'network', error.message)
  }
  return failure('transient', 'network', `Errore SMPP inatteso: ${String(error)}`)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Builds the SMPP adapter for one account.
 * @param config validated settings (host, port, tls, systemId, systemType, sourceAddr, ratePerSecond) and the `password` secret
 * @throws AdapterConfigError when a required setting or the password is missing
 * @param tuning timings for tests; production uses the defaults
 */
export function createSmppAdapter(
  config: AdapterConfig,
  tuning: Partial<SmppTuning> = {},
  hooks: SmppHooks = {},
): ChannelAdapter {
  const settings = readSettings(config)
  const password = requireSecret(config, 'password')
  const timing = { ...DEFAULT_TUNING, ...tuning }
  const now = config.now ?? Date.now
  const receipts = new ReceiptBook()
  let reference = Math.floor(Math.random() * 256)

  const linkOptions: SmppLinkOptions = {
    host: settings.host,
    port: settings.port,
    tls: settings.tls,
    systemId: settings.systemId,
    password,
    systemType: settings.systemType,
    enquireLinkMs: timing.enquireLinkMs,
    responseTimeoutMs: timing.responseTimeoutMs,
    connectTimeoutMs: timing.connectTimeoutMs,
    reconnectDelayMs: timing.reconnectDelayMs,
    maxReconnectDelayMs: timing.maxReconnectDelayMs,
  }

  const link = new SmppLink(linkOptions, (pdu) => onDeliver(pdu))

  function onDeliver(pdu: smpp.PDU): void {
    const esmClass = typeof pdu.esm_class === 'number' ? pdu.esm_class : 0
    // Bits 2-5 of esm_class mark receipts (0x04) and intermediate notifications (0x20);
    // anything else is an inbound SMS, which another part of Vedetta reads.
    if ((esmClass & 0x3c) === 0) {
      hooks.onInboundPdu?.(pdu)
      return
    }
    const receipt = parseReceipt({
      text: shortMessageText(pdu.short_message),
      ...(typeof pdu.receipted_message_id === 'string'
        ? { receiptedMessageId: pdu.receipted_message_id }
        : {}),
      ...(typeof pdu.message_state === 'number' ? { messageState: pdu.message_state } : {}),
    })
    if (receipt) receipts.record(receipt, new Date(now()).toISOString())
  }

  /** Submits one part; a throttled part after the first is retried in place (see below). */
  async function submitPart(
    params: Record<string, unknown>,
    isFirst: boolean,
    signal?: AbortSignal,
  ): Promise<smpp.PDU> {
    const delays = isFirst ? [] : timing.partRetryDelaysMs
    for (let attempt = 0; ; attempt++) {
      const resp = await link.request('submit_sm', { ...params }, signal)
      const retryable = resp.command_status === 0x58 || resp.command_status === 0x14
      const delay = delays[attempt]
      if (!retryable || delay === undefined) return resp
      await sleep(delay)
    }
  }

  async function send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    if (message.destination.type !== 'person') {
      return failure(
        'permanent',
        'invalid_destination',
        'Gli SMS si inviano a persone, non a una pagina',
      )
    }
    const destination = destinationNumber(message.destination.address)
    if (!destination) {
      return failure(
        'permanent',
        'invalid_number',
        `Numero di telefono non valido: ${message.destination.address}`,
      )
    }
    if (message.text.trim() === '')
      return failure('permanent', 'empty_message', 'Il testo del messaggio è vuoto')
    const plan = planSms(message.text)
    if (plan.parts.length > MAX_PARTS) {
      return failure(
        'permanent',
        'too_long',
        `Messaggio troppo lungo: ${plan.parts.length} parti (massimo ${MAX_PARTS})`,
      )
    }

    reference = (reference + 1) % 256
    const ids: string[] = []
    for (const [index, part] of plan.parts.entries()) {
      const params: Record<string, unknown> = {
        ...sourceAddress(settings.sourceAddr),
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: destination,
        esm_class: 0,
        registered_delivery: 1,
        data_coding: plan.dataCoding,
        short_message:
          plan.parts.length > 1
            ? { udh: concatUdh(reference, plan.parts.length, index + 1), message: part }
            : { message: part },
      }
      let resp: smpp.PDU
      try {
        resp = await submitPart(params, index === 0, signal)
      } catch (error) {
        return index === 0
          ? linkFailure(error)
          : partialFailure(linkFailure(error), index, plan.parts.length)
      }
      if (resp.command_status !== 0) {
        const failed = failureFromStatus(resp.command_status)
        return index === 0 ? failed : partialFailure(failed, index, plan.parts.length)
      }
      ids.push(typeof resp.message_id === 'string' ? resp.message_id : '')
    }

    const [providerId = '', ...extra] = ids
    receipts.sent(providerId, ids, new Date(now()).toISOString())
    return {
      status: 'sent',
      providerId,
      ...(extra.length > 0 ? { partIds: extra } : {}),
      segments: plan.parts.length,
    }
  }

  async function testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
    try {
      await link.request('enquire_link', {}, signal)
      return checkPassed(
        'smpp_bound',
        { host: settings.host, port: settings.port, systemId: settings.systemId },
        `Collegato al centro SMS ${settings.host}:${settings.port} come ${settings.systemId} (bind_transceiver)`,
      )
    } catch (error) {
      return checkRefused(linkFailure(error), 'SMPP')
    }
  }

  async function fetchStatus(providerId: string, signal?: AbortSignal): Promise<DeliveryStatus> {
    // Receipts only arrive on a bound session: make sure there is one, without failing the poll.
    if (!link.isBound && !signal?.aborted) await link.bound().catch(() => undefined)
    return receipts.status(providerId)
  }

  const limits = (): ChannelLimits => ({
    ratePerSecond: settings.ratePerSecond,
    burst: Math.max(1, Math.ceil(settings.ratePerSecond)),
    // One session, parts of a message must go in order: one send at a time.
    concurrency: 1,
  })

  return {
    kind: 'sms_smpp',
    idempotent: false,
    simulated: false,
    limits,
    send,
    fetchStatus,
    testConnection,
    close: () => link.close(),
  }
}

/**
 * A later part failed after earlier ones were accepted. Retrying resends the
 * whole text (handsets then show it complete); a stray fragment is better than
 * an alert that never arrives whole, so the failure stays transient.
 */
/**
 * Some parts of a long SMS were accepted, a later one was not. The phone shows
 * no readable message from the fragments alone, so the whole text is sent again
 * (with a new reference): the citizen reads it once, complete. A later part
 * that may have been accepted keeps its `uncertain`.
 */
function partialFailure(failed: Failure, index: number, total: number): Failure {
  return {
    ...failed,
    retry: failed.retry === 'uncertain' ? 'uncertain' : 'transient',
    code: 'partial',
    reason: `Inviate solo ${index} parti su ${total}: ${failed.reason}`,
  }
}

/** The text of a deliver_sm short_message as the smpp package decodes it. */
function shortMessageText(value: unknown): string {
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('latin1')
  if (value && typeof value === 'object' && 'message' in value) {
    const inner = (value as { message: unknown }).message
    if (typeof inner === 'string') return inner
    if (Buffer.isBuffer(inner)) return inner.toString('latin1')
  }
  return ''
}
