import { createPrivateKey, randomUUID, sign, type KeyObject } from 'node:crypto'
import { AdapterConfigError } from './config'

/**
 * The JWT that authorises a Vonage Voice API request: RS256, signed with the
 * private key of the Vonage application, carrying `application_id`, `iat`,
 * `exp` and a fresh `jti`.
 *
 * Signed with node:crypto rather than a JWT library: one header, one payload
 * and an RSA-SHA256 signature (PKCS#1 v1.5, which is what RS256 means) are a
 * few lines, and the project takes no dependency it does not need.
 */

/** Lifetime of one token; each request signs its own. */
export const VONAGE_JWT_TTL_SECONDS = 300

/** The application's RSA key, from the PEM the operator pasted (or `\n`-escaped text). */
export function loadVonagePrivateKey(pem: string): KeyObject {
  const text = pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n')
  let key: KeyObject
  try {
    key = createPrivateKey({ key: text, format: 'pem' })
  } catch {
    throw new AdapterConfigError(
      'secrets.privateKey',
      'Chiave privata Vonage illeggibile: incolla tutto il file private.key dell’applicazione, da «-----BEGIN PRIVATE KEY-----» a «-----END PRIVATE KEY-----»',
    )
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AdapterConfigError(
      'secrets.privateKey',
      'La chiave privata Vonage deve essere la chiave RSA generata per l’applicazione',
    )
  }
  return key
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** Signs a token for one request at `nowMs`. */
export function signVonageJwt(
  key: KeyObject,
  applicationId: string,
  nowMs: number,
  ttlSeconds = VONAGE_JWT_TTL_SECONDS,
): string {
  const iat = Math.floor(nowMs / 1000)
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))
  const payload = base64url(
    JSON.stringify({
      application_id: applicationId,
      iat,
      exp: iat + ttlSeconds,
      jti: randomUUID(),
    }),
  )
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key)
  return `${header}.${payload}.${base64url(signature)}`
}

/** Anything shaped like a JWT, so that a provider echoing one never shows it. */
const JWT_LIKE = /eyJ[\w-]*\.[\w-]+\.[\w-]+/g

export function redactJwts(text: string): string {
  return text.replace(JWT_LIKE, '***')
}
