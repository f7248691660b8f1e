import type { ChannelAccountRow } from '../../channels/accounts-repository'
import type { ChannelAdapter } from '../../channels/adapter'
import { createSmppAdapter, type SmppTuning } from '../../channels/adapters/smpp'
import type { IncomingCitizenMessage } from '../types'
import { createSmppInboundAssembler, type DeliverSmFields } from './smpp'

/**
 * SMPP delivers citizens' SMS over a bound session instead of a poll: one
 * listening session per enabled SMPP account (kept alive and reconnected by
 * the link), each incoming deliver_sm joined into whole messages and handed
 * to the inbox.
 */
export function createSmppListeners(deps: {
  accounts: () => ChannelAccountRow[]
  secretsFor: (accountId: number) => Record<string, string>
  onMessages: (messages: IncomingCitizenMessage[]) => void
  onError?: (err: unknown, accountId: number) => void
  tuning?: Partial<SmppTuning>
}) {
  const open = new Map<number, ChannelAdapter>()

  function listen(account: ChannelAccountRow) {
    const assembler = createSmppInboundAssembler({ accountId: account.id })
    const adapter = createSmppAdapter(
      {
        accountId: account.id,
        name: account.name,
        settings: account.settings,
        secrets: deps.secretsFor(account.id),
      },
      deps.tuning,
      {
        onInboundPdu: (pdu) => {
          const message = assembler.accept(pdu as unknown as DeliverSmFields)
          if (message) deps.onMessages([message])
        },
      },
    )
    open.set(account.id, adapter)
    // The check binds the session; from then on the link keeps it (enquire_link, reconnects).
    void adapter.testConnection().then(
      (r) => (r.ok ? undefined : deps.onError?.(new Error(r.message), account.id)),
      (err: unknown) => deps.onError?.(err, account.id),
    )
  }

  return {
    start() {
      for (const a of deps.accounts())
        if (a.enabled && a.kind === 'sms_smpp' && !open.has(a.id)) {
          try {
            listen(a)
          } catch (err) {
            deps.onError?.(err, a.id)
          }
        }
    },
    async stop() {
      const adapters = [...open.values()]
      open.clear()
      await Promise.all(adapters.map((a) => a.close?.().catch(() => {})))
    },
  }
}
