import smpp from 'smpp'
import { isAuthStatus, statusName } from './smpp-status'

/**
 * One bound SMPP transceiver session, kept alive: binds on first use, answers
 * the SMSC's enquire_link/unbind, sends its own enquire_link keepalive, and
 * rebinds after a drop (in the background, so receipts keep flowing, and on
 * demand when a send needs it). Callers see PDUs and typed errors, never sockets.
 */

export interface SmppLinkOptions {
  host: string
  port: number
  tls: boolean
  systemId: string
  password: string
  systemType: string
  /** Keepalive period (SMSCs commonly drop idle sessions after 60 s). */
  enquireLinkMs: number
  /** How long to wait for any response PDU before the session is considered dead. */
  responseTimeoutMs: number
  /** TCP connect + bind budget. */
  connectTimeoutMs: number
  /** First background reconnect delay; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs: number
  maxReconnectDelayMs: number
}

export type LinkErrorKind = 'network' | 'timeout' | 'bind' | 'closed' | 'aborted'

/** Why a request could not get an answer from the SMSC. */
export class LinkError extends Error {
  constructor(
    readonly kind: LinkErrorKind,
    message: string,
    /** The bind_resp command_status, for kind `bind`. */
    readonly status?: number,
    /**
     * The request PDU had been written to the socket: the SMSC may have
     * accepted it (a submit_sm whose submit_sm_resp never came).
     */
    readonly afterWrite = false,
  ) {
    super(message)
    this.name = 'LinkError'
  }

  /** The same failure, known to have happened after the request was written. */
  written(): LinkError {
    return this.afterWrite ? this : new LinkError(this.kind, this.message, this.status, true)
  }
}

interface Pending {
  fail(error: LinkError): void
}

export class SmppLink {
  private session: smpp.Session | undefined
  private binding: Promise<smpp.Session> | undefined
  private readonly pending = new Set<Pending>()
  private keepalive: NodeJS.Timeout | undefined
  private reconnectTimer: NodeJS.Timeout | undefined
  private reconnectDelay: number
  private closed = false

  constructor(
    private readonly options: SmppLinkOptions,
    /** Called for every deliver_sm the SMSC sends (receipts and inbound SMS), after it is acknowledged. */
    private readonly onDeliver: (pdu: smpp.PDU) => void,
  ) {
    this.reconnectDelay = options.reconnectDelayMs
  }

  /** True while a bound session is open. */
  get isBound(): boolean {
    return this.session !== undefined
  }

  /** The bound session, connecting and binding first if needed (one attempt shared by all callers). */
  bound(): Promise<smpp.Session> {
    if (this.closed) return Promise.reject(new LinkError('closed', 'Sessione SMPP chiusa'))
    if (this.session?.socket.destroyed) this.detach(this.session)
    if (this.session) return Promise.resolve(this.session)
    this.binding ??= this.open().finally(() => {
      this.binding = undefined
    })
    return this.binding
  }

