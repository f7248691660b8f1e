import { CHANNEL_KIND_DESCRIPTORS } from '../../../shared/channels/kinds'
import { toFieldIssues } from '../../../shared/validation/issues'
import { safeEmit } from '../alerts/events'
import type { RelaySource } from '../alerts/relays'
import {
  createChannelAccountsRepository,
  type ChannelAccountRow,
} from '../channels/accounts-repository'
import type { EnqueueReply, ReplyRequest } from '../citizens/citizens-service'
import type { Db } from '../db/open'
import { CoreError, invalid } from '../errors'
import { changeOf, createOutboxRepository } from './outbox-repository'
import { replyRequestSchema } from './reply-request'
import type { RowChange } from './types'

export interface DirectMessagesDeps {
  /** Partners with their pages and admins (the partners repository's `get`). */
  partners: { get: RelaySource['partner'] }
  /** An admin as a contact today (the contacts repository's `get`): phone types and opt-outs. */
  contacts: { get: RelaySource['contact'] }
  /** The authority's name as the workspace settings hold it now (`settings.get().ente`). */
  ente(): string
  /** Rows just queued, as the dispatcher reports its own changes (`outbox:rows`). */
  onRowsChanged?(changes: RowChange[]): void
  /** Called when a reply is queued, so a running dispatcher looks at once (`dispatcher.wake`). */
  onQueued?(): void
  /** Epoch ms. */
  now?: () => number
}

export interface DirectMessages {
  /**
   * Puts an answer to a citizen in the outbox: one row, queued and due now,
   * with its own text and the provider id it answers. The same idempotency key
   * again returns the row already there: never a second message.
   * @throws CoreError `invalid_input` for a malformed request or an account of
   * another channel family; `conflict` when the account is gone or disabled,
   * or the key belongs to another message.
   */
  enqueueReply(request: ReplyRequest): { outboxId: number }
  /** What the alerts service needs to plan relay requests (`createAlertsService({ relays })`). */
  relays: RelaySource
}

const conflict = (message: string) => new CoreError('conflict', message)

function checkAccount(account: ChannelAccountRow | undefined, request: ReplyRequest): void {
  if (!account) throw conflict(`channel account ${request.accountId} no longer exists`)
  if (!account.enabled) throw conflict(`channel account «${account.name}» is disabled`)
  const { family } = CHANNEL_KIND_DESCRIPTORS[account.kind]
  if (family !== request.family) {
    throw invalid(
      [{ path: 'accountId', code: 'choice' }],
      `channel account «${account.name}» is ${family}, not ${request.family}`,
    )
  }
}

/**
 * Messages that go through the outbox without being an alert's broadcast:
 * answers to citizens, and (planned with an alert, written at its
 * confirmation) relay requests to partner schools. They share the outbox's
 * keys, leases, retries, rate limits, receipts and events.
 */
export function createDirectMessages(db: Db, deps: DirectMessagesDeps): DirectMessages {
  const outbox = createOutboxRepository(db)
  const accounts = createChannelAccountsRepository(db)
  const now = deps.now ?? Date.now

  const enqueueReply = (request: ReplyRequest): { outboxId: number } => {
    const parsed = replyRequestSchema.safeParse(request)
    if (!parsed.success) throw invalid(toFieldIssues(parsed.error))
    const r = parsed.data
    const at = now()
    const { row, created } = db
      .transaction(() => {
        const known = outbox.byKey(r.idempotencyKey)
        if (known) return { row: known, created: false }
        checkAccount(accounts.get(r.accountId), r)
        return outbox.insertReply(
          {
            accountId: r.accountId,
            citizenMessageId: r.messageId,
            destinationType: r.destination.type,
            address: r.destination.type === 'person' ? r.destination.address : '',
            recipientName:
              r.destination.type === 'person' && r.destination.name ? r.destination.name : null,
            text: r.text,
            // An e-mail needs a subject; the citizen's own is not known here.
            subject: r.family === 'email' ? `Risposta da ${deps.ente()}` : null,
            inReplyTo: r.inReplyTo ?? null,
            idempotencyKey: r.idempotencyKey,
          },
          at,
        )
      })
      .immediate()
    if (row.kind !== 'reply' || row.citizenMessageId !== r.messageId)
      throw conflict(`idempotency key ${r.idempotencyKey} belongs to another message`)
    if (created) {
      safeEmit(deps.onRowsChanged, [changeOf(row, at)])
      deps.onQueued?.()
    }
    return { outboxId: row.id }
  }

  return {
    enqueueReply: enqueueReply satisfies EnqueueReply,
    relays: {
      partner: (id) => deps.partners.get(id),
      contact: (id) => deps.contacts.get(id),
      ente: () => deps.ente(),
    },
  }
}
