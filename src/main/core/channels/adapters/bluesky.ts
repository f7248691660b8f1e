import type {
  AdapterConfig,
  ChannelAdapter,
  ConnectionCheck,
  MapImage,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import { AtpAgent, CredentialSession, XRPCError } from '@atproto/api'
import { httpBase, requireSecret, requireSetting, type HttpAdapterOptions } from './config'
import {
  epochSecondsToDelay,
  httpRequest,
  joinUrl,
  parseJson,
  type HttpContext,
  type HttpResult,
  type NoAnswer,
} from './http'
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
  postFacets,
  recordKeyFor,
} from './bluesky-record'
import { DEFAULT_LIMITS } from './limits'
import { mapWarning } from './media'
import { checkPassed, checkRefused } from './check-results'

/**
 * Bluesky through the account's PDS (XRPC), with the official `@atproto/api`:
 * its `CredentialSession` logs in with the app password and, when the PDS
 * answers `ExpiredToken`, refreshes the session once and repeats the request;
 * its `RichText` finds the links, mentions and hashtags. Every request the
 * library makes goes through {@link policyFetch}, i.e. the project's
 * `httpRequest` (deadline, the caller's Stop signal, capped answers), and
 * always to the configured PDS URL. Then
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
  did: string
}

/** The library's fetch gave no answer: carries the project's result (timeout, abort, …). */
class NoAnswerError extends Error {
  constructor(readonly result: NoAnswer) {
    super(result.message)
  }
}

/** The project's answer inside an error the library wrapped (it keeps it as `cause`). */
function noAnswerIn(err: unknown): NoAnswer | undefined {
  if (err instanceof NoAnswerError) return err.result
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined
  return cause instanceof NoAnswerError ? cause.result : undefined
}

/**
 * A WhatWG `fetch` for the library, built on {@link httpRequest}: the same
 * deadline, Stop signal and answer cap as every other adapter. The request goes
 * to the configured base URL whatever host the library chose: after login the
 * library would follow the account's DID document to its own PDS host, which
 * would bypass a gateway the ICT office configured (an entryway such as
 * bsky.social forwards to the right PDS itself). No answer throws
 * {@link NoAnswerError}, which the adapter turns back into its result.
 */
