import type {
  CallPolicy,
  ChannelAdapter,
  ChannelLimits,
  ConnectionCheck,
  DeliveryStatus,
  OutgoingMessage,
  SendOutcome,
} from '../adapter'
import type { ChannelKind } from '../../../../shared/channels/kinds'
import { DEFAULT_LIMITS, KIND_IDEMPOTENT } from './limits'
import { splitTelegramText } from './telegram-split'
import { estimateSpokenSeconds } from '../../../../shared/text/spoken-it'
import { CHANNEL_KIND_DESCRIPTORS } from '../../../../shared/channels/kinds'
import { checkPassed } from './check-results'

/**
 * The simulated twin of every channel, used in drills and tests. It never
 * touches the network: it waits a little, succeeds or fails as configured
 * (deterministically, from a seed), records what it "sent", and answers
 * receipts after a delay. Drills can declare a fault window ("the SMS gateway
 * is down for ten minutes").
 */

/** A controllable outage: until `until` (epoch ms) every send fails this way. */
export interface SimulatedFault {
  until: number
  kind: 'down' | 'rate_limited' | 'reject'
}

export interface SimulatedOptions {
  /** Seed of the pseudo-random draws (latency jitter, failures); same seed, same story. */
  seed?: number
  /** Fixed latency, or a range drawn per send. Default 0. */
  latencyMs?: number | { min: number; max: number }
  /** Probability (0–1) of a transient and of a permanent failure per send. */
  failureRate?: { transient?: number; permanent?: number }
  /** Time after a send when the receipt turns from pending to delivered. Default 0. */
  receiptDelayMs?: number
  /** Clock, for receipts and fault windows. */
  now?: () => number
  /** Whether a resend with the same key is absorbed; defaults to what the real provider does. */
  idempotent?: boolean
  /** Overrides of the kind's limits (drills may pace faster than the real provider). */
  limits?: Partial<ChannelLimits>
  /** Account this twin stands for, recorded with each send. */
  accountId?: number
  /**
   * Voice twins: how the people called answer, as shares of the calls (the
   * rest answer and hear it whole); a call rings for `receiptDelayMs` first.
   */
  calls?: SimulatedCallShares
  /** Voice twins: the account's call policy (attempts, interval, calls at once). */
  callPolicy?: CallPolicy
}

/** Shares (0–1) of the calls a voice twin's people miss, refuse, or leave to a machine. */
export interface SimulatedCallShares {
  noAnswer?: number
  busy?: number
  voicemail?: number
}

/** One message the twin accepted. */
export interface SimulatedSend {
  providerId: string
  partIds?: string[]
  /** Epoch ms when it was accepted. */
  at: number
  accountId?: number
  message: OutgoingMessage
  /** Voice twins: how this call ends, and how long it is connected. */
  call?: { outcome: 'answered' | 'voicemail' | 'busy' | 'no_answer'; seconds: number }
}

/** A channel adapter that can only be a simulation: `simulated` is `true` in its type. */
export interface SimulatedChannelAdapter extends ChannelAdapter {
  readonly simulated: true
  /** Everything accepted so far, in order. */
  readonly sent: readonly SimulatedSend[]
  /** Number of `send` calls, successful or not. */
  readonly attempts: number
  setFault(fault: SimulatedFault | null): void
  /** Forgets sends and attempts (between test cases). */
  reset(): void
}

