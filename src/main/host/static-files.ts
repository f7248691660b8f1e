import { createReadStream, statSync } from 'node:fs'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.txt': 'text/plain; charset=utf-8',
}

export interface StaticFile {
  path: string
  size: number
  type: string
  open(): NodeJS.ReadableStream
}

/** Resolves a URL path inside `root`, refusing anything that climbs out of it. */
export function resolveStatic(root: string, urlPath: string): StaticFile | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const rel = normalize(decoded).replace(/^([/\\])+/, '')
  const full = join(root, rel)
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined
  try {
    const st = statSync(full)
    if (!st.isFile()) return undefined
    return {
      path: full,
      size: st.size,
      type: TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream',
      open: () => createReadStream(full),
    }
  } catch {
    return undefined
  }
}
