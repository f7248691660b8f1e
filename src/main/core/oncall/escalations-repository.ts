import type {
  EscalationPageView,
  EscalationState,
  EscalationTriggerKind,
  EscalationView,
} from '../../../shared/contract/oncall'
import type { Db } from '../db/open'

/** The chain as it stood when the escalation began. */
export interface ChainStep {
  personId: number
  name: string
}

export interface EscalationRow {
  id: number
  kind: EscalationTriggerKind
  key: string
  params: Record<string, string | number | null>
  title: string
  body: string
  draft: string | null
  shiftId: number | null
  chain: ChainStep[]
  state: EscalationState
  round: number
  step: number
  startedAt: string
  nextAt: string | null
  closedAt: string | null
  closedBy: string | null
  closedByPerson: number | null
  closedVia: 'telegram' | 'room' | null
}

export interface PageRow extends Omit<EscalationPageView, 'call'> {
  id: number
  escalationId: number
  chatId: string | null
  messageId: number | null
  /** A call's id at the provider, to ask what became of it. */
  providerId: string | null
  /** What became of a call, once the provider said. */
  callOutcome: CallEnd | null
}

/** How a call ended, as the provider reports it (adapter.ts `FINAL_CALL_OUTCOMES`). */
export type CallEnd = 'answered' | 'voicemail' | 'busy' | 'no_answer' | 'failed' | 'canceled'

interface RawEscalation {
  id: number
  trigger_kind: EscalationTriggerKind
  trigger_key: string
  trigger_params: string
  title: string
  body: string
  draft: string | null
  shift_id: number | null
  chain: string
  state: EscalationState
  round: number
  step: number
  started_at: string
  next_at: string | null
  closed_at: string | null
  closed_by: string | null
  closed_by_person: number | null
  closed_via: 'telegram' | 'room' | null
}

interface RawPage {
  id: number
  escalation_id: number
  round: number
  step: number
  person_id: number
  name: string
  channel: PageRow['channel']
  at: string
  outcome: PageRow['outcome']
  chat_id: string | null
  message_id: number | null
  error: string | null
  provider_id: string | null
  call_outcome: CallEnd | null
}

const toEscalation = (r: RawEscalation): EscalationRow => ({
  id: r.id,
  kind: r.trigger_kind,
  key: r.trigger_key,
  params: JSON.parse(r.trigger_params) as EscalationRow['params'],
  title: r.title,
  body: r.body,
  draft: r.draft === null ? null : (JSON.parse(r.draft) as string),
  shiftId: r.shift_id,
  chain: JSON.parse(r.chain) as ChainStep[],
  state: r.state,
  round: r.round,
  step: r.step,
  startedAt: r.started_at,
  nextAt: r.next_at,
  closedAt: r.closed_at,
  closedBy: r.closed_by,
  closedByPerson: r.closed_by_person,
  closedVia: r.closed_via,
})

const toPage = (r: RawPage): PageRow => ({
  id: r.id,
  escalationId: r.escalation_id,
  round: r.round,
  step: r.step,
  personId: r.person_id,
  name: r.name,
  channel: r.channel,
  at: r.at,
  outcome: r.outcome,
  chatId: r.chat_id,
  messageId: r.message_id,
  error: r.error,
  providerId: r.provider_id,
  callOutcome: r.call_outcome,
})

export interface NewEscalation {
  kind: EscalationTriggerKind
  key: string
  params: Record<string, string | number | null>
  title: string
  body: string
  draft: string | null
  shiftId: number | null
  chain: ChainStep[]
  state: 'open' | 'unstaffed'
  startedAt: string
  nextAt: string | null
}

export type CallbackOutcome =
  'taken' | 'dismissed' | 'draft' | 'refused_closed' | 'refused_foreign' | 'refused_unknown'

