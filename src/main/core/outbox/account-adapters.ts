import type { ChannelKind } from '../../../shared/channels/kinds'
import type { AdapterConfig, ChannelAdapter } from '../channels/adapter'

/** What building an account's adapter needs from the channels area. */
export interface AccountSource {
  get(id: number):
    | {
        id: number
        kind: ChannelKind
        name: string
        enabled: boolean
        settings: Record<string, unknown>
      }
    | undefined
  /** Decrypted secrets: they go to the adapter and nowhere else. */
  secretsFor(id: number): Record<string, string>
}

/**
 * The dispatcher's `adapterFor`: reads the account, decrypts its secrets and
 * asks the registry's factory (real, or simulated-only in a drill) for an
 * adapter. Throws for an account that is gone or disabled, so its rows fail
 * with that reason instead of leaving.
 */
export function accountAdapterResolver(
  source: AccountSource,
  factory: (kind: ChannelKind, config: AdapterConfig) => ChannelAdapter,
  extra: Pick<AdapterConfig, 'fetch' | 'now'> = {},
): (accountId: number) => ChannelAdapter {
  return (accountId) => {
    const account = source.get(accountId)
    if (!account) throw new Error(`l'account ${accountId} non esiste più`)
    if (!account.enabled) throw new Error(`l'account «${account.name}» è disattivato`)
    return factory(account.kind, {
      accountId,
      name: account.name,
      settings: account.settings,
      secrets: source.secretsFor(accountId),
      ...extra,
    })
  }
}
