import { commandNames, type VedettaBridge } from '../../src/shared/contract'
import { createDispatch } from '../../src/main/transport/dispatch'
import type { TestCore } from './test-core'

/**
 * The renderer's `window.vedetta` wired to a real core through the host's own
 * dispatcher, as the loopback host serves it: every command of the contract,
 * as `operator`, and the core's events. A test may replace a command on the
 * returned bridge before installing it.
 */
export function coreBridge(
  core: TestCore['core'],
  ctx: { operator: string },
): Record<string, unknown> {
  const dispatch = createDispatch(core.handlers)
  const bridge: Record<string, unknown> = { on: (e: never, l: never) => core.events.on(e, l) }
  for (const name of commandNames)
    bridge[name] = (input: unknown) => dispatch(name, input, { operator: ctx.operator })
  return bridge
}

/** Makes `bridge` the renderer's `window.vedetta` (the test window is the global object). */
export function installBridge(bridge: Record<string, unknown>): void {
  ;(globalThis as { vedetta?: VedettaBridge }).vedetta = bridge as VedettaBridge
}
