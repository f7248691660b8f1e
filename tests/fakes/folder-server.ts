import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

/**
 * A loopback publisher of a folder of files, the way the DPC's files are reachable:
 *
 *   /web/<path>                         the file, or for a folder an HTML directory index
 *                                       (as nginx's autoindex writes it)
 *   /api/repos/OWNER/REPO/git/trees/REF GitHub's git trees API: REF = a branch name gives the
 *                                       root tree, a tree sha (the folder's path, hex-encoded)
 *                                       lists that folder; blobs and trees as GitHub types them
 *   /raw/OWNER/REPO/REF/<path>          raw.githubusercontent.com: the file's bytes
 *
 * `requests` counts what was asked, so tests can prove nothing is downloaded twice.
 */
export interface FolderServer {
  url(pathname: string): string
  requests: string[]
  /** Answer every request with this status (an outage), or null to serve again. */
  failWith(status: number | null): void
  close(): Promise<void>
}

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex')
const unhex = (s: string) => Buffer.from(s, 'hex').toString('utf8')

export async function startFolderServer(root: string): Promise<FolderServer> {
  const requests: string[] = []
  let failure: number | null = null
  const inside = (rel: string) => {
    const full = path.resolve(root, `.${path.posix.normalize(`/${rel}`)}`)
    return full.startsWith(path.resolve(root)) ? full : null
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const pathname = decodeURIComponent(url.pathname)
    requests.push(pathname)
    if (failure !== null) {
      res.writeHead(failure).end()
      return
    }
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
      res.end(body)
    }
    const tree = /^\/api\/repos\/[^/]+\/[^/]+\/git\/trees\/([^/]+)$/.exec(pathname)
    if (tree) {
      const ref = tree[1] ?? ''
      const folder = /^[0-9a-f]+$/.test(ref) && ref.length % 2 === 0 ? unhex(ref) : ''
      const full = inside(folder)
      if (!full) return send(404, 'application/json', '{"message":"Not Found"}')
      const entries = readdirSync(full, { withFileTypes: true }).map((e) => ({
        path: e.name,
        mode: e.isDirectory() ? '040000' : '100644',
        type: e.isDirectory() ? 'tree' : 'blob',
        sha: e.isDirectory()
          ? hex(path.posix.join(folder, e.name))
          : createHash('sha1').update(e.name).digest('hex'),
      }))
      return send(
        200,
        'application/json',
        JSON.stringify({ sha: ref, tree: entries, truncated: false }),
      )
    }
    const raw = /^\/raw\/[^/]+\/[^/]+\/[^/]+\/(.+)$/.exec(pathname)
    const web = /^\/web\/?(.*)$/.exec(pathname)
    const rel = raw?.[1] ?? web?.[1]
    const full = rel === undefined ? null : inside(rel)
    if (!full) return send(404, 'text/plain', 'not found')
    let info
    try {
      info = statSync(full)
    } catch {
      return send(404, 'text/plain', 'not found')
    }
    if (info.isDirectory() && web) {
      const links = readdirSync(full, { withFileTypes: true })
        .map(
          (e) =>
            `<a href="${encodeURIComponent(e.name)}${e.isDirectory() ? '/' : ''}">${e.name}</a>`,
        )
        .join('\n')
      return send(
        200,
        'text/html',
        `<html><body><h1>Index</h1><a href="../">../</a>\n${links}</body></html>`,
      )
    }
    if (!info.isFile()) return send(404, 'text/plain', 'not found')
    return send(200, 'application/json', readFileSync(full))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    requests,
    failWith: (status) => (failure = status),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