  /** Sends one request PDU and resolves with its response (whatever its command_status). */
  async request(
    command: string,
    params: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<smpp.PDU> {
    if (signal?.aborted) throw new LinkError('aborted', 'Invio annullato')
    const session = await this.bound()
    return this.exchange(session, new smpp.PDU(command, params), signal)
  }

  /** Unbinds politely and closes the socket; later calls fail with `closed`. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.reconnectTimer)
    const session = this.session ?? (await this.binding?.catch(() => undefined))
    if (!session) return
    try {
      await this.exchange(
        session,
        new smpp.PDU('unbind'),
        undefined,
        Math.min(2000, this.options.responseTimeoutMs),
      )
    } catch {
      // The SMSC may already be gone; closing the socket is all that is left to do.
    }
    await new Promise<void>((resolve) => {
      if (session.socket.destroyed) return resolve()
      session.socket.once('close', () => resolve())
      session.close()
      setTimeout(() => {
        session.destroy()
        resolve()
      }, 1000).unref()
    })
    this.detach(session)
  }

  private exchange(
    session: smpp.Session,
    pdu: smpp.PDU,
    signal?: AbortSignal,
    timeoutMs = this.options.responseTimeoutMs,
  ): Promise<smpp.PDU> {
    return new Promise((resolve, reject) => {
      let wrote = false
      const entry: Pending = {
        fail: (error) => finish(() => reject(wrote ? error.written() : error)),
      }
      const onAbort = (): void => entry.fail(new LinkError('aborted', 'Invio annullato'))
      const timer = setTimeout(() => {
        entry.fail(new LinkError('timeout', `Nessuna risposta dal centro SMS a ${pdu.command}`))
        // A session that stops answering is no longer trustworthy: drop it and rebind.
        this.detach(session)
        session.destroy()
      }, timeoutMs)
      timer.unref()
      let done = false
      const finish = (settle: () => void): void => {
        if (done) return
        done = true
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        this.pending.delete(entry)
        settle()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.pending.add(entry)
      wrote = session.send(pdu, (resp) => finish(() => resolve(resp)))
      if (!wrote) entry.fail(new LinkError('network', 'Connessione al centro SMS interrotta'))
    })
  }

  private open(): Promise<smpp.Session> {
    const { host, port, tls } = this.options
    return new Promise((resolve, reject) => {
      let settled = false
      const session = smpp.connect({ host, port, tls, ...(tls ? { servername: host } : {}) })
      const fail = (error: LinkError): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        session.destroy()
        reject(error)
      }
      const timer = setTimeout(
        () => fail(new LinkError('timeout', `Il centro SMS ${host}:${port} non risponde`)),
        this.options.connectTimeoutMs,
      )
      timer.unref()
      // An 'error' without a listener would crash the process: always keep one.
      session.on('error', (error: Error) => {
        fail(
          new LinkError(
            'network',
            `Connessione al centro SMS ${host}:${port} non riuscita: ${describeSocketError(error)}`,
          ),
        )
      })
      session.once('close', () =>
        fail(new LinkError('network', `Il centro SMS ${host}:${port} ha chiuso la connessione`)),
      )
      session.once(tls ? 'secureConnect' : 'connect', () => {
        const bind = new smpp.PDU('bind_transceiver', {
          system_id: this.options.systemId,
          password: this.options.password,
          system_type: this.options.systemType,
        })
        session.send(bind, (resp) => {
          if (resp.command_status !== 0) {
            fail(new LinkError('bind', bindFailureText(resp.command_status), resp.command_status))
            return
          }
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (this.closed) {
            session.destroy()
            reject(new LinkError('closed', 'Sessione SMPP chiusa'))
            return
          }
          this.attach(session)
          resolve(session)
        })
      })
    })
  }

  private attach(session: smpp.Session): void {
    this.session = session
    this.reconnectDelay = this.options.reconnectDelayMs
    session.on('deliver_sm', (pdu: smpp.PDU) => {
      session.send(pdu.response())
      this.onDeliver(pdu)
    })
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()))
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response())
      session.close()
    })
    session.on('close', () => {
      this.detach(session)
      if (!this.closed) this.scheduleReconnect()
    })
    this.keepalive = setInterval(() => {
      this.exchange(session, new smpp.PDU('enquire_link')).catch(() => {
        // exchange() already dropped the session on timeout; the close handler reconnects.
      })
    }, this.options.enquireLinkMs)
    this.keepalive.unref()
  }

  private detach(session: smpp.Session): void {
    if (this.session !== session) return
    this.session = undefined
    clearInterval(this.keepalive)
    const error = new LinkError('network', 'Connessione al centro SMS interrotta')
    for (const entry of [...this.pending]) entry.fail(error)
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer)
    this.reconnectTimer = setTimeout(() => {
      if (this.closed || this.session) return
      this.bound().catch((error: unknown) => {
        // Wrong credentials will not fix themselves: wait for the next send instead of hammering.
        if (error instanceof LinkError && error.kind === 'bind' && isAuthStatus(error.status ?? 0))
          return
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, this.options.maxReconnectDelayMs)
        this.scheduleReconnect()
      })
    }, this.reconnectDelay)
    this.reconnectTimer.unref()
  }
}

function bindFailureText(status: number): string {
  const name = statusName(status)
  if (status === 0x0e) return `Accesso al centro SMS rifiutato: password errata (${name})`
  if (status === 0x0f) return `Accesso al centro SMS rifiutato: system_id sconosciuto (${name})`
  if (status === 0x53) return `Accesso al centro SMS rifiutato: system_type non valido (${name})`
  if (status === 0x05) return `Il centro SMS risulta già collegato con questo account (${name})`
  return `Collegamento (bind) rifiutato dal centro SMS (${name})`
}

function describeSocketError(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ECONNREFUSED') return 'connessione rifiutata'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'indirizzo non trovato'
  if (code === 'ETIMEDOUT') return 'tempo scaduto'
  if (code === 'ECONNRESET') return 'connessione interrotta'
  return code ?? error.message
}
