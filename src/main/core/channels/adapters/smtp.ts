import { createHash } from 'node:crypto'
import nodemailer from 'nodemailer'
import type SMTPPool from 'nodemailer/lib/smtp-pool'
import type {
  AdapterConfig,
  ChannelAdapter,
  ChannelLimits,
  ConnectionCheck,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { numberSetting, optionalSetting, requireSecret, requireSetting } from './config'
import { accountLimits } from './limits'
import { classifySmtpError } from './smtp-errors'
import { checkPassed, checkRefused } from './check-results'

/**
 * E-mail through an SMTP server with nodemailer: one message per recipient,
 * plain text plus optional HTML. SMTP has no idempotency key, so the adapter is
 * not idempotent; the Message-ID is derived from the alert version and the
 * recipient (or the outbox key), so a resend after a crash carries the same
 * Message-ID and mail clients can fold it, and the updates and the cessata of
 * an alert are threaded under its first message.
 *
 * Messages go over a pool of connections (the account's `maxConnections`,
 * each renewed after `maxMessages`): the dispatcher keeps one message in
 * flight per connection, so each outbox row still gets its own answer, and a
 * connection that drops fails only the message it was carrying. nodemailer
 * never puts a message back in its queue by itself (`maxRequeues: 0`): a
 * message on a connection that closed may have been taken, and only the
 * outbox decides what to do with it.
 */

export interface SmtpTuning {
  connectionTimeoutMs: number
  greetingTimeoutMs: number
  socketTimeoutMs: number
}

const DEFAULT_TUNING: SmtpTuning = {
  connectionTimeoutMs: 15_000,
  greetingTimeoutMs: 15_000,
  socketTimeoutMs: 60_000,
}

/** Pool defaults a relay accepts (nodemailer's own): 5 connections, 100 messages on each. */
export const SMTP_POOL_DEFAULTS = { maxConnections: 5, maxMessages: 100 } as const
/** Messages per second when the account says nothing. */
export const SMTP_DEFAULT_RATE = 10

const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/

interface SmtpSettings {
  host: string
  port: number
  security: 'starttls' | 'tls' | 'none'
  username?: string
  fromAddress: string
  fromName?: string
  ratePerSecond: number
  maxConnections: number
  maxMessages: number
}

/** A whole number within bounds, or the fallback. */
function count(value: number, fallback: number, max: number): number {
  return Number.isFinite(value) && value >= 1 ? Math.min(max, Math.floor(value)) : fallback
}

function readSettings(config: AdapterConfig): SmtpSettings {
  const security = config.settings.security
  const username = optionalSetting(config, 'username', '')
  const fromName = optionalSetting(config, 'fromName', '')
  return {
    host: requireSetting(config, 'host'),
    port: numberSetting(config, 'port', 587),
    security: security === 'tls' || security === 'none' ? security : 'starttls',
    fromAddress: requireSetting(config, 'fromAddress'),
    ratePerSecond: numberSetting(config, 'ratePerSecond', SMTP_DEFAULT_RATE),
    maxConnections: count(
      numberSetting(config, 'maxConnections', SMTP_POOL_DEFAULTS.maxConnections),
      SMTP_POOL_DEFAULTS.maxConnections,
      50,
    ),
    maxMessages: count(
      numberSetting(config, 'maxMessages', SMTP_POOL_DEFAULTS.maxMessages),
      SMTP_POOL_DEFAULTS.maxMessages,
      10_000,
    ),
    ...(username ? { username } : {}),
    ...(fromName ? { fromName } : {}),
  }
}

function transportOptions(
  settings: SmtpSettings,
  password: string | undefined,
  tuning: SmtpTuning,
): SMTPPool.Options {
  // nodemailer reads `maxRequeues` but its type definitions do not list it.
  const options: SMTPPool.Options & { maxRequeues: number } = {
    pool: true,
    host: settings.host,
    port: settings.port,
    // tls: TLS from the first byte (465); starttls: upgrade required, never fall back to clear text.
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username ? { auth: { user: settings.username, pass: password } } : {}),
    maxConnections: settings.maxConnections,
    maxMessages: settings.maxMessages,
    // A message whose connection closed under it is never resent by nodemailer (see above).
    maxRequeues: 0,
    connectionTimeout: tuning.connectionTimeoutMs,
    greetingTimeout: tuning.greetingTimeoutMs,
    socketTimeout: tuning.socketTimeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  }
  return options
}

/** The right-hand side of our Message-IDs: `vedetta.` and the sender's domain. */
function idDomain(fromAddress: string): string {
  return `vedetta.${fromAddress.split('@')[1] ?? 'invalid'}`
}

const hashOf = (value: string, length: number): string =>
  createHash('sha256').update(value).digest('hex').slice(0, length)

/** A stable Message-ID per outbox row, in the sender's domain. */
function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  return `<vedetta.${hashOf(idempotencyKey, 32)}@${idDomain(fromAddress)}>`
}

