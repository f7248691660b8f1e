import { createHash, randomBytes } from 'node:crypto'
import {
  bearer,
  startFakeHttp,
  type FakeHttpServer,
  type FakeReply,
  type RecordedRequest,
} from './http-fake'

/**
 * A loopback Bluesky PDS (XRPC): app-password sessions with expiring access
 * tokens (`ExpiredToken`) and refresh, `com.atproto.repo.createRecord` that
 * validates an `app.bsky.feed.post` (TID record key, 300 graphemes, facets,
 * reply refs), `getRecord`, XRPC `{error, message}` answers and 429 with
 * `ratelimit-*` headers. A second write at an existing record key fails as the
 * reference PDS fails (its repository refuses the duplicate key: HTTP 500) or,
 * optionally, as an explicit `InvalidRequest`.
 *
 * Facets follow `app.bsky.richtext.facet`: each covers, in UTF-8 bytes, its link's text,
 * its `#tag` or the `@handle` of the DID it mentions. `com.atproto.identity.resolveHandle`
 * answers the account's handle and `knownHandles`, and `InvalidRequest` for any other.
 * `com.atproto.server.getSession` answers the session of a valid access token.
 *
 * Images: `com.atproto.repo.uploadBlob` takes the raw bytes (its `Content-Type` is the
 * blob's MIME type, at most 1,000,000 bytes, `BlobTooLarge` past it) and answers the
 * blob ref; a post's `app.bsky.embed.images` must name uploaded blobs, with an `alt`
 * for each (the lexicon requires it, empty or not) and a positive `aspectRatio`.
 */

export interface FakePost {
  uri: string
  cid: string
  rkey: string
  value: Record<string, unknown>
}

export interface FakeBlob {
  cid: string
  mimeType: string
  bytes: Buffer
}

export interface FakeBluesky extends FakeHttpServer {
  handle: string
  /** Uploaded blobs, by CID (content-addressed: the same bytes are one blob). */
  blobs: Map<string, FakeBlob>
  appPassword: string
  did: string
  posts: FakePost[]
  sessionsCreated: number
  refreshes: number
  /** Every access token issued so far now answers `ExpiredToken`. */
  expireAccessTokens(): void
  /** Every refresh token issued so far is refused (`ExpiredToken`). */
  revokeRefreshTokens(): void
  /** Adds an existing post (e.g. by another client) that can be replied to. */
  seedPost(text: string, rkey?: string): FakePost
}

export interface FakeBlueskyOptions {
  handle?: string
  appPassword?: string
  /** How a write at an existing record key is refused. */
  duplicateKeyAnswer?: 'internal_error' | 'invalid_request'
  /** Other accounts' handles the PDS resolves, with their DIDs. */
  knownHandles?: Record<string, string>
  /** Sessions carry a DID document naming this URL as the account's PDS (bsky.social does). */
  didDocPds?: string
  now?: () => number
}

const TID_RE = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/
const COLLECTION = 'app.bsky.feed.post'
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' })

const xrpcError = (status: number, error: string, message: string): FakeReply => ({
  status,
  body: { error, message },
})
const cidOf = (value: unknown) =>
  `bafyrei${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 52)}`

/** Bluesky's limit for an image blob, in bytes. */
export const BLOB_MAX_BYTES = 1_000_000

/** The checks of `app.bsky.embed.images`; returns a message when invalid. */
function invalidImages(embed: unknown, blobs: Map<string, FakeBlob>): string | undefined {
  const e = embed as { $type?: unknown; images?: unknown }
  if (e.$type !== 'app.bsky.embed.images')
    return `Invalid app.bsky.feed.post record: Record/embed $type ${String(e.$type)} not supported here`
  if (!Array.isArray(e.images) || e.images.length < 1 || e.images.length > 4)
    return 'Invalid app.bsky.feed.post record: Record/embed/images must be an array of 1 to 4'
  for (const img of e.images as Record<string, unknown>[]) {
    if (typeof img.alt !== 'string')
      return 'Invalid app.bsky.feed.post record: Record/embed/images/0 must have the property "alt"'
    const blob = img.image as
      { $type?: string; ref?: { $link?: string }; mimeType?: string; size?: number } | undefined
    const link = blob?.ref?.$link
    if (blob?.$type !== 'blob' || typeof link !== 'string' || !blobs.has(link))
      return 'Invalid app.bsky.feed.post record: Record/embed/images/0/image should be a blob ref'
    if (!blob.mimeType?.startsWith('image/'))
      return 'Invalid app.bsky.feed.post record: Record/embed/images/0/image mimeType must be an image'
    const ratio = img.aspectRatio as { width?: unknown; height?: unknown } | undefined
    if (
      ratio !== undefined &&
      !(
        Number.isInteger(ratio.width) &&
        Number.isInteger(ratio.height) &&
        (ratio.width as number) > 0 &&
        (ratio.height as number) > 0
      )
    )
      return 'Invalid app.bsky.feed.post record: Record/embed/images/0/aspectRatio must be positive integers'
  }
  return undefined
}

