import {
  CHANNEL_KIND_DESCRIPTORS,
  type ChannelFamily,
  type ChannelKind,
} from '../../../shared/channels/kinds'
import type { Db } from '../db/open'
import { filterParams, type FilterParams } from '../contacts/filter-sql'
import { MEMBERS_CTE } from '../lists/audience-sql'
import type { ListFilter } from '../../../shared/contacts/schemas'
import type { ReportOncall } from '../../../shared/contract/drills'

/**
 * What the team did in a drill, read from the drill file (wall times, as
 * stored): the first message out per alert and channel, answers to citizens,
 * relay requests, journal notes and the audited actions. The report turns
 * these into scenario times.
 */

/** Who acts for the scenario and the machinery: never counted as the team. */
export const NOT_TEAM = ['scenario', 'vedetta', 'dispatcher'] as const

export interface SendRecord {
  alertId: number
  accountId: number
  channel: string
  family: ChannelFamily
  /** Lists the alert went to (people channels only). */
  lists: string[]
  /** Epoch ms of the first row sent on this channel for this alert. */
  firstSentWall: number
}

export interface CitizenRecord {
  id: number
  family: string
  /** `esercitazione:<seq>` for messages the scenario brought. */
  threadId: string | null
  receivedWall: number
  /** First answer: a reply through the outbox, or marked answered. */
  answeredWall: number | null
}

export interface RelayRecord {
  alertId: number
  partnerId: number
  partner: string
  status: 'requested' | 'confirmed' | 'seen'
  requestedWall: number
  relayedWall: number | null
}

export interface RowRecord {
  accountId: number
  state: string
  createdWall: number
  sentWall: number | null
  attempts: number
}

export interface TeamRecords {
  sends: SendRecord[]
  citizens: CitizenRecord[]
  relays: RelayRecord[]
  journal: { actor: string; text: string; wall: number }[]
  audit: { actor: string; action: string; subject: string | null; wall: number }[]
  accounts: { id: number; name: string; family: ChannelFamily }[]
  lists: { id: number; name: string; members: number; sent: number; reached: number }[]
  pages: { accountId: number; posts: number }[]
  partners: { id: number; name: string }[]
  /** Alert rows (not replies, not relay messages), for fault handling. */
  rows: RowRecord[]
  /** On-call escalations, oldest first. */
  escalations: EscalationRecord[]
}

export interface EscalationRecord {
  title: string
  kind: string
  state: ReportOncall['state']
  startedWall: number
  closedWall: number | null
  closedBy: string | null
  closedVia: 'telegram' | 'room' | null
  /** Names paged, in the order of their first page. */
  paged: string[]
}

const wallOf = (iso: string | null): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isNaN(t) ? null : t
}

function familyOf(kind: string): ChannelFamily {
  return CHANNEL_KIND_DESCRIPTORS[kind as ChannelKind]?.family ?? 'website'
}

function hasColumn(db: Db, table: string, column: string): boolean {
  return db
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
    .all(table)
    .some((c) => c.name === column)
}

function hasTable(db: Db, table: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
    undefined
  )
}

