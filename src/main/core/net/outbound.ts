import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import * as http from 'node:http'
import * as https from 'node:https'
import { BlockList, isIP } from 'node:net'
import { pipeline, Readable } from 'node:stream'
import * as zlib from 'node:zlib'

/**
 * The one policy for every request Vedetta makes to the outside: how much of an answer it
 * reads, and where it may connect.
 *
 * - Every answer is read up to a cap per use: {@link FEED_MAX_BYTES} for feeds and pages,
 *   {@link API_MAX_BYTES} for provider APIs; a larger body is cut as soon as it crosses the cap.
 * - Feeds and partners' pages are typed by people, and a redirect can lead anywhere: their
 *   destinations are checked at every hop, and loopback, link-local (cloud metadata), private,
 *   CGNAT and unspecified addresses are refused unless the ICT office marked the source
 *   «rete interna». The name is resolved first, every address is checked, and the socket
 *   connects to the checked address (the `lookup` of the request), so a DNS answer cannot
 *   change between the check and the connection.
 * - Channel providers' APIs (Twilio, Telegram, SMS gateways…) are configured by the ICT office
 *   with their base URLs, often a gateway on the office's own network: they are not subject to
 *   the address rule, only to the size cap.
 */

export const MIB = 1024 * 1024
/** Feeds, their detail documents and partners' pages. */
export const FEED_MAX_BYTES = 5 * MIB
/** Channel providers' API answers (a send's receipt, a check). */
export const API_MAX_BYTES = 1 * MIB
/** Inbound polls: one answer is a page of many citizens' messages, so it gets a feed's room. */
export const INBOUND_MAX_BYTES = 5 * MIB
/** Redirects followed before giving up. */
export const MAX_REDIRECTS = 5

/**
 * Test rigs and local development serve their feeds on loopback: with this variable set to
 * `allow` every destination counts as «rete interna» (the test runner sets it; production
 * never does).
 */
export const INTERNAL_NETWORK_ENV = 'VEDETTA_INTERNAL_NETWORK'

const INTERNAL = new BlockList()
// Unspecified and "this network".
INTERNAL.addSubnet('0.0.0.0', 8, 'ipv4')
INTERNAL.addAddress('::', 'ipv6')
// Loopback.
INTERNAL.addSubnet('127.0.0.0', 8, 'ipv4')
INTERNAL.addAddress('::1', 'ipv6')
// Private.
INTERNAL.addSubnet('10.0.0.0', 8, 'ipv4')
INTERNAL.addSubnet('172.16.0.0', 12, 'ipv4')
INTERNAL.addSubnet('192.168.0.0', 16, 'ipv4')
INTERNAL.addSubnet('fc00::', 7, 'ipv6')
// Carrier-grade NAT (shared address space).
INTERNAL.addSubnet('100.64.0.0', 10, 'ipv4')
// Link-local: 169.254.169.254 is the cloud metadata service.
INTERNAL.addSubnet('169.254.0.0', 16, 'ipv4')
INTERNAL.addSubnet('fe80::', 10, 'ipv6')
// Multicast and broadcast are never a web server.
INTERNAL.addSubnet('224.0.0.0', 4, 'ipv4')
INTERNAL.addSubnet('240.0.0.0', 4, 'ipv4')
INTERNAL.addSubnet('ff00::', 8, 'ipv6')

/**
 * True for addresses of this computer or its networks (IPv4-mapped IPv6 included: BlockList
 * checks `::ffff:10.0.0.1` against the IPv4 rules). Anything that is not an address counts as
 * internal: refusing is the safe reading.
 */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return true
  return INTERNAL.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

/** A destination refused by the address rule, before any connection was made. */
export class DestinationRefused extends Error {
  override name = 'DestinationRefused'
  readonly code = 'internal_address'

  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(
      `${host === address ? address : `${host} (${address})`} è in rete interna: ` +
        'raggiungibile solo dalle fonti che l’ICT ha segnato «rete interna»',
    )
  }
}

/** A body larger than the use allows; it was not read past the cap. */
export class BodyTooLarge extends Error {
  override name = 'BodyTooLarge'
  readonly code = 'too_large'

  constructor(readonly limit: number) {
    super(`Risposta troppo grande (oltre ${formatBytes(limit)})`)
  }
}

/** A byte count as the operator reads it: "5 MiB", "1,5 MiB", "256 KiB". */
export function formatBytes(bytes: number): string {
  const n = (x: number) => new Intl.NumberFormat('it-IT', { maximumFractionDigits: 1 }).format(x)
  if (bytes >= MIB) return `${n(bytes / MIB)} MiB`
  if (bytes >= 1024) return `${n(bytes / 1024)} KiB`
  return `${bytes} byte`
}

/**
 * Reads a body up to `maxBytes`, streaming: as soon as it crosses the cap the stream is
 * cancelled (which closes the connection) and {@link BodyTooLarge} is thrown.
 */