/** Small, fast, seedable PRNG (mulberry32): plenty for drills, never for secrets. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal?.aborted)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve(true)
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      resolve(false)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

const failed = (
  retry: 'transient' | 'permanent' | 'uncertain',
  code: string,
  reason: string,
  retryAfterMs?: number,
): SendOutcome => ({
  status: 'failed',
  retry,
  code,
  reason: `Simulazione: ${reason}`,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
})

/** Builds the simulated twin of a channel kind. */
export function createSimulatedAdapter(
  kind: ChannelKind,
  options: SimulatedOptions = {},
): SimulatedChannelAdapter {
  const now = options.now ?? Date.now
  const receiptDelayMs = options.receiptDelayMs ?? 0
  const transientRate = options.failureRate?.transient ?? 0
  const permanentRate = options.failureRate?.permanent ?? 0
  const limits: ChannelLimits = { ...DEFAULT_LIMITS[kind], ...options.limits }
  let random = seededRandom(options.seed ?? 1)
  let sent: SimulatedSend[] = []
  const byKey = new Map<string, SimulatedSend>()
  const byId = new Map<string, SimulatedSend>()
  let attempts = 0
  let fault: SimulatedFault | null = null
  let counter = 0
  const voice = CHANNEL_KIND_DESCRIPTORS[kind].family === 'voice'

  /** Who picks up, from a draw made for every voice send (so faults do not shift the story). */
  function callEnd(draw: number, text: string): NonNullable<SimulatedSend['call']> {
    const shares = options.calls ?? {}
    const noAnswer = shares.noAnswer ?? 0
    const busy = noAnswer + (shares.busy ?? 0)
    const machine = busy + (shares.voicemail ?? 0)
    const outcome =
      draw < noAnswer
        ? 'no_answer'
        : draw < busy
          ? 'busy'
          : draw < machine
            ? 'voicemail'
            : 'answered'
    const heard = outcome === 'answered' || outcome === 'voicemail'
    return { outcome, seconds: heard ? estimateSpokenSeconds(text) : 0 }
  }

  function latency(): number {
    const l = options.latencyMs ?? 0
    if (typeof l === 'number') return l
    return Math.round(l.min + random() * Math.max(0, l.max - l.min))
  }

  function activeFault(): SimulatedFault | null {
    return fault && now() < fault.until ? fault : null
  }

  function faultOutcome(f: SimulatedFault): SendOutcome {
    switch (f.kind) {
      case 'down':
        return failed('transient', 'provider_unavailable', 'servizio non raggiungibile')
      case 'rate_limited':
        return failed('transient', 'rate_limited', 'troppe richieste', Math.max(0, f.until - now()))
      case 'reject':
        return failed('permanent', 'rejected', 'il provider rifiuta i messaggi')
    }
  }

  const adapter: SimulatedChannelAdapter = {
    kind,
    idempotent: options.idempotent ?? KIND_IDEMPOTENT[kind],
    simulated: true,
    get sent() {
      return sent
    },
    get attempts() {
      return attempts
    },
    limits: () => ({ ...limits }),
    ...(voice && options.callPolicy
      ? { callPolicy: () => ({ ...(options.callPolicy as CallPolicy) }) }
      : {}),

    async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendOutcome> {
      attempts++
      // Draw first, so the sequence of draws does not depend on faults or timing.
      const delay = latency()
      const draw = random()
      const pickUp = voice ? random() : 0
      if (!(await sleep(delay, signal))) return failed('transient', 'aborted', 'invio interrotto')
      const f = activeFault()
      if (f) return faultOutcome(f)
      const previous = adapter.idempotent ? byKey.get(message.idempotencyKey) : undefined
      if (previous) {
        return {
          status: 'sent',
          providerId: previous.providerId,
          ...(previous.partIds ? { partIds: previous.partIds } : {}),
        }
      }
      if (draw < permanentRate)
        return failed('permanent', 'rejected', 'il destinatario ha rifiutato il messaggio')
      if (draw < permanentRate + transientRate)
        return failed('transient', 'provider_unavailable', 'errore temporaneo del provider')
      counter++
      const providerId = `sim-${kind}-${options.accountId ?? 0}-${counter}`
      const parts = kind === 'telegram' ? splitTelegramText(message.text) : [message.text]
      const partIds = parts.slice(1).map((_, i) => `${providerId}.${i + 2}`)
      const record: SimulatedSend = {
        providerId,
        at: now(),
        message,
        ...(partIds.length > 0 ? { partIds } : {}),
        ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
        ...(voice ? { call: callEnd(pickUp, message.text) } : {}),
      }
      sent.push(record)
      byKey.set(message.idempotencyKey, record)
      byId.set(providerId, record)
      return { status: 'sent', providerId, ...(partIds.length > 0 ? { partIds } : {}) }
    },

    async fetchStatus(providerId: string): Promise<DeliveryStatus> {
      const record = byId.get(providerId)
      if (!record) return { status: 'unknown' }
      const due = record.at + receiptDelayMs
      if (record.call) {
        if (now() < due) return { status: 'call', outcome: 'ringing' }
        const { outcome, seconds } = record.call
        const end = due + seconds * 1000
        if (now() < end) return { status: 'call', outcome: 'in_progress' }
        return {
          status: 'call',
          outcome,
          durationSeconds: seconds,
          at: new Date(end).toISOString(),
          detail: 'Simulazione',
        }
      }
      if (now() < due) return { status: 'pending' }
      return { status: 'delivered', at: new Date(due).toISOString() }
    },

    async testConnection(): Promise<ConnectionCheck> {
      const f = activeFault()
      if (f?.kind === 'down')
        return {
          ok: false,
          message: 'Simulazione: servizio non raggiungibile',
          code: 'simulated_down',
          params: {},
        }
      return checkPassed(
        'simulated',
        {},
        'Canale simulato: nessun messaggio raggiunge persone reali',
      )
    },

    setFault(next: SimulatedFault | null): void {
      fault = next
    },

    reset(): void {
      sent = []
      byKey.clear()
      byId.clear()
      attempts = 0
      counter = 0
      random = seededRandom(options.seed ?? 1)
    },
  }
  return adapter
}