function policyFetch(baseUrl: string, ctx: () => HttpContext): typeof fetch {
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '')
  return async (input, init) => {
    const req = new Request(input, init)
    const url = new URL(req.url)
    const path =
      basePath && url.pathname.startsWith(`${basePath}/`)
        ? url.pathname.slice(basePath.length)
        : url.pathname
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await req.arrayBuffer()
    const res = await httpRequest(
      joinUrl(baseUrl, `${path}${url.search}`),
      {
        method: req.method,
        headers: req.headers,
        ...(body && body.byteLength > 0 ? { body } : {}),
      },
      { ...ctx(), signal: req.signal },
    )
    if (res.type !== 'response') throw new NoAnswerError(res)
    const headers = new Headers(res.headers)
    // The body is already decoded and read whole.
    headers.delete('content-encoding')
    headers.delete('content-length')
    const empty = res.status === 204 || res.status === 304
    return new Response(empty ? null : res.text, { status: res.status, headers })
  }
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
  const credentials = new CredentialSession(
    new URL(baseUrl),
    policyFetch(baseUrl, () => ({ fetch: base.fetch, timeoutMs: base.timeoutMs })),
    (_event, data) => {
      // Every token the library learns (login, refresh) is kept out of reasons and logs.
      base.redactor.add(data?.accessJwt)
      base.redactor.add(data?.refreshJwt)
    },
  )
  /** Resolves mentions' handles for the facets, through the same session and fetch. */
  const agent = new AtpAgent(credentials)

  let opening: Promise<Step<Session>> | undefined

  /**
   * One XRPC call through the library's session: it adds the access token and,
   * on `ExpiredToken`, refreshes and repeats the call once. Never throws.
   */
  async function xrpc(
    nsid: string,
    init: {
      method: 'GET' | 'POST'
      body?: unknown
      contentType?: string
      query?: Record<string, string>
    },
    signal?: AbortSignal,
  ): Promise<HttpResult> {
    const query = init.query ? `?${new URLSearchParams(init.query).toString()}` : ''
    const headers: Record<string, string> = {}
    if (init.body !== undefined) headers['Content-Type'] = init.contentType ?? 'application/json'
    const body =
      init.body === undefined
        ? undefined
        : init.body instanceof Uint8Array
          ? (init.body as Uint8Array<ArrayBuffer>)
          : JSON.stringify(init.body)
    if (signal?.aborted)
      return { type: 'aborted', message: 'aborted before sending', mayHaveSent: false }
    try {
      const res = await credentials.fetchHandler(`/xrpc/${nsid}${query}`, {
        method: init.method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(signal ? { signal } : {}),
      })
      const text = await res.text()
      return {
        type: 'response',
        status: res.status,
        headers: res.headers,
        text,
        json: parseJson(text),
      }
    } catch (err) {
      const none = noAnswerIn(err)
      if (none) return none
      // Not one of ours (the library refusing the request): the request may have left.
      return {
        type: 'network',
        message: err instanceof Error ? err.message : String(err),
        mayHaveSent: true,
      }
    }
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

  /** Logs in with the app password (the library keeps the session and its tokens). */
  async function createSession(signal?: AbortSignal): Promise<Step<Session>> {
    if (signal?.aborted)
      return {
        ok: false,
        outcome: transportFailure(
          { type: 'aborted', message: 'aborted before sending', mayHaveSent: false },
          PROVIDER,
          base.redactor,
        ),
      }
    try {
      const res = await credentials.login({ identifier: handle, password: appPassword })
      return { ok: true, value: { did: res.data.did } }
    } catch (err) {
      const none = noAnswerIn(err)
      if (none) return { ok: false, outcome: transportFailure(none, PROVIDER, base.redactor) }
      if (err instanceof XRPCError && err.status >= 400) {
        const json = { error: err.error, message: err.message }
        const answer: Response = {
          type: 'response',
          status: err.status,
          headers: new Headers(
            Object.entries(err.headers ?? {}).filter(
              (e): e is [string, string] => typeof e[1] === 'string',
            ),
          ),
          text: JSON.stringify(json),
          json,
        }
        return { ok: false, outcome: errorOutcome(answer) }
      }
      // A 200 the library could not read as a session.
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
  }

  /**
   * One session for all sends. `staleJwt`: the access token a call was made
   * with and that still came back expired (the library's refresh was refused);
   * unless another send already replaced it, log in again, once, shared by all.
   */
  async function ensureSession(staleJwt?: string): Promise<Step<Session>> {
    const current = credentials.session
    if (current && current.accessJwt !== staleJwt && !opening)
      return { ok: true, value: { did: current.did } }
    // Shared by concurrent sends, so bound by its own deadline, not one caller's signal.
    opening ??= createSession().finally(() => {
      opening = undefined
    })
    return opening
  }

  async function getRecord(
    ref: { repo: string; collection: string; rkey: string },
    signal?: AbortSignal,
  ) {
    return xrpc('com.atproto.repo.getRecord', { method: 'GET', query: ref }, signal)
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
      const jwt = credentials.session?.accessJwt
      const res = await xrpc(
        'com.atproto.repo.uploadBlob',
        { method: 'POST', body: image.png, contentType: 'image/png' },
        signal,
      )
      if (res.type !== 'response')
        return { warning: mapWarning(transportFailure(res, PROVIDER, base.redactor).reason) }
      const name = errorName(res)
      if ((name === 'ExpiredToken' || name === 'InvalidToken' || res.status === 401) && !attempt) {
        const renewed = await ensureSession(jwt ?? '')
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
      const facets = await postFacets(message.text, agent)
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
        const jwt = credentials.session?.accessJwt
        const res = await xrpc(
          'com.atproto.repo.createRecord',
          { method: 'POST', body: { repo: s.did, collection: POST_COLLECTION, rkey, record } },
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
          step = await ensureSession(jwt ?? '')
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
      return checkPassed('bluesky_login', { handle }, `Accesso a Bluesky riuscito come @${handle}`)
    },
  }
}
