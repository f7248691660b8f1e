import type { Partner } from '../../../shared/contacts'
import type { Alert } from '../../../shared/alerts/types'
import { fetchFeed, parseNewsFeed } from '../feeds'
import type { RelayRequest } from './alerts-repository'

export interface RelayWatchDeps {
  /** Recent alerts (newest first). */
  alerts: () => Alert[]
  relays: (alertId: number) => RelayRequest[]
  partner: (id: number) => Partner | undefined
  markSeen: (alertId: number, partnerId: number, note: string) => void
  fetch?: typeof fetch
  now?: () => number
  onError?: (err: unknown, url: string) => void
}

/** Relays looked for: requested or confirmed in the last two days. */
const WINDOW_MS = 48 * 3_600_000

const words = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 2)

/**
 * A partner's post relays the alert when it carries the alert's headline, or
 * most of its distinctive words (schools rewrite a little, they do not invent).
 */
export function relaysAlert(text: string, alert: Pick<Alert, 'headline'>): boolean {
  const have = new Set(words(text))
  const want = [...new Set(words(alert.headline))]
  if (want.length === 0) return false
  const found = want.filter((w) => have.has(w)).length
  return found / want.length >= 0.8
}

/**
 * Looks for our alerts on the partners' own pages where it can without
 * credentials: their websites' RSS/Atom feeds. A match marks the relay
 * "seen", signed by Vedetta, with the address where it was found.
 */
export function createRelayWatch(deps: RelayWatchDeps) {
  const now = deps.now ?? Date.now
  const validators = new Map<string, { etag: string | null; lastModified: string | null }>()

  async function check(): Promise<number> {
    let seen = 0
    const since = now() - WINDOW_MS
    const open = deps
      .alerts()
      .filter(
        (a) =>
          a.confirmedAt &&
          Date.parse(a.confirmedAt) >= since &&
          (a.status === 'sending' || a.status === 'done'),
      )
    const feeds = new Map<string, string[]>() // url → texts of its entries
    for (const alert of open) {
      for (const relay of deps.relays(alert.id)) {
        if (relay.status === 'seen') continue
        const partner = deps.partner(relay.partnerId)
        for (const page of partner?.pages.filter((p) => p.kind === 'website') ?? []) {
          const entries = feeds.get(page.url) ?? (await read(page.url))
          feeds.set(page.url, entries)
          if (entries.some((text) => relaysAlert(text, alert))) {
            deps.markSeen(alert.id, relay.partnerId, `visto sul sito ${page.url}`)
            seen++
            break
          }
        }
      }
    }
    return seen
  }

  async function read(url: string): Promise<string[]> {
    try {
      const previous = validators.get(url)
      const r = await fetchFeed(url, {
        ...previous,
        timeoutMs: 20_000,
        maxBytes: 2 * 1024 * 1024,
        fetch: deps.fetch,
      })
      if (r.status === 'not_modified') return []
      validators.set(url, { etag: r.etag, lastModified: r.lastModified })
      return parseNewsFeed(r.body, { charset: r.charset, baseUrl: r.url }).map((b) =>
        [b.headline, b.description].filter(Boolean).join(' '),
      )
    } catch (err) {
      deps.onError?.(err, url)
      return []
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined
  let running = false
  return {
    check,
    start(intervalMs = 120_000) {
      running = true
      const loop = () => {
        if (!running) return
        void check().finally(() => {
          if (running) timer = setTimeout(loop, intervalMs)
        })
      }
      timer = setTimeout(loop, 5_000)
    },
    stop() {
      running = false
      clearTimeout(timer)
    },
  }
}