/** Escalations, their pages and the button presses taken; every time is an ISO instant in UTC. */
export function createEscalationsRepository(db: Db) {
  const s = {
    insert: db.prepare(`INSERT INTO oncall_escalations (trigger_kind, trigger_key, trigger_params,
        title, body, draft, shift_id, chain, state, started_at, next_at, closed_at)
      VALUES (:kind, :key, :params, :title, :body, :draft, :shiftId, :chain, :state, :startedAt,
        :nextAt, :closedAt)`),
    get: db.prepare<[number], RawEscalation>('SELECT * FROM oncall_escalations WHERE id = ?'),
    anyByKey: db
      .prepare<[string], number>('SELECT 1 FROM oncall_escalations WHERE trigger_key = ? LIMIT 1')
      .pluck(),
    openByKey: db.prepare<[string], RawEscalation>(
      "SELECT * FROM oncall_escalations WHERE trigger_key = ? AND state = 'open'",
    ),
    openForBulletin: db.prepare<[number], RawEscalation>(`SELECT * FROM oncall_escalations
      WHERE state = 'open' AND trigger_kind = 'bulletin'
        AND json_extract(trigger_params, '$.itemId') = ? ORDER BY id`),
    due: db.prepare<[string], RawEscalation>(
      "SELECT * FROM oncall_escalations WHERE state = 'open' AND next_at <= ? ORDER BY next_at, id",
    ),
    open: db.prepare<[], RawEscalation>(
      "SELECT * FROM oncall_escalations WHERE state = 'open' ORDER BY id",
    ),
    untaken: db.prepare<[], RawEscalation>(`SELECT * FROM oncall_escalations
      WHERE state IN ('unanswered', 'unstaffed') ORDER BY id DESC`),
    advance: db.prepare(`UPDATE oncall_escalations SET round = :round, step = :step,
        next_at = :nextAt
      WHERE id = :id AND state = 'open' AND round = :fromRound AND step = :fromStep`),
    postpone: db.prepare<[string, number]>(
      "UPDATE oncall_escalations SET next_at = ? WHERE id = ? AND state = 'open'",
    ),
    close: db.prepare(`UPDATE oncall_escalations SET state = :state, next_at = NULL,
        closed_at = :at, closed_by = :by, closed_by_person = :byPerson, closed_via = :via
      WHERE id = :id AND state IN ('open', 'unanswered', 'unstaffed')`),
    closeOpen: db.prepare(`UPDATE oncall_escalations SET state = :state, next_at = NULL,
        closed_at = :at, closed_by = :by, closed_by_person = :byPerson, closed_via = :via
      WHERE id = :id AND state = 'open'`),
    list: db.prepare<[number], RawEscalation>(
      'SELECT * FROM oncall_escalations ORDER BY id DESC LIMIT ?',
    ),
    addPage: db.prepare(`INSERT INTO oncall_pages (escalation_id, round, step, person_id, name,
        channel, at, outcome, chat_id, message_id, error, provider_id)
      VALUES (:escalationId, :round, :step, :personId, :name, :channel, :at, :outcome, :chatId,
        :messageId, :error, :providerId)`),
    callsPending: db.prepare<[string], RawPage>(`SELECT * FROM oncall_pages
      WHERE channel = 'voice' AND provider_id IS NOT NULL AND call_outcome IS NULL AND at >= ?
      ORDER BY id`),
    setCallOutcome: db.prepare<[CallEnd, number]>(
      'UPDATE oncall_pages SET call_outcome = ? WHERE id = ? AND call_outcome IS NULL',
    ),
    voicePaged: db
      .prepare<[number, number, number, number], number>(
        `SELECT 1 FROM oncall_pages
        WHERE escalation_id = ? AND round = ? AND step = ? AND person_id = ? AND channel = 'voice'
        LIMIT 1`,
      )
      .pluck(),
    pages: db.prepare<[number], RawPage>(
      'SELECT * FROM oncall_pages WHERE escalation_id = ? ORDER BY id',
    ),
    pageByMessage: db.prepare<[string, number], RawPage>(
      'SELECT * FROM oncall_pages WHERE chat_id = ? AND message_id = ? ORDER BY id DESC LIMIT 1',
    ),
    recordCallback: db.prepare(`INSERT INTO oncall_callbacks
        (callback_id, received_at, chat_id, escalation_id, action, outcome)
      VALUES (:id, :at, :chatId, :escalationId, :action, :outcome)
      ON CONFLICT (callback_id) DO NOTHING`),
  }

  return {
    /** Inserts an escalation; undefined when one is already open for the same key. */
    insert(e: NewEscalation): number | undefined {
      const result = db.transaction(() => {
        if (e.state === 'open' && s.openByKey.get(e.key)) return undefined
        return Number(
          s.insert.run({
            ...e,
            params: JSON.stringify(e.params),
            draft: e.draft === null ? null : JSON.stringify(e.draft),
            chain: JSON.stringify(e.chain),
            closedAt: e.state === 'open' ? null : e.startedAt,
          }).lastInsertRowid,
        )
      })()
      return result
    },
    get(id: number): EscalationRow | undefined {
      const r = s.get.get(id)
      return r ? toEscalation(r) : undefined
    },
    /** Whether an escalation with this key was ever raised, open or closed. */
    raisedBefore: (key: string): boolean => s.anyByKey.get(key) !== undefined,
    openByKey(key: string): EscalationRow | undefined {
      const r = s.openByKey.get(key)
      return r ? toEscalation(r) : undefined
    },
    openForBulletin: (itemId: number): EscalationRow[] =>
      s.openForBulletin.all(itemId).map(toEscalation),
    due: (at: string): EscalationRow[] => s.due.all(at).map(toEscalation),
    open: (): EscalationRow[] => s.open.all().map(toEscalation),
    /** Escalations nobody took (chain gone through, or nobody on call), newest first. */
    untaken: (): EscalationRow[] => s.untaken.all().map(toEscalation),
    /** Moves an open escalation on, only from the step it was read at (two ticks cannot both move it). */
    advance(
      e: Pick<EscalationRow, 'id' | 'round' | 'step'>,
      to: { round: number; step: number; nextAt: string },
    ): boolean {
      return s.advance.run({ id: e.id, fromRound: e.round, fromStep: e.step, ...to }).changes > 0
    },
    postpone: (id: number, nextAt: string): boolean => s.postpone.run(nextAt, id).changes > 0,
    /**
     * Closes an escalation; false when it was already closed by someone else. `onlyOpen`
     * leaves alone those already unanswered (a person's button is late for those too).
     */
    close(
      id: number,
      c: {
        state: Exclude<EscalationState, 'open'>
        at: string
        by: string | null
        byPerson: number | null
        via: 'telegram' | 'room' | null
      },
      onlyOpen = false,
    ): boolean {
      return (onlyOpen ? s.closeOpen : s.close).run({ id, ...c }).changes > 0
    },
    list: (limit: number): EscalationRow[] => s.list.all(limit).map(toEscalation),
    addPage(
      p: Omit<PageRow, 'id' | 'providerId' | 'callOutcome'> & { providerId?: string | null },
    ): number {
      return Number(s.addPage.run({ ...p, providerId: p.providerId ?? null }).lastInsertRowid)
    },
    /** Whether this page (escalation, round, step, person) already rang the person, whatever came of it. */
    voicePaged: (e: { id: number; round: number; step: number }, personId: number): boolean =>
      s.voicePaged.get(e.id, e.round, e.step, personId) !== undefined,
    /** Calls placed since `since` whose end the provider has not told yet. */
    callsPending: (since: string): PageRow[] => s.callsPending.all(since).map(toPage),
    /** Records how a call ended; false when it was recorded before. */
    setCallOutcome: (pageId: number, outcome: CallEnd): boolean =>
      s.setCallOutcome.run(outcome, pageId).changes > 0,
    pages: (escalationId: number): PageRow[] => s.pages.all(escalationId).map(toPage),
    pageByMessage(chatId: string, messageId: number): PageRow | undefined {
      const r = s.pageByMessage.get(chatId, messageId)
      return r ? toPage(r) : undefined
    },
    /** Records a button press by its callback_query id; false when that id was taken before (a replay). */
    recordCallback(c: {
      id: string
      at: string
      chatId: string
      escalationId: number | null
      action: string
      outcome: CallbackOutcome
    }): boolean {
      return s.recordCallback.run(c).changes > 0
    },
    view(e: EscalationRow): EscalationView {
      return {
        id: e.id,
        trigger: { kind: e.kind, params: e.params },
        title: e.title,
        state: e.state,
        startedAt: e.startedAt,
        nextAt: e.nextAt,
        closedAt: e.closedAt,
        closedBy: e.closedBy,
        closedVia: e.closedVia,
        round: e.round,
        step: e.step,
        chain: e.chain,
        pages: s.pages.all(e.id).map((p) => {
          const page = toPage(p)
          return {
            at: page.at,
            round: page.round,
            step: page.step,
            personId: page.personId,
            name: page.name,
            channel: page.channel,
            outcome: page.outcome,
            error: page.error,
            ...(page.callOutcome
              ? { call: page.callOutcome === 'answered' ? 'answered' : 'not_answered' }
              : {}),
          } satisfies EscalationPageView
        }),
      }
    },
  }
}

export type EscalationsRepository = ReturnType<typeof createEscalationsRepository>