/** The lexicon checks a PDS applies to a post; returns a message when invalid. */
function invalidPost(
  record: Record<string, unknown>,
  posts: FakePost[],
  blobs: Map<string, FakeBlob>,
  handles: Map<string, string>,
): string | undefined {
  if (record.embed !== undefined) {
    const invalid = invalidImages(record.embed, blobs)
    if (invalid) return invalid
  }
  if (record.$type !== COLLECTION)
    return 'Invalid app.bsky.feed.post record: Record/$type must be app.bsky.feed.post'
  const text = record.text
  if (typeof text !== 'string')
    return 'Invalid app.bsky.feed.post record: Record must have the property "text"'
  if ([...segmenter.segment(text)].length > 300) {
    return 'Invalid app.bsky.feed.post record: Record/text must not be longer than 300 graphemes'
  }
  const bytes = Buffer.byteLength(text)
  if (bytes > 3000)
    return 'Invalid app.bsky.feed.post record: Record/text must not be longer than 3000 characters'
  if (typeof record.createdAt !== 'string' || Number.isNaN(Date.parse(record.createdAt))) {
    return 'Invalid app.bsky.feed.post record: Record/createdAt must be an valid atproto datetime'
  }
  const facets = record.facets
  if (facets !== undefined) {
    if (!Array.isArray(facets))
      return 'Invalid app.bsky.feed.post record: Record/facets must be an array'
    for (const f of facets as {
      index?: { byteStart?: number; byteEnd?: number }
      features?: { $type?: string; uri?: string }[]
    }[]) {
      const start = f.index?.byteStart
      const end = f.index?.byteEnd
      if (
        typeof start !== 'number' ||
        typeof end !== 'number' ||
        start < 0 ||
        end > bytes ||
        start >= end
      ) {
        return 'Invalid app.bsky.feed.post record: Record/facets/index is out of range'
      }
      const covered = Buffer.from(text).subarray(start, end).toString()
      if (!Array.isArray(f.features) || f.features.length === 0)
        return 'Invalid app.bsky.feed.post record: Record/facets/features must not be empty'
      for (const feature of f.features as Record<string, unknown>[]) {
        const type = feature.$type
        if (type === 'app.bsky.richtext.facet#link') {
          const uri = feature.uri
          if (typeof uri !== 'string' || !URL.canParse(uri))
            return 'Invalid app.bsky.feed.post record: Record/facets/features/uri must be a uri'
          if (covered !== uri && `https://${covered}` !== uri)
            return 'Invalid app.bsky.feed.post record: facet does not cover its link'
        } else if (type === 'app.bsky.richtext.facet#tag') {
          const tag = feature.tag
          if (typeof tag !== 'string' || tag.length === 0 || Buffer.byteLength(tag) > 640)
            return 'Invalid app.bsky.feed.post record: Record/facets/features/tag must be 1 to 640 bytes'
          if (covered !== `#${tag}`)
            return 'Invalid app.bsky.feed.post record: facet does not cover its tag'
        } else if (type === 'app.bsky.richtext.facet#mention') {
          const mentioned = feature.did
          if (typeof mentioned !== 'string' || !/^did:[a-z]+:[a-zA-Z0-9._:%-]+$/.test(mentioned))
            return 'Invalid app.bsky.feed.post record: Record/facets/features/did must be a valid did'
          if (covered !== `@${handles.get(mentioned) ?? ''}`)
            return 'Invalid app.bsky.feed.post record: facet does not cover its mention'
        } else {
          return `Invalid app.bsky.feed.post record: Record/facets/features $type ${String(type)} not supported`
        }
      }
    }
  }
  const reply = record.reply as
    { root?: { uri?: string; cid?: string }; parent?: { uri?: string; cid?: string } } | undefined
  if (reply !== undefined) {
    for (const ref of [reply.root, reply.parent]) {
      if (!ref?.uri || !ref.cid)
        return 'Invalid app.bsky.feed.post record: Record/reply must have root and parent refs'
      if (!posts.some((p) => p.uri === ref.uri && p.cid === ref.cid))
        return `Invalid reply: ${ref.uri} not found`
    }
  }
  return undefined
}

