import type { OncallSettings } from '../../../shared/contract/oncall'
import { CHANNEL_KIND_DESCRIPTORS, type ChannelKind } from '../../../shared/channels/kinds'
import { FINAL_CALL_OUTCOMES, type AdapterConfig, type ChannelAdapter } from '../channels/adapter'
import type { CallEnd } from './escalations-repository'
import { createTelegramBot, type BotAnswer, type TelegramBot } from './telegram-bot'

/**
 * How pages leave: the room's bot (a Telegram account chosen in Reperibilità)
 * and the SMS and voice accounts chosen there, all read from the settings at
 * each page so a change applies at once. In a drill nothing reaches a real
 * phone: the bot is a twin that only records, and SMS and voice adapters come
 * from the core's factory, which in a drill builds simulated twins only.
 *
 * A page's call goes straight to the adapter, not through the outbox: the
 * voice account's night hours (outbox/night-calls.ts) hold calls to citizens,
 * never a page, which is urgent by nature.
 */

export type Unavailable = { error: string }

export interface SmsSender {
  simulated: boolean
  send(
    phone: string,
    name: string,
    text: string,
    key: string,
  ): Promise<{ ok: true } | { ok: false; reason: string }>
}

/** What became of a page's call request. */
export type CallPlaced =
  | { status: 'placed'; providerId: string | null }
  /** The request may have reached the provider: the call may be ringing; never placed again. */
  | { status: 'uncertain'; reason: string }
  | { status: 'failed'; reason: string }

export interface VoiceCaller {
  simulated: boolean
  call(phone: string, name: string, text: string, key: string): Promise<CallPlaced>
  /** How the call ended, when the provider says it has ended; undefined while not known. */
  ended(providerId: string): Promise<CallEnd | undefined>
}

export interface PagingChannels {
  bot(): { bot: TelegramBot; simulated: boolean } | Unavailable
  sms(): SmsSender | Unavailable
  /** The voice account pages ring through; `null` when none is chosen (not a failure). */
  voice(): VoiceCaller | Unavailable | null
}

export interface AccountLookup {
  get(id: number):
    | {
        id: number
        kind: ChannelKind
        name: string
        enabled: boolean
        settings: Record<string, unknown>
      }
    | undefined
  secretsFor(id: number): Record<string, string>
}

/** A bot that only records what it would have sent: drills and nothing else. */
export function createRecordingBot(): TelegramBot & {
  sent: { chatId: string; text: string; messageId: number }[]
} {
  let next = 1
  const sent: { chatId: string; text: string; messageId: number }[] = []
  const ok = <T>(result: T): BotAnswer<T> => ({ ok: true, result })
  return {
    sent,
    sendMessage(chatId, text) {
      const messageId = next++
      sent.push({ chatId, text, messageId })
      return Promise.resolve(ok({ messageId }))
    },
    answerCallbackQuery: () => Promise.resolve(ok(true as const)),
    removeKeyboard: () => Promise.resolve(ok(true as const)),
    setKeyboard: () => Promise.resolve(ok(true as const)),
    deleteMessage: () => Promise.resolve(ok(true as const)),
  }
}

