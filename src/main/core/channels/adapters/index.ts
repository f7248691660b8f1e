import type { AdapterConfig, ChannelAdapter } from '../adapter'
import { CHANNEL_KIND_DESCRIPTORS, type ChannelKind } from '../../../../shared/channels/kinds'
import { callPolicyOf } from './call-policy'
import { createBlueskyAdapter } from './bluesky'
import type { HttpAdapterOptions } from './config'
import { createFacebookAdapter } from './facebook'
import { createMastodonAdapter } from './mastodon'
import {
  createSimulatedAdapter,
  type SimulatedChannelAdapter,
  type SimulatedFault,
  type SimulatedOptions,
  type SimulatedSend,
} from './simulated'
import { createSmppAdapter } from './smpp'
import { createSmsGatewayAdapter } from './sms-gateway'
import { createSmtpAdapter } from './smtp'
import { createTelegramAdapter } from './telegram'
import { createTwilioAdapter } from './twilio'
import { createTwilioVoiceAdapter } from './voice-twilio'
import { createVonageVoiceAdapter } from './voice-vonage'
import { createCloudWhatsappAdapter } from './whatsapp-cloud'
import { createTwilioWhatsappAdapter } from './whatsapp-twilio'
import { createWebsiteAdapter } from './website'
import { createXAdapter } from './x'
import { createYoutubeAdapter } from './youtube'

/**
 * The adapter registry: which code speaks for which channel kind, and the one
 * rule that matters most — in drill mode only simulated twins can be built,
 * so a drill cannot reach a real citizen.
 */

export { AdapterConfigError, type HttpAdapterOptions } from './config'
export type {
  SimulatedChannelAdapter,
  SimulatedFault,
  SimulatedOptions,
  SimulatedSend,
} from './simulated'
export { createSimulatedAdapter } from './simulated'

/** Builds the real adapter of a kind; HTTP adapters take a request deadline. */
export function createAdapter(
  kind: ChannelKind,
  config: AdapterConfig,
  options: HttpAdapterOptions = {},
): ChannelAdapter {
  switch (kind) {
    case 'sms_twilio':
      return createTwilioAdapter(config, options)
    case 'sms_gateway':
      return createSmsGatewayAdapter(config, options)
    case 'sms_smpp':
      return createSmppAdapter(config)
    case 'email_smtp':
      return createSmtpAdapter(config)
    case 'telegram':
      return createTelegramAdapter(config, options)
    case 'facebook_page':
      return createFacebookAdapter(config, options)
    case 'x':
      return createXAdapter(config, options)
    case 'mastodon':
      return createMastodonAdapter(config, options)
    case 'bluesky':
      return createBlueskyAdapter(config, options)
    case 'website':
      return createWebsiteAdapter(config)
    case 'voice_twilio':
      return createTwilioVoiceAdapter(config, options)
    case 'voice_vonage':
      return createVonageVoiceAdapter(config, options)
    case 'whatsapp_twilio':
      return createTwilioWhatsappAdapter(config, options)
    case 'whatsapp_cloud':
      return createCloudWhatsappAdapter(config, options)
    case 'youtube':
      return createYoutubeAdapter(config, options)
  }
}

/** What a drill targets when it declares an outage. */
export type FaultTarget = { kind: ChannelKind } | { accountId: number }

/**
 * The simulated twins of one drill: one per account, kept so that their
 * records and fault windows persist for the whole drill.
 */
export interface SimulatedRegistry {
  /** The twin of this account, built on first use. */
  adapterFor(kind: ChannelKind, config: AdapterConfig): SimulatedChannelAdapter
  get(accountId: number): SimulatedChannelAdapter | undefined
  list(): SimulatedChannelAdapter[]
  /** Declares (or with `null` ends) an outage of one account or of every account of a kind. */
  setFault(target: FaultTarget, fault: SimulatedFault | null): void
  /** Refines the twins of a kind built from now on (a drill's scenario says how people answer calls). */
  configureKind(kind: ChannelKind, options: SimulatedOptions): void
  /** Every message accepted by every twin, oldest first. */
  sent(): SimulatedSend[]
  clear(): void
}