/** Starts the fake PDS on 127.0.0.1. */
export async function startFakeBluesky(options: FakeBlueskyOptions = {}): Promise<FakeBluesky> {
  const handle = options.handle ?? 'pcempolese.bsky.social'
  const appPassword = options.appPassword ?? 'abcd-efgh-ijkl-mnop'
  const did = 'did:plc:pcempolese2026abcdefghij'
  const now = options.now ?? Date.now
  const posts: FakePost[] = []
  const blobs = new Map<string, FakeBlob>()
  const access = new Map<string, 'valid' | 'expired'>()
  const refresh = new Set<string>()
  const counts = { sessionsCreated: 0, refreshes: 0 }
  /** DID → handle, for the accounts this PDS resolves. */
  const handles = new Map<string, string>([[did, handle]])
  for (const [h, d] of Object.entries(options.knownHandles ?? {})) handles.set(d, h)

  function issue(): FakeReply {
    const accessJwt = `eyJhY2Nlc3Mi.${randomBytes(12).toString('hex')}`
    const refreshJwt = `eyJyZWZyZXNoIi.${randomBytes(12).toString('hex')}`
    access.set(accessJwt, 'valid')
    refresh.add(refreshJwt)
    const didDoc = options.didDocPds
      ? {
          didDoc: {
            '@context': ['https://www.w3.org/ns/did/v1'],
            id: did,
            alsoKnownAs: [`at://${handle}`],
            service: [
              {
                id: '#atproto_pds',
                type: 'AtprotoPersonalDataServer',
                serviceEndpoint: options.didDocPds,
              },
            ],
          },
        }
      : {}
    return {
      status: 200,
      body: { did, handle, accessJwt, refreshJwt, active: true, ...didDoc },
    }
  }

  function authed(req: RecordedRequest): FakeReply | undefined {
    const token = bearer(req)
    const state = token ? access.get(token) : undefined
    if (!token) return xrpcError(401, 'AuthMissing', 'Authentication Required')
    if (state === 'expired') return xrpcError(400, 'ExpiredToken', 'Token has expired')
    if (state !== 'valid') return xrpcError(401, 'InvalidToken', 'Malformed token')
    return undefined
  }

  function addPost(rkey: string, value: Record<string, unknown>): FakePost {
    const post = { uri: `at://${did}/${COLLECTION}/${rkey}`, cid: cidOf(value), rkey, value }
    posts.push(post)
    return post
  }

  function createRecord(req: RecordedRequest): FakeReply {
    const body = (req.body ?? {}) as Record<string, unknown>
    if (body.repo !== did && body.repo !== handle)
      return xrpcError(400, 'InvalidRequest', `Could not find repo: ${String(body.repo)}`)
    if (body.collection !== COLLECTION)
      return xrpcError(400, 'InvalidRequest', `Lexicon not found: lex:${String(body.collection)}`)
    const rkey = typeof body.rkey === 'string' ? body.rkey : undefined
    if (rkey !== undefined && !TID_RE.test(rkey))
      return xrpcError(400, 'InvalidRequest', `Invalid record key: ${rkey}`)
    const record = (body.record ?? {}) as Record<string, unknown>
    const invalid = invalidPost(record, posts, blobs, handles)
    if (invalid) return xrpcError(400, 'InvalidRequest', invalid)
    const key = rkey ?? randomBytes(7).toString('hex').slice(0, 13)
    if (posts.some((p) => p.rkey === key)) {
      return options.duplicateKeyAnswer === 'invalid_request'
        ? xrpcError(
            400,
            'InvalidRequest',
            `Record already exists at at://${did}/${COLLECTION}/${key}`,
          )
        : xrpcError(500, 'InternalServerError', 'Internal Server Error')
    }
    const post = addPost(key, record)
    return {
      status: 200,
      body: {
        uri: post.uri,
        cid: post.cid,
        commit: { cid: cidOf(post.uri), rev: key },
        validationStatus: 'valid',
      },
    }
  }

  function uploadBlob(req: RecordedRequest): FakeReply {
    const mimeType = req.headers['content-type'] ?? ''
    if (!mimeType || mimeType === 'application/x-www-form-urlencoded')
      return xrpcError(400, 'InvalidRequest', 'Missing or invalid Content-Type of the blob')
    if (req.rawBytes.length > BLOB_MAX_BYTES)
      return xrpcError(
        400,
        'BlobTooLarge',
        `This file is too large. It is ${req.rawBytes.length} bytes but the maximum size is ${BLOB_MAX_BYTES} bytes.`,
      )
    const cid = `bafkrei${createHash('sha256').update(req.rawBytes).digest('hex').slice(0, 52)}`
    blobs.set(cid, { cid, mimeType, bytes: req.rawBytes })
    return {
      status: 200,
      body: { blob: { $type: 'blob', ref: { $link: cid }, mimeType, size: req.rawBytes.length } },
    }
  }

  const server = await startFakeHttp(
    (req) => {
      switch (`${req.method} ${req.path}`) {
        case 'POST /xrpc/com.atproto.server.createSession': {
          const body = (req.body ?? {}) as Record<string, unknown>
          if (
            (body.identifier !== handle && body.identifier !== did) ||
            body.password !== appPassword
          ) {
            return xrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password')
          }
          counts.sessionsCreated++
          return issue()
        }
        case 'POST /xrpc/com.atproto.server.refreshSession': {
          const token = bearer(req)
          if (!token || !refresh.has(token))
            return xrpcError(400, 'ExpiredToken', 'Token has been revoked')
          refresh.delete(token)
          counts.refreshes++
          return issue()
        }
        case 'GET /xrpc/com.atproto.server.getSession':
          return (
            authed(req) ?? {
              status: 200,
              body: { did, handle, active: true, emailConfirmed: true, emailAuthFactor: false },
            }
          )
        case 'GET /xrpc/com.atproto.identity.resolveHandle': {
          const wanted = String(req.query.handle ?? '').toLowerCase()
          const found = [...handles].find(([, h]) => h.toLowerCase() === wanted)
          return found
            ? { status: 200, body: { did: found[0] } }
            : xrpcError(400, 'InvalidRequest', 'Unable to resolve handle')
        }
        case 'POST /xrpc/com.atproto.repo.createRecord':
          return authed(req) ?? createRecord(req)
        case 'POST /xrpc/com.atproto.repo.uploadBlob':
          return authed(req) ?? uploadBlob(req)
        case 'GET /xrpc/com.atproto.repo.getRecord': {
          const post = posts.find(
            (p) =>
              p.rkey === req.query.rkey && (req.query.repo === did || req.query.repo === handle),
          )
          if (!post || req.query.collection !== COLLECTION) {
            return xrpcError(
              400,
              'RecordNotFound',
              `Could not locate record: at://${req.query.repo}/${req.query.collection}/${req.query.rkey}`,
            )
          }
          return { status: 200, body: { uri: post.uri, cid: post.cid, value: post.value } }
        }
        default:
          return xrpcError(501, 'MethodNotImplemented', 'Method Not Implemented')
      }
    },
    {
      rateLimited: (seconds) => ({
        ...xrpcError(429, 'RateLimitExceeded', 'Rate Limit Exceeded'),
        headers: {
          'ratelimit-limit': '5000',
          'ratelimit-remaining': '0',
          'ratelimit-reset': String(Math.floor(now() / 1000) + seconds),
          'ratelimit-policy': '5000;w=3600',
        },
      }),
      serverError: (status) => xrpcError(status, 'InternalServerError', 'Internal Server Error'),
    },
    {
      isSend: (req) =>
        req.path === '/xrpc/com.atproto.repo.createRecord' ||
        req.path === '/xrpc/com.atproto.repo.uploadBlob',
    },
  )

  return {
    ...server,
    handle,
    blobs,
    appPassword,
    did,
    posts,
    get sessionsCreated() {
      return counts.sessionsCreated
    },
    get refreshes() {
      return counts.refreshes
    },
    expireAccessTokens: () => {
      for (const token of access.keys()) access.set(token, 'expired')
    },
    revokeRefreshTokens: () => refresh.clear(),
    seedPost: (text, rkey = '3lbzzzzzzzz22') =>
      addPost(rkey, { $type: COLLECTION, text, createdAt: new Date(now()).toISOString() }),
  }
}