export function createPagingChannels(deps: {
  mode: 'real' | 'drill'
  settings: () => OncallSettings
  accounts: AccountLookup
  /** The core's adapter factory (simulated twins only in a drill). */
  adapters: (kind: ChannelKind, config: AdapterConfig) => ChannelAdapter
  /** For the bot's requests (tests); global fetch otherwise. */
  fetch?: typeof fetch
}): PagingChannels {
  const drillBot = deps.mode === 'drill' ? createRecordingBot() : undefined
  const accountOf = (id: number | null, what: string) => {
    if (id === null) return { error: `nessun account ${what} scelto in Reperibilità` }
    const account = deps.accounts.get(id)
    if (!account) return { error: `l'account ${what} scelto in Reperibilità non esiste più` }
    if (!account.enabled) return { error: `l'account «${account.name}» è disattivato` }
    return account
  }
  const adapterOf = (account: {
    id: number
    kind: ChannelKind
    name: string
    settings: Record<string, unknown>
  }): ChannelAdapter | Unavailable => {
    try {
      return deps.adapters(account.kind, {
        accountId: account.id,
        name: account.name,
        settings: account.settings,
        secrets: deps.accounts.secretsFor(account.id),
      })
    } catch (err) {
      return {
        error: `l'account «${account.name}» non è utilizzabile: ${err instanceof Error ? err.message : String(err)}`,
      }
    }
  }
  return {
    bot() {
      const account = accountOf(deps.settings().telegramAccountId, 'Telegram')
      if ('error' in account) return account
      if (account.kind !== 'telegram')
        return { error: `l'account «${account.name}» non è un bot Telegram` }
      if (drillBot) return { bot: drillBot, simulated: true }
      const token = deps.accounts.secretsFor(account.id).botToken
      const baseUrl = account.settings.baseUrl
      if (!token) return { error: `l'account «${account.name}» non ha il token del bot` }
      return {
        bot: createTelegramBot({
          baseUrl: typeof baseUrl === 'string' && baseUrl ? baseUrl : 'https://api.telegram.org',
          token,
          ...(deps.fetch ? { fetch: deps.fetch } : {}),
        }),
        simulated: false,
      }
    },
    sms() {
      const account = accountOf(deps.settings().smsAccountId, 'SMS')
      if ('error' in account) return account
      if (CHANNEL_KIND_DESCRIPTORS[account.kind].family !== 'sms')
        return { error: `l'account «${account.name}» non invia SMS` }
      const adapter = adapterOf(account)
      if ('error' in adapter) return adapter
      return {
        simulated: adapter.simulated,
        async send(phone, name, text, key) {
          try {
            const outcome = await adapter.send({
              idempotencyKey: key,
              destination: { type: 'person', address: phone, name },
              text,
            })
            return outcome.status === 'failed'
              ? { ok: false, reason: outcome.reason }
              : { ok: true }
          } finally {
            await adapter.close?.()
          }
        },
      }
    },
    voice() {
      const id = deps.settings().voiceAccountId
      if (id === null) return null
      const account = accountOf(id, 'per le chiamate')
      if ('error' in account) return account
      if (CHANNEL_KIND_DESCRIPTORS[account.kind].family !== 'voice')
        return { error: `l'account «${account.name}» non fa chiamate` }
      const built = adapterOf(account)
      if ('error' in built) return built
      const simulated = built.simulated
      // One adapter per call, closed after it; the status is asked of a fresh one (a twin
      // comes back from the drill's registry, with its calls).
      const use = async <T>(
        adapter: ChannelAdapter | Unavailable,
        work: (a: ChannelAdapter) => Promise<T>,
        fallback: T,
      ): Promise<T> => {
        if ('error' in adapter) return fallback
        try {
          return await work(adapter)
        } finally {
          await adapter.close?.()
        }
      }
      return {
        simulated,
        call: (phone, name, text, key) =>
          use(
            built,
            async (adapter): Promise<CallPlaced> => {
              const outcome = await adapter.send({
                idempotencyKey: key,
                destination: { type: 'person', address: phone, name },
                text,
              })
              if (outcome.status !== 'failed')
                return { status: 'placed', providerId: outcome.providerId ?? null }
              return {
                status: outcome.retry === 'uncertain' ? 'uncertain' : 'failed',
                reason: outcome.reason,
              }
            },
            { status: 'failed', reason: 'account non utilizzabile' },
          ),
        ended: (providerId) =>
          use(
            adapterOf(account),
            async (adapter) => {
              const status = await adapter.fetchStatus?.(providerId)
              return status?.status === 'call' && FINAL_CALL_OUTCOMES.has(status.outcome)
                ? (status.outcome as CallEnd)
                : undefined
            },
            undefined,
          ),
      }
    },
  }
}
