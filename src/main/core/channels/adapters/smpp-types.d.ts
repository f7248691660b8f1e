/**
 * The part of the `smpp` package (farhadi/node-smpp 0.5, CommonJS, no types of its
 * own) that Vedetta and its test peer use. Kept narrow on purpose: PDU fields are
 * read through the index signature and checked where they are used.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events'
  import type { Server as NetServer, Socket } from 'node:net'

  namespace smpp {
    /** One protocol data unit; command parameters and TLVs are plain properties. */
    class PDU {
      constructor(command: string, options?: Record<string, unknown>)
      command: string
      command_id: number
      command_status: number
      sequence_number: number
      isResponse(): boolean
      response(options?: Record<string, unknown>): PDU
      [field: string]: unknown
    }

    type PduCallback = (pdu: PDU) => void

    /** A client or server-side session over one socket. */
    class Session extends EventEmitter {
      socket: Socket
      /** Writes a PDU; returns false when the socket is no longer writable. */
      send(pdu: PDU, responseCallback?: PduCallback, sendCallback?: PduCallback): boolean
      close(callback?: () => void): void
      destroy(callback?: () => void): void
      pause(): void
      resume(): void
    }

    interface ConnectOptions {
      host?: string
      port?: number
      tls?: boolean
      url?: string
      servername?: string
      rejectUnauthorized?: boolean
      auto_enquire_link_period?: number
    }

    class Server extends NetServer {
      sessions: Session[]
    }

    function connect(options: ConnectOptions, listener?: () => void): Session
    function createServer(
      options?: Record<string, unknown>,
      listener?: (session: Session) => void,
    ): Server

    /** SMPP command_status values by name (ESME_RTHROTTLED…). */
    const errors: Record<string, number>
  }

  export = smpp
}
