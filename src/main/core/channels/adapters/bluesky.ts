import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  MapImage,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { httpBase, requireSecret, requireSetting, type HttpAdapterOptions } from './config'
import { epochSecondsToDelay, httpRequest, joinUrl, type HttpResult } from './http'
import {
  failure,
  objectField,
  statusFailure,
  stringField,
  transportFailure,
  unreadableAnswer,
  type FailedOutcome,
} from './http-errors'
import {
  BLUESKY_MAX_BYTES,
  BLUESKY_MAX_GRAPHEMES,
  countGraphemes,
  linkFacets,
  recordKeyFor,
} from './bluesky-record'
import { DEFAULT_LIMITS } from './limits'
import { mapWarning } from './media'
import { checkPassed, checkRefused } from './check-results'

/**
 * Bluesky through the account's PDS (XRPC): an app-password session, then
 * `com.atproto.repo.createRecord` with a record key derived from the outbox
 * idempotency key. A record already at that key means an earlier attempt got
 * through, so resending is safe (`idempotent = true`).
 *
 * The map card is uploaded first (`com.atproto.repo.uploadBlob`, the PNG's raw
 * bytes) and the post embeds it (`app.bsky.embed.images` with its alt text and
 * aspect ratio). A blob without a post is never shown (the PDS forgets it), so
 * a failed upload lets the post go as text alone, with a warning. Bluesky
 * takes images of at most 1,000,000 bytes; the card is about 150 kB, and a
 * larger one is not uploaded at all: the post goes without it and says why.
 * A retry uploads the same bytes again (the same blob: blobs are named by their
 * content) and writes at the same record key, so it can never post twice.
 */

const PROVIDER = 'Bluesky'
const POST_COLLECTION = 'app.bsky.feed.post'

/** Bluesky's limit for one image blob. */
export const BLUESKY_MAX_IMAGE_BYTES = 1_000_000

interface Session {
  accessJwt: string
  refreshJwt: string
  did: string
}

interface StrongRef {
  uri: string
  cid: string
}

type Response = Extract<HttpResult, { type: 'response' }>
type Step<T> = { ok: true; value: T } | { ok: false; outcome: FailedOutcome }

/** Parses `at://did/collection/rkey`. */
function parseAtUri(uri: string): { repo: string; collection: string; rkey: string } | undefined {
  const m = /^at:\/\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(uri)
  return m?.[1] && m[2] && m[3] ? { repo: m[1], collection: m[2], rkey: m[3] } : undefined
}

