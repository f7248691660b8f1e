import {
  assertSimulated,
  type DrillAdapterFactory,
  type SimulatedChannelAdapter,
  type SimulatedRegistry,
} from '../channels/adapters'
import { simulatedOnly } from '../channels/accounts-service'
import { CHANNEL_KIND_DESCRIPTORS } from '../../../shared/channels/kinds'
import { markDrillMessage } from './drill-marker'

/** A call is heard, not read: its marker is spoken as a word of its own. */
const spoken = (twin: SimulatedChannelAdapter) =>
  CHANNEL_KIND_DESCRIPTORS[twin.kind].family === 'voice'

/**
 * A twin whose every message is marked before it gets it. It stays a
 * simulated adapter (`simulated: true`), so the drill factory's type holds.
 */
function markedTwin(twin: SimulatedChannelAdapter, marker: () => string): SimulatedChannelAdapter {
  return {
    kind: twin.kind,
    idempotent: twin.idempotent,
    simulated: true,
    get sent() {
      return twin.sent
    },
    get attempts() {
      return twin.attempts
    },
    limits: () => twin.limits(),
    send: (message, signal) =>
      twin.send(markDrillMessage(message, marker(), { spoken: spoken(twin) }), signal),
    ...(twin.fetchStatus ? { fetchStatus: twin.fetchStatus.bind(twin) } : {}),
    // A voice twin calls again and caps calls at once like the real account.
    ...(twin.callPolicy ? { callPolicy: twin.callPolicy.bind(twin) } : {}),
    testConnection: (signal) => twin.testConnection(signal),
    setFault: (fault) => twin.setFault(fault),
    reset: () => twin.reset(),
    ...(twin.close ? { close: twin.close.bind(twin) } : {}),
  }
}

/**
 * The adapter factory of a drill: only the registry's simulated twins (checked
 * at run time too), each wrapped so that every text it is handed starts with
 * the drill marker. Nothing reaches an adapter without passing here.
 */
export function createDrillAdapterFactory(options: {
  registry: SimulatedRegistry
  /** The marker as configured now (read at each send: the wording may change mid-drill). */
  marker: () => string
}): DrillAdapterFactory {
  const build: DrillAdapterFactory = (kind, config) => {
    const twin = assertSimulated(options.registry.adapterFor(kind, config))
    return assertSimulated(markedTwin(twin, options.marker))
  }
  // Its accounts need no secret: the twins never use one.
  return simulatedOnly(build)
}
