import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import type { AddressInfo } from 'node:net'

/**
 * A real SMTP server on 127.0.0.1 for tests (the `smtp-server` package): plain
 * text (no STARTTLS), optional AUTH PLAIN/LOGIN, recipients refused with 550 or
 * deferred with 451 on demand, every accepted message kept and minimally parsed
 * (headers, RFC 2047 subjects, quoted-printable/base64 bodies, multipart/alternative).
 */

export interface FakeSmtpOptions {
  /** When set, AUTH is required and only these credentials pass. */
  auth?: { username: string; password: string }
}

export interface ReceivedMail {
  from: string
  to: string[]
  /** Header names lower-cased, values unfolded and decoded. */
  headers: Record<string, string>
  subject: string
  messageId: string
  text: string
  html?: string
  raw: string
}

export interface FakeSmtpServer {
  host: string
  port: number
  messages: ReceivedMail[]
  authAttempts: { username: string; ok: boolean }[]
  /** RCPT TO this address gets `550 5.1.1 <addr>: utente sconosciuto`. */
  rejectPermanently(address: string): void
  /** RCPT TO this address gets `451 4.3.0 … riprovare più tardi`. */
  rejectTemporarily(address: string): void
  /**
   * A message to this address is received and kept, then the server never
   * answers the final dot (a server that stalls, or a link that drops, after
   * accepting): the client cannot know the message got through.
   */
  swallowAfterData(address: string): void
  /**
   * A message to this address is received and kept, then its connection is
   * cut without an answer to the final dot (a link that drops after DATA).
   */
  dropAfterData(address: string): void
  /** Connections open now. */
  openConnections(): number
  /** Every connection the server accepted, with the messages it carried. */
  connections: { id: string; messages: number }[]
  /** The most connections open at once. */
  peakConnections(): number
  close(): Promise<void>
}

/** RFC 2047 encoded words (UTF-8 or latin1, B or Q). */
export function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g,
      (_m, charset: string, kind: string, data: string) => {
        const bytes =
          kind.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : qpBytes(data.replace(/_/g, ' '))
        return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1')
      },
    )
}

function qpBytes(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '')
  const bytes: number[] = []
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3)
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(...Buffer.from(soft[i] ?? '', 'utf8'))
    }
  }
  return Buffer.from(bytes)
}

interface Part {
  headers: Record<string, string>
  body: string
}

function splitPart(raw: string): Part {
  const at = raw.search(/\r?\n\r?\n/)
  const head = at === -1 ? raw : raw.slice(0, at)
  const body = at === -1 ? '' : raw.slice(at).replace(/^\r?\n\r?\n/, '')
  const headers: Record<string, string> = {}
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim())
  }
  return { headers, body }
}

function decodeBody(part: Part): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase()
  const charset = /charset="?([^";]+)"?/i.exec(part.headers['content-type'] ?? '')?.[1] ?? 'utf-8'
  const bytes =
    encoding === 'base64'
      ? Buffer.from(part.body.replace(/\s+/g, ''), 'base64')
      : encoding === 'quoted-printable'
        ? qpBytes(part.body)
        : Buffer.from(part.body, 'utf8')
  return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1').replace(/\r\n/g, '\n')
}

/** Finds the text/plain and text/html leaves of a (possibly multipart) message. */
function bodies(
  part: Part,
  found: { text?: string; html?: string } = {},
): { text?: string; html?: string } {
  const type = part.headers['content-type'] ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (/^multipart\//i.test(type) && boundary) {
    const chunks = part.body.split(`--${boundary}`).slice(1)
    for (const chunk of chunks) {
      if (chunk.startsWith('--')) break
      bodies(splitPart(chunk.replace(/^\r?\n/, '')), found)
    }
    return found
  }
  if (/^text\/html/i.test(type)) found.html ??= decodeBody(part)
  else if (/^text\/plain/i.test(type)) found.text ??= decodeBody(part)
  return found
}