export async function readCapped(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Uint8Array> {
  if (body === null) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      // The body is refused either way (thrown below): a failing cancel loses nothing.
      await reader.cancel().catch(() => undefined)
      throw new BodyTooLarge(maxBytes)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

/** A resolver shaped like `dns.lookup` with `all: true` (injected by tests). */
export type Resolver = (
  hostname: string,
  options: { all: true; family?: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void

export interface DestinationPolicy {
  /** The source is marked «rete interna» by the ICT office. */
  allowInternal: boolean
  /** Name resolution; `dns.lookup` by default. */
  resolve?: Resolver
  /** Which addresses count as internal; {@link isInternalAddress} by default (tests widen it). */
  isInternal?: (address: string) => boolean
}

/** Whether a source may reach internal addresses: its own flag, or a test rig's environment. */
export function allowsInternal(markedInternal: boolean | undefined): boolean {
  return markedInternal === true || process.env[INTERNAL_NETWORK_ENV] === 'allow'
}

const defaultResolver: Resolver = (hostname, options, callback) =>
  dnsLookup(hostname, options, callback)

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

/**
 * A `lookup` for `http.request`: resolves every address of the name, refuses the connection if
 * any of them is internal (a name with one public and one private address is not public), and
 * hands the socket exactly the addresses it checked.
 */
export function checkedLookup(
  policy: DestinationPolicy,
): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  const resolve = policy.resolve ?? defaultResolver
  const internal = policy.isInternal ?? isInternalAddress
  return (hostname, options, callback) => {
    const family = typeof options.family === 'number' && options.family !== 0 ? options.family : 0
    resolve(hostname, { all: true, ...(family ? { family } : {}) }, (err, addresses) => {
      if (err) return callback(err, '')
      if (addresses.length === 0) {
        const missing: NodeJS.ErrnoException = new Error(`nessun indirizzo per ${hostname}`)
        missing.code = 'ENOTFOUND'
        return callback(missing, '')
      }
      if (!policy.allowInternal) {
        const bad = addresses.find((a) => internal(a.address))
        if (bad) return callback(new DestinationRefused(hostname, bad.address), '')
      }
      if (options.all) return callback(null, addresses)
      const first = addresses[0] as LookupAddress
      return callback(null, first.address, first.family)
    })
  }
}

/** Throws {@link DestinationRefused} when a URL names an internal address literally. */
export function checkLiteralAddress(url: URL, policy: DestinationPolicy): void {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (policy.allowInternal || isIP(host) === 0) return
  if ((policy.isInternal ?? isInternalAddress)(host)) throw new DestinationRefused(host, host)
}

const NULL_BODY = new Set([101, 204, 205, 304])

function decoded(res: http.IncomingMessage): Readable {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  const done = (): void => undefined
  // pipeline destroys every stage when one ends early, so cancelling the body closes the socket.
  if (encoding === 'gzip' || encoding === 'x-gzip') return pipeline(res, zlib.createGunzip(), done)
  if (encoding === 'deflate') return pipeline(res, zlib.createInflate(), done)
  if (encoding === 'br') return pipeline(res, zlib.createBrotliDecompress(), done)
  return res
}

function requestBody(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null) return undefined
  if (typeof body === 'string' || body instanceof Uint8Array) return body
  if (body instanceof URLSearchParams) return body.toString()
  throw new TypeError('corpo della richiesta non supportato')
}

/**
 * A `fetch` that applies the address rule: literal addresses are checked before the request,
 * names through {@link checkedLookup}. It never follows redirects by itself (the caller reads
 * `Location` and asks again, so each hop is checked); bodies are decompressed like fetch does.
 * Supports what Vedetta's readers use: string or URL input, method, headers, a string body,
 * and a signal.
 */
export function createOutboundFetch(policy: DestinationPolicy): typeof fetch {
  const lookup = checkedLookup(policy)
  const outbound = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : input)
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TypeError(`protocollo non ammesso: ${url.protocol}`))
        return
      }
      try {
        checkLiteralAddress(url, policy)
      } catch (err) {
        reject(err)
        return
      }
      const signal = init.signal ?? undefined
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const headers = new Headers(init.headers)
      if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br')
      const method = (init.method ?? 'GET').toUpperCase()
      const client = url.protocol === 'https:' ? https : http
      const req = client.request(
        url,
        { method, headers: Object.fromEntries(headers), lookup, ...(signal ? { signal } : {}) },
        (res) => {
          const status = res.statusCode ?? 0
          const responseHeaders = new Headers()
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
            responseHeaders.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string)
          }
          const empty = NULL_BODY.has(status) || method === 'HEAD'
          if (empty) res.resume()
          try {
            resolve(
              new Response(
                empty ? null : (Readable.toWeb(decoded(res)) as unknown as ReadableStream),
                { status, statusText: res.statusMessage ?? '', headers: responseHeaders },
              ),
            )
          } catch (err) {
            res.destroy()
            reject(err)
          }
        },
      )
      req.on('error', reject)
      req.end(requestBody(init.body))
    })
  return outbound as typeof fetch
}
