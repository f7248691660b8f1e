import { createHash } from 'node:crypto'
import type { ChannelAccountRow } from './accounts-repository'
import { youtubeClientFor } from './adapters/youtube'
import { createYoutubeLinks, type YoutubeLinks } from './adapters/youtube-links'

/**
 * The value of `{{youtube}}` when a draft takes a template: the live stream
 * (or latest video) of the first active YouTube account, by name. No account,
 * a channel with no video, or a provider that does not answer: no link (the
 * variable may be empty, the text goes without it) and the reason in the log,
 * never a blocked draft. Drills never ask: they reach no real provider.
 */

export interface YoutubeAlertLinkDeps {
  accounts: { list(): ChannelAccountRow[] }
  secretsFor(id: number): Record<string, string>
  mode: 'real' | 'drill'
  fetch?: typeof fetch
  now?: () => number
  timeoutMs?: number
  /** Told why no link could be had (never a secret: the client redacts them). */
  onProblem?(reason: string, accountId: number): void
}

export function createYoutubeAlertLink(
  deps: YoutubeAlertLinkDeps,
): () => Promise<string | undefined> {
  // One look-up per account and credentials, so its cache and its token are kept.
  let built: { key: string; links: YoutubeLinks } | undefined
  const now = deps.now ?? Date.now

  return async () => {
    if (deps.mode !== 'real') return undefined
    const account = deps.accounts.list().find((a) => a.kind === 'youtube' && a.enabled)
    if (!account) return undefined
    const channelId = account.settings['channelId']
    if (typeof channelId !== 'string' || channelId === '') return undefined
    const secrets = deps.secretsFor(account.id)
    const key = createHash('sha256')
      .update(JSON.stringify([account.id, account.updatedAt, secrets]))
      .digest('hex')
    if (built?.key !== key) {
      const client = youtubeClientFor(
        {
          accountId: account.id,
          name: account.name,
          settings: account.settings,
          secrets,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
          now,
        },
        deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs },
      )
      built = { key, links: createYoutubeLinks({ client, channelId, now }) }
    }
    const result = await built.links.current()
    if (!result.ok) {
      deps.onProblem?.(result.reason, account.id)
      return undefined
    }
    if (result.warning) deps.onProblem?.(`${result.warning}; uso l’ultimo video`, account.id)
    return result.link?.url
  }
}
