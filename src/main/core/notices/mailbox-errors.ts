import type { MailboxSecurity } from '../../../shared/contract/notices'
import { SecretUnavailableError } from '../secrets/cipher'

/** Why reading the mailbox failed, stable for the UI and the tests. */
export type MailboxErrorCode =
  | 'auth'
  | 'unreachable'
  | 'tls'
  | 'tls_mode'
  | 'starttls'
  | 'folder'
  | 'no_password'
  | 'secret'
  | 'protocol'

/** What the operator reads: Italian, naming the server and the user, never the password. */
export interface MailboxFailure {
  code: MailboxErrorCode
  message: string
}

export interface MailboxPlace {
  host: string
  port: number
  username: string
  folder: string
  security: MailboxSecurity
}

/** A failure the watcher raises itself (no password, a secret this computer cannot read). */
export class MailboxProblem extends Error {
  constructor(readonly failure: MailboxFailure) {
    super(failure.message)
    this.name = 'MailboxProblem'
  }
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connessione rifiutata',
  ENOTFOUND: 'nome del server sconosciuto',
  EAI_AGAIN: 'nome del server non risolto (DNS)',
  ETIMEDOUT: 'tempo scaduto',
  ETIMEOUT: 'tempo scaduto',
  CONNECT_TIMEOUT: 'tempo scaduto per la connessione',
  GREETING_TIMEOUT: 'il server non ha salutato in tempo',
  UPGRADE_TIMEOUT: 'tempo scaduto per STARTTLS',
  ECONNRESET: 'connessione interrotta',
  EPIPE: 'connessione interrotta',
  NoConnection: 'connessione interrotta',
  EConnectionClosed: 'connessione chiusa dal server',
  ClosedAfterConnectText: 'connessione chiusa dal server',
  ClosedAfterConnectTLS: 'connessione chiusa dal server',
  EHOSTUNREACH: 'server non raggiungibile',
  ENETUNREACH: 'rete non raggiungibile',
  ENETDOWN: 'rete non disponibile',
  ETHROTTLE: 'il server chiede di rallentare',
}

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
])

interface ImapLikeError {
  code?: unknown
  authenticationFailed?: unknown
  mailboxMissing?: unknown
  tlsFailed?: unknown
  message?: unknown
}

/**
 * Turns what imapflow, Node's sockets or TLS threw into a sentence for the operator. Only the
 * error's code and flags are read, never its command text: a failed LOGIN carries the password
 * in `executedCommand`, and nothing of it may reach the room or the log.
 */
export function describeMailboxFailure(err: unknown, at: MailboxPlace): MailboxFailure {
  if (err instanceof MailboxProblem) return err.failure
  if (err instanceof SecretUnavailableError)
    return {
      code: 'secret',
      message:
        'La password della casella degli avvisi non si può leggere su questo computer: inseriscila di nuovo in Configurazione → Fonti.',
    }
  const e = (typeof err === 'object' && err !== null ? err : {}) as ImapLikeError
  const code = typeof e.code === 'string' ? e.code : ''
  const where = `${at.host}:${at.port}`
  if (e.authenticationFailed === true)
    return {
      code: 'auth',
      message: `La casella degli avvisi rifiuta l’accesso dell’utente «${at.username}» su ${at.host}: controlla nome utente e password (molte caselle chiedono una «app password») in Configurazione → Fonti. Finché non si entra, gli avvisi della Regione per e-mail non arrivano in sala.`,
    }
  if (e.mailboxMissing === true || code === 'NotFound')
    return {
      code: 'folder',
      message: `La cartella «${at.folder}» non esiste nella casella degli avvisi ${at.username} su ${at.host}: correggila in Configurazione → Fonti.`,
    }
  if (CERT_CODES.has(code))
    return {
      code: 'tls',
      message: `Il certificato del server della casella degli avvisi (${at.host}) non è valido (${code}): la connessione non è sicura e la password non viene inviata.`,
    }
  // imapflow's "Server does not support STARTTLS" carries the flag and no code.
  if (at.security === 'starttls' && e.tlsFailed === true && !code)
    return {
      code: 'starttls',
      message: `Il server ${where} non offre STARTTLS: la password non viene inviata in chiaro. Usa TLS implicito (porta 993) in Configurazione → Fonti.`,
    }
  if (
    code === 'ERR_SSL_WRONG_VERSION_NUMBER' ||
    code === 'EPROTO' ||
    (e.tlsFailed === true && !NETWORK_REASONS[code])
  )
    return {
      code: 'tls_mode',
      message: `Il server ${where} non risponde in TLS come indicato: controlla porta e sicurezza in Configurazione → Fonti (TLS implicito di solito sulla porta 993, STARTTLS sulla 143).`,
    }
  const reason = NETWORK_REASONS[code]
  if (reason)
    return {
      code: 'unreachable',
      message: `La casella degli avvisi su ${where} non risponde (${reason}). Vedetta riprova da sola; gli avvisi arrivati nel frattempo si scaricano alla ripresa.`,
    }
  return {
    code: 'protocol',
    message: `La casella degli avvisi su ${where} ha risposto con un errore${code ? ` (${code})` : ''}. Vedetta riprova da sola.`,
  }
}
