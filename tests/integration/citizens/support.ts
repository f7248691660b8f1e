import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChannelKind } from '../../../src/shared/channels/kinds'
import type { CitizensEvents } from '../../../src/shared/citizens/types'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import { openDatabase, type Db } from '../../../src/main/core/db/open'
import {
  createInboundCursorsRepository,
  type InboundCursorStore,
} from '../../../src/main/core/citizens/inbound/cursors-repository'
import {
  createInboundPoller,
  type InboundPollReport,
  type InboundScheduler,
} from '../../../src/main/core/citizens/inbound/scheduler'
import type { InboundContext, InboundPoller } from '../../../src/main/core/citizens/inbound/types'
import {
  createCitizensService,
  type CitizensService,
  type EnqueueReply,
  type ReplyRequest,
} from '../../../src/main/core/citizens/citizens-service'

export type RecordedEvent = {
  [K in keyof CitizensEvents]: { name: K; payload: CitizensEvents[K] }
}[keyof CitizensEvents]

export interface Inbox {
  db: Db
  dir: string
  service: CitizensService
  events: RecordedEvent[]
  replies: ReplyRequest[]
  /** The clock the service stamps history and fetch times with. */
  now(): Date
  setNow(iso: string): void
  addAccount(kind: ChannelKind, name?: string): number
  dispose(): void
}

/** A real workspace file in a temp dir, with the inbox service wired to recording callbacks. */
export function openInbox(options: { enqueueReply?: EnqueueReply } = {}): Inbox {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-citizens-'))
  const db = openDatabase(join(dir, 'workspace.sqlite'))
  const events: RecordedEvent[] = []
  const replies: ReplyRequest[] = []
  let now = new Date('2026-02-07T12:00:00.000Z')
  let nextOutboxId = 9001
  const recording: EnqueueReply = (request) => {
    replies.push(request)
    return { outboxId: nextOutboxId++ }
  }
  const service = createCitizensService({
    db,
    emit: (name, payload) => events.push({ name, payload } as RecordedEvent),
    enqueueReply: options.enqueueReply ?? recording,
    now: () => now,
  })
  const accounts = createChannelAccountsRepository(db)
  return {
    db,
    dir,
    service,
    events,
    replies,
    now: () => now,
    setNow(iso) {
      now = new Date(iso)
    },
    addAccount(kind, name = `${kind}-${Math.random().toString(36).slice(2, 8)}`) {
      return accounts.create({
        kind,
        name,
        enabled: true,
        settings: {},
        secrets: {},
        now: now.toISOString(),
      })
    },
    dispose() {
      if (db.open) db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export interface Polling {
  store: InboundCursorStore
  scheduler: InboundScheduler
  reports: InboundPollReport[]
  errors: unknown[]
  /** One poll now, through the scheduler: ingest, cursor and health recorded. */
  poll(): Promise<InboundPollReport>
}

/**
 * Wires one inbound poller to the inbox the way the app does: the scheduler
 * polls, the inbox ingests, the cursor is persisted. The clock is the inbox's
 * and jitter is neutral (random 0.5), so backoff delays are exact.
 */
export function wirePolling(inbox: Inbox, poller: InboundPoller, intervalMs = 60_000): Polling {
  const store = createInboundCursorsRepository(inbox.db)
  const reports: InboundPollReport[] = []
  const errors: unknown[] = []
  const scheduler = createInboundPoller({
    sources: [poller.accountId],
    pollers: new Map([[poller.accountId, poller]]),
    store,
    intervalMs,
    onMessages: (messages) => inbox.service.ingest(messages),
    onError: (err) => errors.push(err),
    onPolled: (report) => reports.push(report),
    now: () => inbox.now(),
    random: () => 0.5,
  })
  return { store, scheduler, reports, errors, poll: () => scheduler.pollNow(poller.accountId) }
}

/** The context every inbound poller gets in tests: the fake's secrets, the inbox clock, short deadlines. */
export function inboundContext(inbox: Inbox, secrets: Record<string, string>): InboundContext {
  return { secretsFor: () => secrets, now: () => inbox.now().getTime(), timeoutMs: 2_000 }
}