/** Parses a received message enough for tests to assert subject and bodies. */
export function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const top = splitPart(raw)
  const { text, html } = bodies(top)
  return {
    from,
    to,
    headers: top.headers,
    subject: top.headers.subject ?? '',
    messageId: top.headers['message-id'] ?? '',
    text: (text ?? '').replace(/\n$/, ''),
    ...(html === undefined ? {} : { html }),
    raw,
  }
}

/** Starts the server on an ephemeral loopback port. */
export async function startFakeSmtp(options: FakeSmtpOptions = {}): Promise<FakeSmtpServer> {
  const messages: ReceivedMail[] = []
  const authAttempts: FakeSmtpServer['authAttempts'] = []
  const permanent = new Set<string>()
  const temporary = new Set<string>()
  const swallowed = new Set<string>()
  const dropped = new Set<string>()
  const connections: FakeSmtpServer['connections'] = []
  const open = new Set<string>()
  let peak = 0
  /** The server's live connections (smtp-server keeps them, with their sockets). */
  const live = () =>
    (started as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> })
      .connections

  const config: SMTPServerOptions = {
    secure: false,
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.auth,
    // Plain-text AUTH over loopback is what a test needs; real servers require TLS first.
    allowInsecureAuth: true,
    logger: false,
    // No reverse DNS on loopback: it only slows every connection down.
    disableReverseLookup: true,
    onConnect(session, callback) {
      open.add(session.id)
      peak = Math.max(peak, open.size)
      connections.push({ id: session.id, messages: 0 })
      callback()
    },
    onClose(session) {
      open.delete(session.id)
    },
    onAuth(auth, _session, callback) {
      const ok =
        auth.username === options.auth?.username && auth.password === options.auth?.password
      authAttempts.push({ username: auth.username ?? '', ok })
      if (!ok) {
        const error = Object.assign(new Error('5.7.8 Credenziali non valide'), {
          responseCode: 535,
        })
        callback(error)
        return
      }
      callback(null, { user: auth.username })
    },
    onRcptTo(address, _session, callback) {
      const to = address.address.toLowerCase()
      if (permanent.has(to)) {
        callback(
          Object.assign(new Error(`5.1.1 <${to}>: utente sconosciuto`), { responseCode: 550 }),
        )
        return
      }
      if (temporary.has(to)) {
        callback(
          Object.assign(new Error('4.3.0 Casella occupata, riprovare più tardi'), {
            responseCode: 451,
          }),
        )
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        const to = session.envelope.rcptTo.map((r) => r.address)
        messages.push(parseMail(raw, from, to))
        const record = connections.find((c) => c.id === session.id)
        if (record) record.messages++
        if (to.some((address) => swallowed.has(address.toLowerCase()))) return
        if (to.some((address) => dropped.has(address.toLowerCase()))) {
          for (const connection of live())
            if (connection.id === session.id) connection._socket.destroy()
          return
        }
        callback()
      })
    },
  }
  const started = new SMTPServer(config)
  started.on('error', () => undefined)
  await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve))
  const { port } = started.server.address() as AddressInfo

  return {
    host: '127.0.0.1',
    port,
    messages,
    authAttempts,
    rejectPermanently: (address) => permanent.add(address.toLowerCase()),
    rejectTemporarily: (address) => temporary.add(address.toLowerCase()),
    swallowAfterData: (address) => swallowed.add(address.toLowerCase()),
    dropAfterData: (address) => dropped.add(address.toLowerCase()),
    openConnections: () => open.size,
    connections,
    peakConnections: () => peak,
    close: () =>
      new Promise<void>((resolve) => {
        // Connections left waiting for a reply would hold close() until they time out.
        for (const connection of (started as unknown as { connections: Set<{ close(): void }> })
          .connections)
          connection.close()
        started.close(() => resolve())
      }),
  }
}
