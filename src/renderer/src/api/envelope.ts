import {
  ApiError,
  commandNames,
  type CommandName,
  type Envelope,
  type VedettaApi,
  type VedettaBridge,
} from '@shared/contract'

/** Turns a transport's envelopes into plain values, or typed `ApiError`s. */
export function apiFromBridge(bridge: VedettaBridge): VedettaApi {
  const api: Record<string, unknown> = { on: bridge.on.bind(bridge) }
  for (const name of commandNames) {
    const call = bridge[name] as (input: unknown) => Promise<Envelope>
    api[name] = async (input: unknown) => {
      const envelope = await call(input)
      if (!envelope.ok) throw new ApiError(envelope.error)
      return envelope.value
    }
  }
  return api as VedettaApi
}

export type { CommandName }
