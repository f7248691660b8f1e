import type { AdapterConfig, ChannelAdapter, ConnectionCheck } from './adapter'
import type { ChannelKind } from '../../../shared/channels/kinds'

export type AdapterBuilder = (kind: ChannelKind, config: AdapterConfig) => ChannelAdapter

const CHECK_TIMEOUT_MS = 20_000

/**
 * Asks the provider whether the account works (credentials, reachability),
 * without sending anything to anyone. Never throws: a broken configuration is
 * an answer too.
 */
export async function testConnection(
  build: AdapterBuilder,
  kind: ChannelKind,
  config: () => AdapterConfig,
): Promise<ConnectionCheck> {
  let adapter: ChannelAdapter | undefined
  try {
    adapter = build(kind, config())
    return await adapter.testConnection(AbortSignal.timeout(CHECK_TIMEOUT_MS))
  } catch (err) {
    return { ok: false, message: (err as Error).message }
  } finally {
    await adapter?.close?.().catch(() => {})
  }
}