/** An alert identifier as the dot-atom a Message-ID's left side must be (RFC 5322 §3.6.4). */
function idAtom(identifier: string): string {
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(identifier)
    ? identifier
    : `h${hashOf(identifier, 24)}`
}

/**
 * The Message-ID one version of an alert has for one recipient:
 * `<identifier.version.recipient@vedetta.domain>`, version 1 for the first
 * alert, 2 for its first update… Known before sending, so a follow-up names the
 * messages the same person received before without looking anything up.
 */
export function alertMessageId(
  identifier: string,
  version: number,
  address: string,
  fromAddress: string,
): string {
  const recipient = hashOf(address.trim().toLowerCase(), 16)
  return `<${idAtom(identifier)}.${version}.${recipient}@${idDomain(fromAddress)}>`
}

interface ThreadHeaders {
  messageId: string
  inReplyTo?: string
  references?: string[]
}

/**
 * The Message-ID, and for a follow-up `In-Reply-To` (the first message of the
 * alert) and `References` (every version before, oldest first), so mail
 * clients show an alert, its updates and its cessata as one conversation.
 * Other messages (replies, relays without an alert) get one from their outbox key.
 */
function threadHeaders(message: OutgoingMessage, address: string, from: string): ThreadHeaders {
  const alert = message.alert
  if (!alert) return { messageId: messageIdFor(message.idempotencyKey, from) }
  const earlier = alert.earlierIdentifiers ?? []
  const messageId = alertMessageId(alert.identifier, earlier.length + 1, address, from)
  if (earlier.length === 0) return { messageId }
  const references = earlier.map((id, i) => alertMessageId(id, i + 1, address, from))
  return { messageId, inReplyTo: references[0]!, references }
}

/**
 * Builds the SMTP adapter for one account.
 * @param config validated settings (host, port, security, username, fromAddress, fromName, ratePerSecond, maxConnections, maxMessages) and the `password` secret (needed when a username is set)
 * @throws AdapterConfigError when a required setting, or the password of a username, is missing
 * @param tuning timeouts for tests; production uses the defaults
 */
export function createSmtpAdapter(
  config: AdapterConfig,
  tuning: Partial<SmtpTuning> = {},
): ChannelAdapter {
  const settings = readSettings(config)
  // The password is needed only when the account logs in.
  const password = settings.username ? requireSecret(config, 'password') : ''
  const transporter = nodemailer.createTransport(
    transportOptions(settings, password, { ...DEFAULT_TUNING, ...tuning }),
  )
  let closed = false
  const from = settings.fromName
    ? { name: settings.fromName, address: settings.fromAddress }
    : settings.fromAddress

  async function send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
    if (message.destination.type !== 'person') {
      return {
        status: 'failed',
        retry: 'permanent',
        code: 'invalid_destination',
        reason: "L'e-mail si invia a persone, non a una pagina",
      }
    }
    const address = message.destination.address.trim()
    if (!EMAIL_RE.test(address)) {
      return {
        status: 'failed',
        retry: 'permanent',
        code: 'invalid_address',
        reason: `Indirizzo e-mail non valido: ${address}`,
      }
    }
    // nodemailer cannot cancel a send in flight; honour the signal only before it starts.
    if (signal?.aborted)
      return { status: 'failed', retry: 'transient', code: 'aborted', reason: 'Invio annullato' }
    // A closed pool drops new messages without a word: say so instead of waiting forever.
    if (closed) {
      return {
        status: 'failed',
        retry: 'transient',
        code: 'closed',
        reason: 'Collegamento al server di posta chiuso (account modificato o Vedetta in chiusura)',
      }
    }
    const name = message.destination.name?.trim()
    try {
      const info = await transporter.sendMail({
        from,
        to: name ? { name, address } : address,
        subject: message.subject ?? '',
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...threadHeaders(message, address, settings.fromAddress),
      })
      return { status: 'sent', providerId: info.messageId }
    } catch (error) {
      return classifySmtpError(error)
    }
  }

  async function testConnection(): Promise<ConnectionCheck> {
    try {
      await transporter.verify()
      const who = settings.username ? ` con l'utente ${settings.username}` : ''
      return checkPassed(
        'smtp_reachable',
        {
          host: settings.host,
          port: settings.port,
          ...(settings.username ? { user: settings.username } : {}),
        },
        `Server di posta ${settings.host}:${settings.port} raggiungibile${who}`,
      )
    } catch (error) {
      return checkRefused(classifySmtpError(error), 'SMTP')
    }
  }

  // One message in flight per pooled connection: every row gets its own answer, none waits unseen.
  const limits = (): ChannelLimits =>
    accountLimits('email_smtp', {
      ratePerSecond: settings.ratePerSecond,
      concurrency: settings.maxConnections,
    })

  return {
    kind: 'email_smtp',
    idempotent: false,
    simulated: false,
    limits,
    send,
    testConnection,
    close: async () => {
      closed = true
      // Idle connections close now, busy ones as soon as their message is answered.
      transporter.close()
    },
  }
}
