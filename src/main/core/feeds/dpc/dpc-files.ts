import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FeedError } from '../errors'
import { fetchFeed, type FetchFeedOptions } from '../http/fetch-feed'
import { megabytes } from '../http/read-capped'

/*
 * Where a DPC source's published files are read from. The DPC publishes each bulletin as
 * files under `files/` (index `files/YYYYMMDD_HHMM.json` or `files/YYYYMMDD.json`, zones in
 * `files/geojson/…`) and nothing that names the newest one, so Vedetta lists the folder
 * itself. Three forms of source URL are accepted:
 *
 *   file:///srv/dpc-criticita/               a local folder (a copy for machines without
 *                                            internet); `files/` inside it, or the folder itself
 *   https://github.com/OWNER/REPO[/tree/REF] the DPC's public repository: the folder is listed
 *                                            with GitHub's git trees API (two requests) and the
 *                                            files are read from raw.githubusercontent.com
 *   https://mirror.example/dpc/               any web folder that lists `files/` (a server's
 *                                            directory index in HTML, or a JSON array of names
 *                                            or of {name} objects)
 */

/** Largest index and GeoJSON accepted: the national zones GeoJSON is about 5.5 MB. */
export const DPC_INDEX_MAX_BYTES = 2 * 1024 * 1024
export const DPC_GEOJSON_MAX_BYTES = 32 * 1024 * 1024

export interface DpcFiles {
  /** A readable description of where the files are read from (for messages). */
  readonly where: string
  /** Names of the files directly under `files/` (no folders). */
  list(): Promise<string[]>
  /** A file under `files/` by relative path ("geojson/20260720_1510_today.json"); null when absent. */
  read(path: string, maxBytes: number): Promise<Uint8Array | null>
}

export interface DpcFilesOptions {
  fetch?: FetchFeedOptions
  /** GitHub's API and raw-content hosts (tests point them at loopback). */
  githubApi?: string
  githubRaw?: string
}

