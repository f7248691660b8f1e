import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMastodonInbound } from '../../../src/main/core/citizens/inbound/mastodon'
import { createXInbound } from '../../../src/main/core/citizens/inbound/x'
import { prismVerdict, startPrism, type PrismMock, type PrismVerdict } from '../../fakes/prism'

/**
 * The requests the inbound pollers send, checked by Prism against the
 * providers' own OpenAPI documents (parameter names, enums, ranges, auth).
 * What Prism answers is its mock, not ours to parse: only its verdict on the
 * requests counts here.
 */

const specs = path.resolve(__dirname, '../../../../shared/specs/openapi')

let x: PrismMock | undefined
let mastodon: PrismMock | undefined

beforeAll(async () => {
  ;[x, mastodon] = await Promise.all([
    startPrism(path.join(specs, 'x_api_v2.json'), { dynamic: true }),
    startPrism(path.join(specs, 'mastodon.json'), { dynamic: true }),
  ])
}, 90_000)

/**
 * A fetch that keeps, per request, its path and Prism's verdict on it. Prism
 * cannot build a valid `/2/users/me` answer from the X document (its own
 * response fails the document's enums), so after judging that request the
 * poller is handed a plain answer and goes on to the mentions request.
 */
function judged(seen: { path: string; verdict: PrismVerdict }[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init)
    const path = new URL(String(input)).pathname
    seen.push({ path, verdict: await prismVerdict(res) })
    if (path === '/2/users/me') {
      return new Response(
        JSON.stringify({ data: { id: '2244994945', name: 'PC', username: 'pc' } }),
        {
          status: 200,
          headers: { 'content-type': 'application/json' },
        },
      )
    }
    return res
  }
}

afterAll(async () => {
  await Promise.all([x?.close(), mastodon?.close()])
})

describe('inbound requests against the providers’ OpenAPI documents', () => {
  it('X: /2/users/me and /2/users/:id/mentions with since_id and the expansions', async () => {
    const seen: { path: string; verdict: PrismVerdict }[] = []
    const poller = createXInbound(
      { id: 1, kind: 'x', settings: { baseUrl: x?.url } },
      {
        secretsFor: () => ({ accessToken: 'prism-user-token' }),
        fetch: judged(seen),
        timeoutMs: 10_000,
      },
    )
    await poller.poll('1890000000000000000').catch(() => undefined)
    expect(seen.map((s) => s.path)).toEqual([
      '/2/users/me',
      expect.stringMatching(/^\/2\/users\/[^/]+\/mentions$/),
    ])
    for (const s of seen) expect(s.verdict.requestViolations, s.path).toEqual([])
  })

  // Mastodon reads the type filter in Rails' array form (`types[]=mention`; a bare `types=`
  // is dropped by its parameter filter), which the document names `types`: Prism cannot
  // judge that one, the loopback fake checks it. Token, limit and min_id are judged here.
  it('Mastodon: /api/v1/notifications with the token, limit and min_id', async () => {
    const seen: { path: string; verdict: PrismVerdict }[] = []
    const poller = createMastodonInbound(
      { id: 2, kind: 'mastodon', settings: { baseUrl: mastodon?.url } },
      {
        secretsFor: () => ({ accessToken: 'prism-token' }),
        fetch: judged(seen),
        timeoutMs: 10_000,
      },
    )
    await poller.poll('109000000000000001').catch(() => undefined)
    expect(seen[0]?.path).toBe('/api/v1/notifications')
    for (const s of seen) expect(s.verdict.requestViolations, s.path).toEqual([])
  })
})
