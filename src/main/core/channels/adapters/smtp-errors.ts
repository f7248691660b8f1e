import type { SendOutcome } from '../adapter'

/**
 * What a nodemailer error means for the outbox. SMTP says it in the reply code:
 * 4xx try again later, 5xx do not. Without a reply it depends on when the link
 * failed: before the connection was up (refused, DNS, no greeting) nothing was
 * sent; after it, the server may have taken the message (RFC 5321 §6.1: the
 * message is accepted when the server has the final dot, and a reply lost after
 * that is the classic duplicate). nodemailer does not say at which command a
 * dropped or idle connection failed, so every failure after connecting is
 * "maybe sent" (`uncertain`): the operator decides, nobody gets it twice.
 *
 * The pool adds two errors of its own, neither with a code: a message still
 * waiting in its queue when the pool is closed never reached a server; and a
 * message whose connection closed while it was still being greeted (the only
 * closes nodemailer itself would resend after: any close later in the dialogue
 * comes as an ECONNECTION error) was not sent either.
 */

type Failure = Extract<SendOutcome, { status: 'failed' }>

/** The fields nodemailer puts on its errors (all optional: sockets fail in many ways). */
interface SmtpErrorLike {
  code?: string
  /** Node's socket call that failed (`connect`, `getaddrinfo`): before any SMTP. */
  syscall?: string
  responseCode?: number
  response?: string
  command?: string
  message?: string
}

const NETWORK_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
])
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'EGREETING'])

/** nodemailer's own words for the timeouts that come before the server can see anything. */
const BEFORE_SMTP_TIMEOUTS = /^(Connection timeout|Greeting never received)/

/** nodemailer's pool: queued messages when the pool closed; a close before the greeting with requeues off. */
const POOL_CLOSED = /^Connection pool was closed/
const CLOSED_BEFORE_GREETING = /^Reached maximum number of retries after connection was closed/

/** True when the failure surely came before the server saw any of the message. */
function beforeTheServerSawAnything(error: SmtpErrorLike): boolean {
  if (error.code === 'EDNS' || error.code === 'EGREETING') return true
  if (error.syscall === 'connect' || error.syscall === 'getaddrinfo') return true
  return BEFORE_SMTP_TIMEOUTS.test(error.message ?? '')
}

function failure(retry: Failure['retry'], code: string, reason: string, detail?: string): Failure {
  return { status: 'failed', retry, code, reason, ...(detail ? { detail } : {}) }
}

/** The server's reply as it wrote it, or nodemailer's message when there was none. */
function serverText(error: SmtpErrorLike): string {
  return (error.response ?? error.message ?? 'errore sconosciuto').trim()
}

/** Turns any error thrown by nodemailer's sendMail/verify into a failure with an Italian reason. */
export function classifySmtpError(raw: unknown): Failure {
  const error: SmtpErrorLike =
    raw && typeof raw === 'object' ? (raw as SmtpErrorLike) : { message: String(raw) }
  const reply = serverText(error)
  const detail = [error.command, error.code, error.responseCode].filter(Boolean).join(' ')

  // TLS problems come with the 5xx of the refused STARTTLS: check the code first.
  if (error.code === 'ETLS') {
    return failure(
      'permanent',
      'tls',
      `Il server di posta non offre la connessione sicura richiesta (STARTTLS/TLS): ${reply}`,
      detail,
    )
  }
  if (error.code === 'EAUTH' || error.responseCode === 535 || error.responseCode === 534) {
    return failure(
      'permanent',
      'auth',
      `Autenticazione rifiutata dal server di posta: ${reply}`,
      detail,
    )
  }
  if (!error.code && POOL_CLOSED.test(error.message ?? '')) {
    return failure(
      'transient',
      'pool_closed',
      'Collegamento al server di posta chiuso prima dell’invio (account modificato o Vedetta in chiusura): si riproverà',
    )
  }
  if (!error.code && CLOSED_BEFORE_GREETING.test(error.message ?? '')) {
    return failure(
      'transient',
      'network',
      `Il server di posta ha chiuso la connessione prima di salutare: ${reply}`,
    )
  }
  const before = beforeTheServerSawAnything(error)
  if (error.code && TIMEOUT_CODES.has(error.code)) {
    return before
      ? failure(
          'transient',
          'timeout',
          `Il server di posta non risponde in tempo: ${reply}`,
          detail,
        )
      : failure(
          'uncertain',
          'timeout',
          `Il server di posta ha smesso di rispondere durante l’invio: il messaggio potrebbe essere stato consegnato (${reply})`,
          detail,
        )
  }
  if (error.code && NETWORK_CODES.has(error.code) && error.responseCode === undefined) {
    return before
      ? failure('transient', 'network', `Server di posta non raggiungibile: ${reply}`, detail)
      : failure(
          'uncertain',
          'network',
          `Connessione con il server di posta caduta durante l’invio: il messaggio potrebbe essere stato consegnato (${reply})`,
          detail,
        )
  }
  const status = error.responseCode
  if (status !== undefined && status >= 400 && status < 500) {
    return failure(
      'transient',
      'deferred',
      `Il server di posta ha rinviato il messaggio, si riproverà: ${reply}`,
      detail,
    )
  }
  if (status !== undefined && status >= 500) {
    if (error.command === 'RCPT TO' || error.code === 'EENVELOPE') {
      return failure(
        'permanent',
        'rejected_recipient',
        `Destinatario rifiutato dal server di posta: ${reply}`,
        detail,
      )
    }
    return failure(
      'permanent',
      'rejected',
      `Messaggio rifiutato dal server di posta: ${reply}`,
      detail,
    )
  }
  return failure('transient', 'network', `Invio e-mail non riuscito: ${reply}`, detail)
}
