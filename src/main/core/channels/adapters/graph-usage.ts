import { parseJson } from './http'
import { numberField } from './http-errors'

/**
 * Meta's Graph API (Facebook Pages, WhatsApp Cloud): minutes until the app
 * regains access after a rate limit, from `X-Business-Use-Case-Usage`
 * (`{"<id>":[{"estimated_time_to_regain_access": n, …}]}`).
 */
export function regainAccessMs(headers: Headers): number | undefined {
  const raw = headers.get('x-business-use-case-usage')
  const parsed = raw ? parseJson(raw) : undefined
  if (typeof parsed !== 'object' || parsed === null) return undefined
  let minutes = 0
  for (const entries of Object.values(parsed as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue
    for (const entry of entries)
      minutes = Math.max(minutes, numberField(entry, 'estimated_time_to_regain_access') ?? 0)
  }
  return minutes > 0 ? minutes * 60_000 : undefined
}