/**
 * Builds a registry of simulated twins. `defaults` apply to every twin,
 * `perKind` refine them (e.g. a slower SMS gateway with 2 % failures).
 */
export function createSimulatedRegistry(
  defaults: SimulatedOptions = {},
  perKind: Partial<Record<ChannelKind, SimulatedOptions>> = {},
): SimulatedRegistry {
  const twins = new Map<number, SimulatedChannelAdapter>()
  const kindFaults = new Map<ChannelKind, SimulatedFault>()
  const configured = new Map<ChannelKind, SimulatedOptions>()

  return {
    adapterFor(kind, config) {
      const existing = twins.get(config.accountId)
      if (existing && existing.kind === kind) return existing
      const options = { ...defaults, ...perKind[kind], ...configured.get(kind) }
      const twin = createSimulatedAdapter(kind, {
        ...options,
        // A voice twin calls again and caps calls at once as the real account would.
        ...(CHANNEL_KIND_DESCRIPTORS[kind].family === 'voice' && !options.callPolicy
          ? { callPolicy: callPolicyOf(config) }
          : {}),
        accountId: config.accountId,
        // Each account gets its own stream of draws, still reproducible.
        seed: (options.seed ?? 1) + config.accountId,
        ...(options.now ? {} : config.now ? { now: config.now } : {}),
      })
      const fault = kindFaults.get(kind)
      if (fault) twin.setFault(fault)
      twins.set(config.accountId, twin)
      return twin
    },
    get: (accountId) => twins.get(accountId),
    list: () => [...twins.values()],
    setFault(target, fault) {
      if ('accountId' in target) {
        twins.get(target.accountId)?.setFault(fault)
        return
      }
      if (fault) kindFaults.set(target.kind, fault)
      else kindFaults.delete(target.kind)
      for (const twin of twins.values()) if (twin.kind === target.kind) twin.setFault(fault)
    },
    configureKind(kind, options) {
      configured.set(kind, { ...configured.get(kind), ...options })
    },
    sent: () => [...twins.values()].flatMap((t) => t.sent).sort((a, b) => a.at - b.at),
    clear() {
      twins.clear()
      kindFaults.clear()
    },
  }
}

export type AdapterMode = 'real' | 'drill'

/** Builds adapters for real operations. */
export type RealAdapterFactory = (kind: ChannelKind, config: AdapterConfig) => ChannelAdapter
/** Builds adapters for a drill: the type admits only simulated twins. */
export type DrillAdapterFactory = (
  kind: ChannelKind,
  config: AdapterConfig,
) => SimulatedChannelAdapter

export interface AdapterFactoryOptions {
  /** Request deadlines of real HTTP adapters. */
  http?: HttpAdapterOptions
  /** The drill's twins; a fresh registry when omitted. */
  registry?: SimulatedRegistry
}

/** Refuses anything but a simulated twin: the runtime half of the drill guarantee. */
export function assertSimulated(adapter: ChannelAdapter): SimulatedChannelAdapter {
  if (adapter.simulated !== true) {
    throw new Error(
      `Esercitazione: il canale ${adapter.kind} non è simulato e non può essere usato`,
    )
  }
  return adapter as SimulatedChannelAdapter
}

/**
 * The factory the outbox uses. In `drill` mode it can only return simulated
 * twins, by construction (it never calls a real factory), by type
 * (`SimulatedChannelAdapter` has `simulated: true`) and by a runtime check.
 */
export function createAdapterFactory(
  mode: 'drill',
  options?: AdapterFactoryOptions,
): DrillAdapterFactory
export function createAdapterFactory(
  mode: 'real',
  options?: AdapterFactoryOptions,
): RealAdapterFactory
export function createAdapterFactory(
  mode: AdapterMode,
  options?: AdapterFactoryOptions,
): RealAdapterFactory
export function createAdapterFactory(
  mode: AdapterMode,
  options: AdapterFactoryOptions = {},
): RealAdapterFactory | DrillAdapterFactory {
  if (mode === 'drill') {
    const registry = options.registry ?? createSimulatedRegistry()
    return (kind, config) => assertSimulated(registry.adapterFor(kind, config))
  }
  return (kind, config) => createAdapter(kind, config, options.http ?? {})
}
