import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/**
 * The cookie that carries the token, named for the host's port. Browsers send
 * a 127.0.0.1 cookie to every port of 127.0.0.1 (cookies ignore ports,
 * RFC 6265 §8.5): the name keeps two hosts' cookies apart, and a host accepts
 * only its own, so a cookie set by another port is worth nothing here.
 */
export const tokenCookieName = (port: number): string => `vedetta_${port}`

/** `HttpOnly` (no script reads it), `SameSite=Strict`, for the whole site, for the browser session. */
export const tokenCookie = (port: number, token: string): string =>
  `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`

export const newToken = (): string => randomBytes(24).toString('base64url')

export function sameToken(expected: string, given: string | null | undefined): boolean {
  if (!given) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The value of this port's token cookie; cookies named for other ports are not read. */
export function cookieToken(req: IncomingMessage, port: number): string | undefined {
  const header = req.headers.cookie
  if (!header) return undefined
  const name = tokenCookieName(port)
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}

/** Only our own loopback names: defeats DNS rebinding from a web page elsewhere. */
export function allowedHost(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

/** A browser's WebSocket carries its page's origin: only our own page may connect. */
export function allowedOrigin(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true // not a browser (CLI tools, tests): the token still applies
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "media-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