const GITHUB_REPO =
  /^https:\/\/github\.com\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/tree\/([^/?#]+))?\/?$/

export function openDpcFiles(url: string, options: DpcFilesOptions = {}): DpcFiles {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new FeedError('bad_url', `indirizzo non valido: ${url}`)
  }
  if (parsed.protocol === 'file:') return localFiles(fileURLToPath(parsed))
  const github = GITHUB_REPO.exec(url)
  if (github) {
    const [, owner, repo, ref] = github as unknown as [string, string, string, string | undefined]
    return githubFiles(owner, repo, ref ?? 'master', options)
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return webFiles(parsed, options)
  throw new FeedError('bad_url', `protocollo non ammesso (${parsed.protocol}): http, https o file`)
}

function localFiles(root: string): DpcFiles {
  let folder: Promise<string> | undefined
  const filesFolder = (): Promise<string> =>
    (folder ??= stat(join(root, 'files')).then(
      (s) => (s.isDirectory() ? join(root, 'files') : root),
      () => root,
    ))
  return {
    where: root,
    async list() {
      try {
        const entries = await readdir(await filesFolder(), { withFileTypes: true })
        return entries.filter((e) => e.isFile()).map((e) => e.name)
      } catch (err) {
        throw new FeedError(
          'network',
          `cartella non leggibile: ${root} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        )
      }
    },
    async read(path, maxBytes) {
      const file = join(await filesFolder(), ...path.split('/'))
      try {
        const info = await stat(file)
        if (info.size > maxBytes) {
          throw new FeedError(
            'too_large',
            `file troppo grande: ${path}, ${megabytes(info.size)}, limite ${megabytes(maxBytes)}`,
          )
        }
        return new Uint8Array(await readFile(file))
      } catch (err) {
        if (err instanceof FeedError) throw err
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw new FeedError(
          'network',
          `file non leggibile: ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        )
      }
    },
  }
}

/** A GET through the feed fetcher (timeouts, caps, redirects); a 404 is "absent", not an error. */
async function get(url: string, maxBytes: number, options: DpcFilesOptions, accept?: string) {
  try {
    const res = await fetchFeed(url, {
      ...options.fetch,
      etag: null,
      lastModified: null,
      maxBytes,
      ...(accept ? { accept } : {}),
    })
    return res.status === 'ok' ? res : null
  } catch (err) {
    if (err instanceof FeedError && err.extra.status === 404) return null
    throw err
  }
}

function webFiles(root: URL, options: DpcFilesOptions): DpcFiles {
  const base = new URL(root.href.endsWith('/') ? root.href : `${root.href}/`)
  const files = base.pathname.endsWith('/files/') ? base : new URL('files/', base)
  return {
    where: files.href,
    async list() {
      const res = await get(files.href, DPC_INDEX_MAX_BYTES, options, 'text/html, application/json')
      if (!res) {
        throw new FeedError('http', `la cartella ${files.href} non esiste (HTTP 404)`, {
          status: 404,
        })
      }
      return namesFromListing(Buffer.from(res.body).toString('utf8'), res.mediaType)
    },
    async read(path, maxBytes) {
      return (await get(new URL(path, files).href, maxBytes, options))?.body ?? null
    },
  }
}

/** File names in a folder listing: JSON (names or {name} objects) or an HTML index's links. */
export function namesFromListing(text: string, mediaType: string | null): string[] {
  const trimmed = text.trimStart()
  if (mediaType === 'application/json' || trimmed.startsWith('[')) {
    let json: unknown
    try {
      json = JSON.parse(trimmed)
    } catch {
      throw new FeedError('invalid_json', 'l’elenco dei file della cartella non è JSON valido')
    }
    if (!Array.isArray(json)) {
      throw new FeedError('not_a_feed', 'l’elenco dei file della cartella non è un array')
    }
    return json.flatMap((e) =>
      typeof e === 'string'
        ? [e]
        : typeof e === 'object' && e && typeof (e as { name?: unknown }).name === 'string'
          ? [(e as { name: string }).name]
          : [],
    )
  }
  const names = new Set<string>()
  for (const m of text.matchAll(/href\s*=\s*["']([^"'?#]+)["']/gi)) {
    const href = decodeURIComponent(m[1] ?? '')
    const name = href.split('/').filter(Boolean).at(-1)
    if (name && !href.endsWith('/')) names.add(name)
  }
  return [...names]
}

interface GitTree {
  tree?: { path?: unknown; type?: unknown; sha?: unknown }[]
  truncated?: unknown
}

function githubFiles(owner: string, repo: string, ref: string, options: DpcFilesOptions): DpcFiles {
  const api = (options.githubApi ?? 'https://api.github.com').replace(/\/$/, '')
  const raw = (options.githubRaw ?? 'https://raw.githubusercontent.com').replace(/\/$/, '')
  const tree = async (sha: string): Promise<GitTree> => {
    const url = `${api}/repos/${owner}/${repo}/git/trees/${encodeURIComponent(sha)}`
    const res = await get(url, 16 * 1024 * 1024, options, 'application/vnd.github+json')
    if (!res) {
      throw new FeedError(
        'http',
        `repository o ramo non trovato su GitHub: ${owner}/${repo}@${ref}`,
        {
          status: 404,
        },
      )
    }
    try {
      return JSON.parse(Buffer.from(res.body).toString('utf8')) as GitTree
    } catch {
      throw new FeedError('invalid_json', 'GitHub ha risposto con un elenco non valido')
    }
  }
  return {
    where: `github.com/${owner}/${repo}@${ref}`,
    async list() {
      const top = await tree(ref)
      const folder = top.tree?.find((e) => e.path === 'files' && e.type === 'tree')
      if (!folder || typeof folder.sha !== 'string') {
        throw new FeedError(
          'not_a_feed',
          `il repository ${owner}/${repo} non ha la cartella files/`,
        )
      }
      const listing = await tree(folder.sha)
      return (listing.tree ?? []).flatMap((e) =>
        e.type === 'blob' && typeof e.path === 'string' ? [e.path] : [],
      )
    },
    async read(path, maxBytes) {
      return (
        (await get(`${raw}/${owner}/${repo}/${ref}/files/${path}`, maxBytes, options))?.body ?? null
      )
    },
  }
}
