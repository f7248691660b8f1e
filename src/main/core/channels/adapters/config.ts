import type { AdapterConfig } from '../adapter'
import { DEFAULT_TIMEOUT_MS, Redactor } from './http'

/** Options the host (not the account) chooses for an HTTP adapter. */
export interface HttpAdapterOptions {
  /** Deadline of each HTTP request; default 15 s. */
  timeoutMs?: number
  /** Wait between polls of an upload the provider is still processing (Mastodon 202); default 1 s. */
  mediaPollMs?: number
}

/**
 * A setting or secret the adapter needs is missing. Settings are validated by
 * their schema before they get here, so this means an incomplete account
 * (typically a secret not entered yet); `field` names it for the form.
 */
export class AdapterConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message)
    this.name = 'AdapterConfigError'
  }
}

/** What every HTTP adapter reads from its config the same way. */
export interface HttpAdapterBase {
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
  redactor: Redactor
}

export function httpBase(config: AdapterConfig, options: HttpAdapterOptions = {}): HttpAdapterBase {
  return {
    fetch: config.fetch ?? fetch,
    now: config.now ?? Date.now,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    redactor: new Redactor(Object.values(config.secrets)),
  }
}

/** A required text setting, trimmed. */
export function requireSetting(config: AdapterConfig, key: string): string {
  const v = config.settings[key]
  if (typeof v === 'string' && v.trim() !== '') return v.trim()
  if (typeof v === 'number') return String(v)
  throw new AdapterConfigError(`settings.${key}`, `Impostazione mancante: ${key}`)
}

/** An optional text setting with a default. */
export function optionalSetting(config: AdapterConfig, key: string, fallback: string): string {
  const v = config.settings[key]
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : fallback
}

/** An optional numeric setting with a default. */
export function numberSetting(config: AdapterConfig, key: string, fallback: number): number {
  return numberIn(config.settings, key, fallback)
}

/** A number among an account's settings (a number, or a numeric text), or `fallback`. */
export function numberIn(settings: Record<string, unknown>, key: string, fallback: number): number {
  const v = settings[key]
  if (typeof v === 'number' && Number.isFinite(v)) return v
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
  return fallback
}

/** A required secret, untrimmed (passwords may end with spaces). */
export function requireSecret(config: AdapterConfig, key: string): string {
  const v = config.secrets[key]
  if (typeof v === 'string' && v !== '') return v
  throw new AdapterConfigError(`secrets.${key}`, `Credenziale mancante: ${key}`)
}
