import type { ChannelAccountsRepository } from '../channels/accounts-repository'
import type { Db } from '../db/open'
import type { CitizensService } from './citizens-service'
import { createSmppListeners } from './inbound/smpp-listener'
import {
  createInboundCursorsRepository,
  createInboundPoller,
  createInboundPollerFor,
  hasInbound,
  type InboundScheduler,
} from './inbound'

/**
 * Polls what citizens send to our enabled accounts, and follows account
 * changes (a new account starts being polled, a disabled one stops).
 */
export function createInboundRuntime(deps: {
  db: Db
  accounts: ChannelAccountsRepository
  citizens: CitizensService
  secretsFor: (accountId: number) => Record<string, string>
  /**
   * The fetch Telegram accounts poll with: the room bot's getUpdates also brings the on-call
   * buttons' presses, which this fetch hands to the on-call module before the inbox sees them.
   */
  telegramFetch?: typeof fetch
  onError?: (err: unknown, accountId?: number) => void
}) {
  const store = createInboundCursorsRepository(deps.db)
  let scheduler: InboundScheduler | undefined
  let running = false
  const smpp = createSmppListeners({
    accounts: () => deps.accounts.list(),
    secretsFor: deps.secretsFor,
    onMessages: (messages) => deps.citizens.ingest(messages),
    onError: deps.onError,
  })

  const build = () =>
    createInboundPoller({
      sources: deps.accounts
        .list()
        .filter((a) => a.enabled && hasInbound(a.kind))
        .map((a) => a.id),
      pollers: (id) => {
        const account = deps.accounts.get(id)
        return account
          ? createInboundPollerFor(account, {
              secretsFor: deps.secretsFor,
              ...(account.kind === 'telegram' && deps.telegramFetch
                ? { fetch: deps.telegramFetch }
                : {}),
            })
          : undefined
      },
      store,
      onMessages: (messages) => deps.citizens.ingest(messages),
      onError: deps.onError,
    })

  return {
    start() {
      running = true
      scheduler = build()
      scheduler.start()
      smpp.start()
    },
    async stop() {
      running = false
      await Promise.all([scheduler?.stop(), smpp.stop()])
    },
    /**
     * Reads every enabled Telegram account now (the on-call buttons' presses arrive with the
     * bot's updates; while a page waits for an answer they should not wait a whole interval).
     */
    async pollTelegramNow(): Promise<void> {
      if (!running || !scheduler) return
      const telegram = deps.accounts.list().filter((a) => a.enabled && a.kind === 'telegram')
      await Promise.all(telegram.map((a) => scheduler?.pollNow(a.id)))
    },
    /** Accounts changed: rebuild the schedule and the SMPP sessions with the current list. */
    async refresh() {
      if (!running) return
      await Promise.all([scheduler?.stop(), smpp.stop()])
      scheduler = build()
      scheduler.start()
      smpp.start()
    },
  }
}