/** Reads the team's records from a drill file (read-only is enough). */
export function createTeamRecordsReader(db: Db): () => TeamRecords {
  // Drill files made before the on-call roster have no escalations to report.
  const escalations = hasTable(db, 'oncall_escalations')
    ? db.prepare<
        [],
        {
          id: number
          title: string
          trigger_kind: string
          state: EscalationRecord['state']
          started_at: string
          closed_at: string | null
          closed_by: string | null
          closed_via: 'telegram' | 'room' | null
          paged: string | null
        }
      >(
        `SELECT e.id, e.title, e.trigger_kind, e.state, e.started_at, e.closed_at, e.closed_by,
           e.closed_via,
           (SELECT json_group_array(name) FROM (
              SELECT name FROM oncall_pages p WHERE p.escalation_id = e.id
              GROUP BY person_id ORDER BY min(p.id))) AS paged
         FROM oncall_escalations e ORDER BY e.started_at, e.id`,
      )
    : undefined
  // Answers to citizens and messages to partners are outbox rows too, but not publications.
  // Workspaces migrated before the outbox had kinds have alert rows only. One of two
  // fixed fragments, chosen once: no input ever reaches the SQL text.
  const alertRowsOnly = hasColumn(db, 'outbox', 'kind') ? "o.kind = 'alert'" : '1 = 1'
  const sends = db.prepare<
    [],
    { alert_id: number; account_id: number; first_sent: number; targets: string }
  >(
    `SELECT o.alert_id, o.account_id, min(o.sent_at) AS first_sent, a.targets
     FROM outbox o JOIN alerts a ON a.id = o.alert_id
     WHERE o.sent_at IS NOT NULL AND ${alertRowsOnly}
     GROUP BY o.alert_id, o.account_id ORDER BY first_sent`,
  )
  const rows = db.prepare<
    [],
    {
      account_id: number
      state: string
      created_at: number
      sent_at: number | null
      attempts: number
    }
  >(
    `SELECT o.account_id, o.state, o.created_at, o.sent_at, o.attempts FROM outbox o
     WHERE o.alert_id IS NOT NULL AND ${alertRowsOnly}`,
  )
  const pages = db.prepare<[], { account_id: number; posts: number }>(
    `SELECT o.account_id, count(*) AS posts FROM outbox o
     WHERE o.destination_type = 'page' AND o.state IN ('sent', 'delivered') AND o.alert_id IS NOT NULL
       AND ${alertRowsOnly}
     GROUP BY o.account_id`,
  )
  const accounts = db.prepare<[], { id: number; name: string; kind: string }>(
    'SELECT id, name, kind FROM channel_accounts ORDER BY name COLLATE NOCASE',
  )
  const lists = db.prepare<[], { id: number; name: string; kind: string; filter: string | null }>(
    'SELECT id, name, kind, filter FROM lists ORDER BY name COLLATE NOCASE',
  )
  // Members as the dispatcher resolved them: a static list's rows, or whom a dynamic
  // list's filter matches. `sent` counts the messages out to them for alerts aimed at
  // the list; `reached`, the members at least one of those messages got to.
  const listCoverage = db.prepare<
    FilterParams & { listId: number; dynamic: 0 | 1 },
    { members: number; sent: number; reached: number }
  >(
    `WITH ${MEMBERS_CTE},
     out(contact_id) AS (
       SELECT o.contact_id FROM outbox o JOIN alerts a ON a.id = o.alert_id
       WHERE o.state IN ('sent', 'delivered') AND o.destination_type = 'person'
         AND o.contact_id IN (SELECT id FROM m) AND ${alertRowsOnly}
         AND EXISTS (SELECT 1 FROM json_each(a.targets, '$.listIds') t WHERE t.value = @listId))
     SELECT (SELECT count(DISTINCT id) FROM m) AS members,
       (SELECT count(*) FROM out) AS sent,
       (SELECT count(DISTINCT contact_id) FROM out) AS reached`,
  )
  const citizens = db.prepare<
    [],
    {
      id: number
      channel_family: string
      thread_id: string | null
      received_at: string
      answered_at: string | null
    }
  >(
    `SELECT m.id, m.channel_family, m.thread_id, m.received_at,
       (SELECT min(h.at) FROM citizen_triage_history h
          WHERE h.message_id = m.id
            AND (h.action = 'reply' OR (h.action = 'state' AND h.to_value = 'risposto'))) AS answered_at
     FROM citizen_messages m ORDER BY m.received_at, m.id`,
  )
  const relays = db.prepare<
    [],
    {
      alert_id: number
      partner_id: number
      name: string | null
      status: 'requested' | 'confirmed' | 'seen'
      requested_at: string
      seen_at: string | null
      confirmed_at: string | null
    }
  >(
    `SELECT r.alert_id, r.partner_id, p.name, r.status, r.requested_at, r.seen_at, r.confirmed_at
     FROM relay_requests r LEFT JOIN partners p ON p.id = r.partner_id
     ORDER BY r.requested_at`,
  )
  const partners = db.prepare<[], { id: number; name: string }>(
    'SELECT id, name FROM partners ORDER BY name COLLATE NOCASE',
  )
  const journal = db.prepare<[], { actor: string; text: string; at: string }>(
    'SELECT actor, text, at FROM journal_notes ORDER BY at, id',
  )
  const audit = db.prepare<
    [],
    { actor: string; action: string; subject: string | null; at: string }
  >('SELECT actor, action, subject, at FROM audit_log ORDER BY at, id')

  return () => {
    const accountRows = accounts.all().map((a) => ({
      id: a.id,
      name: a.name,
      family: familyOf(a.kind),
    }))
    const accountById = new Map(accountRows.map((a) => [a.id, a]))
    const listRows = lists.all().map((l) => {
      const dynamic = l.kind === 'dynamic'
      const filter = dynamic && l.filter ? (JSON.parse(l.filter) as ListFilter) : null
      const counts = listCoverage.get({
        ...filterParams(filter),
        listId: l.id,
        dynamic: dynamic ? 1 : 0,
      })
      return { id: l.id, name: l.name, ...(counts ?? { members: 0, sent: 0, reached: 0 }) }
    })
    const listNames = new Map(listRows.map((l) => [l.id, l.name]))
    const team = (actor: string) => !(NOT_TEAM as readonly string[]).includes(actor)
    return {
      sends: sends.all().map((s) => {
        const account = accountById.get(s.account_id)
        const family = account?.family ?? 'website'
        const targets = JSON.parse(s.targets) as { listIds?: number[] }
        const people = family === 'sms' || family === 'email' || family === 'telegram'
        return {
          alertId: s.alert_id,
          accountId: s.account_id,
          channel: account?.name ?? `#${s.account_id}`,
          family,
          lists: people
            ? (targets.listIds ?? []).flatMap((id) => {
                const name = listNames.get(id)
                return name === undefined ? [] : [name]
              })
            : [],
          firstSentWall: s.first_sent,
        }
      }),
      citizens: citizens.all().map((m) => ({
        id: m.id,
        family: m.channel_family,
        threadId: m.thread_id,
        receivedWall: wallOf(m.received_at) ?? 0,
        answeredWall: wallOf(m.answered_at),
      })),
      relays: relays.all().map((r) => ({
        alertId: r.alert_id,
        partnerId: r.partner_id,
        partner: r.name ?? `#${r.partner_id}`,
        status: r.status,
        requestedWall: wallOf(r.requested_at) ?? 0,
        relayedWall: wallOf(r.seen_at) ?? wallOf(r.confirmed_at),
      })),
      journal: journal
        .all()
        .filter((j) => team(j.actor))
        .flatMap((j) => {
          const wall = wallOf(j.at)
          return wall === null ? [] : [{ actor: j.actor, text: j.text, wall }]
        }),
      audit: audit
        .all()
        .filter((a) => team(a.actor))
        .flatMap((a) => {
          const wall = wallOf(a.at)
          return wall === null
            ? []
            : [{ actor: a.actor, action: a.action, subject: a.subject, wall }]
        }),
      escalations: (escalations?.all() ?? []).map((e) => ({
        title: e.title,
        kind: e.trigger_kind,
        state: e.state,
        startedWall: wallOf(e.started_at) ?? 0,
        closedWall: wallOf(e.closed_at),
        closedBy: e.closed_by,
        closedVia: e.closed_via,
        paged: e.paged ? (JSON.parse(e.paged) as string[]) : [],
      })),
      accounts: accountRows,
      lists: listRows,
      pages: pages.all().map((p) => ({ accountId: p.account_id, posts: p.posts })),
      partners: partners.all(),
      rows: rows.all().map((r) => ({
        accountId: r.account_id,
        state: r.state,
        createdWall: r.created_at,
        sentWall: r.sent_at,
        attempts: r.attempts,
      })),
    }
  }
}
