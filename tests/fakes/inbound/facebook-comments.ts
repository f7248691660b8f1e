import { bearer, startFakeHttp, type FakeHttpServer, type FakeReply } from '../http-fake'

/**
 * A loopback Graph API for a Page's feed with its comments expanded:
 * `GET /{version}/{page-id}/feed?fields=…comments…&since=&limit=`. The token is
 * read from `Authorization: Bearer` or `access_token`; `since` filters posts
 * (not comments) by creation time; posts are newest first with `paging.next`.
 * Errors are `{error:{message,type,code}}`; the rate limit is Graph's #32 with
 * `X-Business-Use-Case-Usage` saying when access returns.
 */

export interface FakeComment {
  message?: string
  fromName?: string
  fromId?: string
  createdAt: string
  parentId?: string
}

export interface FakeFacebookComments extends FakeHttpServer {
  token: string
  pageId: string
  /** Adds a post of the page; returns its id. */
  post(createdAt: string): string
  /** Adds a comment to a post; returns its id. */
  comment(postId: string, c: FakeComment): string
  /** Makes the token expired (code 190). */
  expireToken(): void
}

const graphError = (status: number, code: number, message: string): FakeReply => ({
  status,
  body: {
    error: {
      message,
      type: code === 190 ? 'OAuthException' : 'GraphMethodException',
      code,
      fbtrace_id: 'Afake',
    },
  },
})

export async function startFakeFacebookComments(
  options: { token?: string; pageId?: string; pageSize?: number } = {},
): Promise<FakeFacebookComments> {
  const token = options.token ?? 'EAAGfakePageTokenForInboundTests123'
  const pageId = options.pageId ?? '104000000000001'
  const pageSize = options.pageSize ?? 25
  const posts: { id: string; createdAt: string; comments: Record<string, unknown>[] }[] = []
  const state = { expired: false }
  let next = 1

  const server = await startFakeHttp(
    (req) => {
      const given = bearer(req) ?? req.query.access_token
      if (given !== token)
        return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token')
      if (state.expired)
        return graphError(400, 190, 'Error validating access token: Session has expired')
      const m = /^\/(v\d+\.\d+)\/([^/]+)\/feed$/.exec(req.path)
      if (req.method !== 'GET' || !m) return graphError(400, 100, 'Unsupported get request')
      if (m[2] !== pageId)
        return graphError(400, 100, 'Unsupported get request. Object does not exist')
      const since = req.query.since === undefined ? 0 : Number(req.query.since) * 1000
      // Graph may answer fewer posts than asked; this fake never gives more than its page size.
      const limit = Math.min(pageSize, Number(req.query.limit ?? pageSize) || pageSize)
      const after = Number(req.query.after ?? 0)
      const withComments = (req.query.fields ?? '').includes('comments')
      const visible = posts
        .filter((p) => Date.parse(p.createdAt) >= since)
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      const page = visible.slice(after, after + limit)
      const more = visible.length > after + limit
      const query = new URLSearchParams({ ...req.query, after: String(after + limit) })
      return {
        status: 200,
        body: {
          data: page.map((p) => ({
            id: p.id,
            created_time: p.createdAt.replace(/\.\d{3}Z$/, '+0000').replace(/Z$/, '+0000'),
            permalink_url: `https://www.facebook.com/${p.id}`,
            ...(withComments && p.comments.length > 0
              ? {
                  comments: {
                    data: [...p.comments].reverse(),
                    paging: { cursors: { before: 'b', after: 'a' } },
                  },
                }
              : {}),
          })),
          paging: more ? { next: `${server.url}${req.path}?${query.toString()}` } : {},
        },
      }
    },
    {
      rateLimited: (seconds) => ({
        ...graphError(400, 32, 'Page request limit reached'),
        headers: {
          'x-business-use-case-usage': JSON.stringify({
            [pageId]: [
              {
                type: 'pages',
                call_count: 100,
                total_cputime: 10,
                total_time: 10,
                estimated_time_to_regain_access: Math.ceil(seconds / 60),
              },
            ],
          }),
        },
      }),
      serverError: (status) => graphError(status, 2, 'Service temporarily unavailable'),
    },
  )

  return Object.assign(server, {
    token,
    pageId,
    post(createdAt: string): string {
      const id = `${pageId}_${next++}`
      posts.push({ id, createdAt, comments: [] })
      return id
    },
    comment(postId: string, c: FakeComment): string {
      const post = posts.find((p) => p.id === postId)
      if (!post) throw new Error(`no post ${postId}`)
      const id = `${postId.split('_')[1]}_${next++}`
      post.comments.push({
        id,
        ...(c.message !== undefined ? { message: c.message } : {}),
        from: { id: c.fromId ?? String(900 + next), name: c.fromName ?? 'Rosa Verdi' },
        created_time: c.createdAt.replace(/\.\d{3}Z$/, '+0000').replace(/Z$/, '+0000'),
        ...(c.parentId ? { parent: { id: c.parentId } } : {}),
      })
      return id
    },
    expireToken() {
      state.expired = true
    },
  })
}
