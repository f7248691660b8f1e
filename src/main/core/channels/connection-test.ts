import type { AdapterConfig, ChannelAdapter, ConnectionCheck } from './adapter'
import type { ChannelKind } from '../../../shared/channels/kinds'
import { withoutJson } from './adapters/http-errors'

export type AdapterBuilder = (kind: ChannelKind, config: AdapterConfig) => ChannelAdapter

const CHECK_TIMEOUT_MS = 20_000

/**
 * Asks the provider whether the account works (credentials, reachability),
 * without sending anything to anyone. Never throws: a broken configuration is
 * an answer too. A failure reads as a sentence for a person — what failed and
 * the provider's code and words — with any JSON the provider sent reduced to
 * its words.
 */
export async function testConnection(
  build: AdapterBuilder,
  kind: ChannelKind,
  config: () => AdapterConfig,
): Promise<ConnectionCheck> {
  let adapter: ChannelAdapter | undefined
  try {
    adapter = build(kind, config())
    const check = await adapter.testConnection(AbortSignal.timeout(CHECK_TIMEOUT_MS))
    return check.ok ? check : { ...check, message: withoutJson(check.message) }
  } catch (err) {
    // An adapter that cannot be built (a setting or a secret missing) says why in its own words.
    return { ok: false, message: withoutJson((err as Error).message), code: 'not_configured' }
  } finally {
    await adapter?.close?.().catch(() => {})
  }
}