/** Builds the Bluesky adapter from an account's settings and secrets. */
export function createBlueskyAdapter(
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  const base = httpBase(config, options)
  const baseUrl = requireSetting(config, 'baseUrl')
  const handle = requireSetting(config, 'handle').replace(/^@/, '')
  const appPassword = requireSecret(config, 'appPassword')
  const ctx = (signal?: AbortSignal) => ({
    fetch: base.fetch,
    timeoutMs: base.timeoutMs,
    ...(signal ? { signal } : {}),
  })

  let session: Session | undefined
  let opening: Promise<Step<Session>> | undefined

  function xrpc(
    nsid: string,
    init: {
      method: 'GET' | 'POST'
      token?: string
      body?: unknown
      query?: Record<string, string>
    },
    signal?: AbortSignal,
  ): Promise<HttpResult> {
    const query = init.query ? `?${new URLSearchParams(init.query).toString()}` : ''
    const headers: Record<string, string> = {}
    if (init.token) headers.Authorization = `Bearer ${init.token}`
    if (init.body !== undefined) headers['Content-Type'] = 'application/json'
    return httpRequest(
      joinUrl(baseUrl, `xrpc/${nsid}${query}`),
      {
        method: init.method,
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      },
      ctx(signal),
    )
  }

  function errorName(res: Response): string | undefined {
    return stringField(res.json, 'error')
  }

  function errorOutcome(res: Response): FailedOutcome {
    const name = errorName(res)
    const message = stringField(res.json, 'message') ?? name ?? (res.text.trim() || undefined)
    const withText = message === undefined ? {} : { providerText: message }
    if (res.status === 429) {
      return statusFailure(
        429,
        PROVIDER,
        message,
        base.redactor,
        epochSecondsToDelay(res.headers.get('ratelimit-reset'), base.now()),
      )
    }
    if (
      name === 'AuthenticationRequired' ||
      name === 'InvalidToken' ||
      name === 'ExpiredToken' ||
      res.status === 401
    ) {
      return failure(
        {
          retry: 'permanent',
          code: 'auth',
          reason: 'Bluesky: accesso rifiutato, controlla handle e app password',
          ...withText,
        },
        base.redactor,
      )
    }
    if (name === 'AccountTakedown' || name === 'AccountDeactivated') {
      return failure(
        {
          retry: 'permanent',
          code: 'account_disabled',
          reason: 'Bluesky: l’account è sospeso o disattivato',
          ...withText,
        },
        base.redactor,
      )
    }
    if (res.status === 400) {
      return failure(
        {
          retry: 'permanent',
          code: 'validation',
          reason: 'Bluesky ha rifiutato il post',
          ...withText,
        },
        base.redactor,
      )
    }
    return statusFailure(res.status, PROVIDER, message, base.redactor)
  }

  function readSession(res: Response): Session | undefined {
    const accessJwt = stringField(res.json, 'accessJwt')
    const refreshJwt = stringField(res.json, 'refreshJwt')
    const did = stringField(res.json, 'did')
    if (!accessJwt || !refreshJwt || !did) return undefined
    base.redactor.add(accessJwt)
    base.redactor.add(refreshJwt)
    return { accessJwt, refreshJwt, did }
  }

  async function createSession(signal?: AbortSignal): Promise<Step<Session>> {
    const res = await xrpc(
      'com.atproto.server.createSession',
      { method: 'POST', body: { identifier: handle, password: appPassword } },
      signal,
    )
    if (res.type !== 'response')
      return { ok: false, outcome: transportFailure(res, PROVIDER, base.redactor) }
    if (res.status !== 200) return { ok: false, outcome: errorOutcome(res) }
    const s = readSession(res)
    if (!s) {
      return {
        ok: false,
        outcome: failure(
          {
            retry: 'transient',
            code: 'bad_response',
            reason: 'Risposta di accesso di Bluesky incomprensibile',
          },
          base.redactor,
        ),
      }
    }
    return { ok: true, value: s }
  }

  /** Exchanges the refresh token; falls back to a new login when that fails. */
  async function refresh(old: Session): Promise<Step<Session>> {
    const res = await xrpc('com.atproto.server.refreshSession', {
      method: 'POST',
      token: old.refreshJwt,
    })
    if (res.type === 'response' && res.status === 200) {
      const s = readSession(res)
      if (s) return { ok: true, value: s }
    }
    return createSession()
  }

  /** One session for all sends; `stale` is the session a caller found expired. */
  async function ensureSession(stale?: Session): Promise<Step<Session>> {
    if (session && session !== stale) return { ok: true, value: session }
    // Shared by concurrent sends, so bound by its own deadline, not one caller's signal.
    opening ??= (stale ? refresh(stale) : createSession()).finally(() => {
      opening = undefined
    })
    const step = await opening
    if (step.ok) session = step.value
    else if (session === stale) session = undefined
    return step
  }

  async function getRecord(
    ref: { repo: string; collection: string; rkey: string },
    signal?: AbortSignal,
  ) {
    const s = session
    return xrpc(
      'com.atproto.repo.getRecord',
      { method: 'GET', query: ref, ...(s ? { token: s.accessJwt } : {}) },
      signal,
    )
  }

  /** The reply references for a post we follow up: parent, and the thread's root. */
  async function replyRefs(
    parentUri: string,
    signal?: AbortSignal,
  ): Promise<Step<{ root: StrongRef; parent: StrongRef }>> {
    const ref = parseAtUri(parentUri)
    if (!ref) {
      return {
        ok: false,
        outcome: failure(
          {
            retry: 'permanent',
            code: 'invalid_reply',
            reason: 'Riferimento al post precedente non valido',
          },
          base.redactor,
        ),
      }
    }
    const res = await getRecord(ref, signal)
    if (res.type !== 'response')
      return { ok: false, outcome: transportFailure(res, PROVIDER, base.redactor) }
    const cid = res.status === 200 ? stringField(res.json, 'cid') : undefined
    if (!cid) {
      if (res.status >= 500 || res.status === 429) return { ok: false, outcome: errorOutcome(res) }
      return {
        ok: false,
        outcome: failure(
          {
            retry: 'permanent',
            code: 'not_found',
            reason: 'Il post a cui rispondere non esiste più',
          },
          base.redactor,
        ),
      }
    }
    const parent = { uri: parentUri, cid }
    const existingRoot = objectField(objectField(objectField(res.json, 'value'), 'reply'), 'root')
    const rootUri = stringField(existingRoot, 'uri')
    const rootCid = stringField(existingRoot, 'cid')
    return {
      ok: true,
      value: { parent, root: rootUri && rootCid ? { uri: rootUri, cid: rootCid } : parent },
    }
  }

  /** Uploads the card; the blob ref the post embeds, or why not (then the post goes without). */
  async function uploadImage(
    image: MapImage,
    signal?: AbortSignal,
  ): Promise<{ blob: Record<string, unknown> } | { warning: string }> {
    if (image.png.length > BLUESKY_MAX_IMAGE_BYTES) {
      const kb = (n: number) => Math.round(n / 1000)
      return {
        warning: mapWarning(
          `immagine di ${kb(image.png.length)} kB, oltre il limite di Bluesky (${kb(BLUESKY_MAX_IMAGE_BYTES)} kB)`,
        ),
      }
    }
    for (let attempt = 0; ; attempt++) {
      const step = await ensureSession()
      if (!step.ok) return { warning: mapWarning(step.outcome.reason) }
      const res = await httpRequest(
        joinUrl(baseUrl, 'xrpc/com.atproto.repo.uploadBlob'),
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${step.value.accessJwt}`, 'Content-Type': 'image/png' },
          body: image.png as Uint8Array<ArrayBuffer>,
        },
        ctx(signal),
      )
      if (res.type !== 'response')
        return { warning: mapWarning(transportFailure(res, PROVIDER, base.redactor).reason) }
      const name = errorName(res)
      if ((name === 'ExpiredToken' || name === 'InvalidToken' || res.status === 401) && !attempt) {
        const renewed = await ensureSession(step.value)
        if (!renewed.ok) return { warning: mapWarning(renewed.outcome.reason) }
        continue
      }
      if (res.status !== 200) return { warning: mapWarning(errorOutcome(res).reason) }
      const blob = objectField(res.json, 'blob')
      if (!blob || !objectField(blob, 'ref'))
        return { warning: mapWarning('risposta illeggibile al caricamento della mappa') }
      return { blob }
    }
  }

  /** After an unclear failure: is the record already in the repository? */
  /**
   * Looks for our post at its record key: its URI, `absent` when the PDS says
   * there is no such record (then nothing was written), or `unknown`.
   */
  async function alreadyPosted(
    did: string,
    rkey: string,
    signal?: AbortSignal,
  ): Promise<{ uri: string } | 'absent' | 'unknown'> {
    const res = await getRecord({ repo: did, collection: POST_COLLECTION, rkey }, signal)
    if (res.type !== 'response') return 'unknown'
    if (res.status === 200)
      return { uri: stringField(res.json, 'uri') ?? `at://${did}/${POST_COLLECTION}/${rkey}` }
    const name = errorName(res)
    if (res.status === 404 || name === 'RecordNotFound') return 'absent'
    if (res.status === 400 && /not found/i.test(stringField(res.json, 'message') ?? ''))
      return 'absent'
    return 'unknown'
  }

  return {
    kind: 'bluesky',
    idempotent: true,
    simulated: false,
    limits: () => ({ ...DEFAULT_LIMITS.bluesky }),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      const length = countGraphemes(message.text)
      if (length > BLUESKY_MAX_GRAPHEMES || Buffer.byteLength(message.text) > BLUESKY_MAX_BYTES) {
        const reason =
          length > BLUESKY_MAX_GRAPHEMES
            ? `Post troppo lungo per Bluesky: ${length} caratteri su ${BLUESKY_MAX_GRAPHEMES}`
            : 'Post troppo lungo per Bluesky: troppe emoji o simboli (limite di 3000 byte)'
        return failure({ retry: 'permanent', code: 'too_long', reason }, base.redactor)
      }
      let step = await ensureSession()
      if (!step.ok) return step.outcome
      let reply: { root: StrongRef; parent: StrongRef } | undefined
      if (message.inReplyTo) {
        const refs = await replyRefs(message.inReplyTo, signal)
        if (!refs.ok) return refs.outcome
        reply = refs.value
      }
      const rkey = recordKeyFor(message.idempotencyKey)
      const facets = linkFacets(message.text)
      const image = message.image ? await uploadImage(message.image, signal) : undefined
      const warning = image && 'warning' in image ? image.warning : undefined
      const embed =
        image && 'blob' in image && message.image
          ? {
              $type: 'app.bsky.embed.images',
              images: [
                {
                  image: image.blob,
                  alt: message.image.alt,
                  aspectRatio: { width: message.image.width, height: message.image.height },
                },
              ],
            }
          : undefined
      const sent = (providerId: string): SendOutcome => ({
        status: 'sent',
        providerId,
        ...(warning ? { warning } : {}),
      })
      const record = {
        $type: POST_COLLECTION,
        text: message.text,
        createdAt: new Date(base.now()).toISOString(),
        langs: ['it'],
        ...(facets.length > 0 ? { facets } : {}),
        ...(reply ? { reply } : {}),
        ...(embed ? { embed } : {}),
      }
      for (let attempt = 0; ; attempt++) {
        const s = step.value
        const res = await xrpc(
          'com.atproto.repo.createRecord',
          {
            method: 'POST',
            token: s.accessJwt,
            body: { repo: s.did, collection: POST_COLLECTION, rkey, record },
          },
          signal,
        )
        if (res.type !== 'response') return transportFailure(res, PROVIDER, base.redactor)
        if (res.status === 200) {
          const uri = stringField(res.json, 'uri')
          if (uri) return sent(uri)
          // A 200 we cannot read (a proxy's page) proves nothing: look for the record itself.
          const found = await alreadyPosted(s.did, rkey, signal)
          if (typeof found === 'object') return sent(found.uri)
          return unreadableAnswer(res.status, PROVIDER, res.text, base.redactor)
        }
        const name = errorName(res)
        const expired = name === 'ExpiredToken' || name === 'InvalidToken' || res.status === 401
        if (expired && attempt === 0) {
          step = await ensureSession(s)
          if (!step.ok) return step.outcome
          continue
        }
        // A record at our key (conflict, or the PDS failing on the duplicate key) means we already posted.
        const maybeDuplicate =
          res.status === 409 ||
          res.status >= 500 ||
          (res.status === 400 && /exist/i.test(stringField(res.json, 'message') ?? ''))
        if (maybeDuplicate) {
          const found = await alreadyPosted(s.did, rkey, signal)
          if (typeof found === 'object') return sent(found.uri)
          if (found === 'absent' && res.status >= 500) {
            // The record key is ours, so the PDS's own answer settles it: nothing was written.
            return failure(
              {
                retry: 'transient',
                code: 'provider_unavailable',
                reason: `Bluesky: errore del servizio (HTTP ${res.status}), il post non risulta pubblicato`,
              },
              base.redactor,
            )
          }
        }
        return errorOutcome(res)
      }
    },

    async testConnection(signal?: AbortSignal): Promise<ConnectionCheck> {
      const step = await createSession(signal)
      if (!step.ok) return checkRefused(step.outcome, PROVIDER)
      session = step.value
      return checkPassed('bluesky_login', { handle }, `Accesso a Bluesky riuscito come @${handle}`)
    },
  }
}
