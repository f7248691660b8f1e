export interface ContentType {
  /** Lower-case media type without parameters, e.g. `application/atom+xml`. */
  mediaType: string | null
  /** The `charset` parameter, when present. */
  charset: string | null
}

/** Reads a Content-Type header (`text/xml; charset="ISO-8859-1"`). */
export function parseContentType(header: string | null): ContentType {
  if (!header) return { mediaType: null, charset: null }
  const [type = '', ...params] = header.split(';')
  let charset: string | null = null
  for (const param of params) {
    const [name, ...rest] = param.split('=')
    if (name?.trim().toLowerCase() === 'charset') {
      charset =
        rest
          .join('=')
          .trim()
          .replace(/^"(.*)"$/, '$1') || null
    }
  }
  return { mediaType: type.trim().toLowerCase() || null, charset }
}

/** Retry-After in milliseconds (delta-seconds or HTTP-date); undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}
