import type {
  BulletinPublications,
  DrillReport,
  DrillState,
  EarlierDrill,
  ReportCitizens,
  ReportCoverage,
  ReportFault,
  ReportOncall,
  ReportTimelineEntry,
} from '../../../shared/contract/drills'
import { evaluateCheckpoints, type CheckpointResult } from '../../../shared/drills/checkpoints'
import { findName } from '../../../shared/drills/names'
import type { EventBody, Scenario } from '../../../shared/drills/scenario'
import { formatDuration, formatScenarioTime, parseDuration } from '../../../shared/drills/time'
import type { DrillMeta } from '../drills/drill-meta'
import type { ControlRecord, FiredEvent } from '../drills/timeline'
import type { DrillHistory } from './drill-log'
import { firedOfThread, teamActions } from './team-actions'
import type { TeamRecords } from './team-records'
import { scenarioTimeAt } from './time-map'

/**
 * The end-of-drill report, from the drill's history (what fired, what the
 * trainer did, the clock) and what the team's work left in the drill file.
 * Pure: the same data gives the same report, for the running drill and for
 * an earlier one read back from its file.
 */

export interface ReportInput {
  meta: DrillMeta
  scenario: Scenario
  history: DrillHistory
  records: TeamRecords
  state: DrillState
  /** Scenario time reached. */
  scenarioNow: number
  earlier: EarlierDrill[]
  generatedAt: Date
}

const LEVELS: Record<string, string> = {
  verde: 'verde',
  giallo: 'gialla',
  arancione: 'arancione',
  rosso: 'rossa',
}

const FAULTS: Record<string, string> = {
  down: 'non raggiungibile',
  rate_limited: 'limitato (troppe richieste)',
  reject: 'rifiuta i messaggi',
}

const CATEGORIES: Record<string, string> = {
  question: 'domande',
  rumour: 'voci',
  complaint: 'lamentele',
  help_request: 'richieste di aiuto',
}

const cut = (text: string, max = 160): string =>
  text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text

/** One line for an event of the timeline, in the room's words. */
export function describeEvent(event: EventBody, messageCount?: number): string {
  switch (event.type) {
    case 'bulletin':
      return `Bollettino: allerta ${LEVELS[event.level] ?? event.level} (${event.source}): ${event.headline}`
    case 'ordinance':
      return `Ordinanza del Comune di ${event.comune}: ${event.title}`
    case 'citizen_messages': {
      const n = messageCount ?? event.count ?? event.messages.length
      const what = n === 1 ? '1 messaggio di un cittadino' : `${n} messaggi di cittadini`
      return `${what} su ${event.channel} (${CATEGORIES[event.category] ?? event.category})`
    }
    case 'partner_relay':
      return event.delay === 'never'
        ? `${event.partner} non rilancerà`
        : `${event.partner} rilancia ${formatDuration(parseDuration(event.delay) ?? 0)} dopo la richiesta`
    case 'channel_fault':
      return `Guasto simulato: ${event.channel} ${FAULTS[event.fault] ?? event.fault} per ${event.duration}`
    case 'note':
      return `Nota per il formatore: ${cut(event.text)}`
  }
}

function describeControl(c: ControlRecord): string {
  switch (c.action) {
    case 'start':
      return 'Esercitazione avviata'
    case 'pause':
      return 'In pausa'
    case 'resume':
      return 'Ripresa'
    case 'speed':
      return `Velocità ${c.value ?? '?'}×`
    case 'jump':
      return `Salto a ${formatScenarioTime(c.value ?? 0)}`
    case 'inject':
      return 'Evento inserito dal formatore'
    case 'stop':
      return 'Esercitazione conclusa'
  }
}

const AUDIT_WORDS: Record<string, string> = {
  'alerts.create': 'Bozza di allerta creata',
  'alerts.update': 'Bozza di allerta modificata',
  'alerts.apply_template': 'Testi preparati dal modello',
  'alerts.confirm': 'Allerta confermata per l’invio',
  'alerts.cancel': 'Invio annullato',
  'alerts.stop': 'Invio fermato',
  'alerts.retry': 'Nuovo tentativo per i messaggi non partiti',
  'relays.confirmed': 'Rilancio confermato da un partner',
  'relays.seen': 'Rilancio visto sulla pagina di un partner',
  'settings.update': 'Impostazioni modificate',
}

function timeline(input: ReportInput, fired: readonly FiredEvent[]): ReportTimelineEntry[] {
  const at = (wall: number) => scenarioTimeAt(input.history.segments, wall)
  const entries: ReportTimelineEntry[] = []
  for (const f of fired) {
    // A spread burst is one line: its first part says how many messages there are.
    if (f.part > 1) continue
    const failed = f.outcome === 'failed' ? ` — non riuscito: ${f.error ?? ''}` : ''
    entries.push({
      at: f.firedAt,
      who: 'scenario',
      what: f.type,
      text: describeEvent(f.event) + failed,
    })
  }
  for (const c of input.history.controls)
    entries.push({ at: c.scenarioAt, who: 'trainer', what: c.action, text: describeControl(c) })
  for (const a of input.records.audit) {
    entries.push({
      at: at(a.wall),
      who: 'team',
      what: a.action,
      text: `${AUDIT_WORDS[a.action] ?? a.action} (${a.actor})`,
    })
  }
  for (const s of input.records.sends)
    entries.push({
      at: at(s.firstSentWall),
      who: 'team',
      what: 'first_send',
      text: `Primo messaggio uscito su ${s.channel}`,
    })
  for (const m of input.records.citizens) {
    if (m.answeredWall === null) continue
    entries.push({
      at: at(m.answeredWall),
      who: 'team',
      what: 'reply',
      text: `Risposta a un cittadino (${m.family})`,
    })
  }
  for (const j of input.records.journal)
    entries.push({
      at: at(j.wall),
      who: 'team',
      what: 'journal',
      text: `Nota nel diario (${j.actor}): ${cut(j.text)}`,
    })
  const order = { scenario: 0, trainer: 1, team: 2 }
  return entries.sort((a, b) => a.at - b.at || order[a.who] - order[b.who])
}

function publications(input: ReportInput, fired: readonly FiredEvent[]): BulletinPublications[] {
  const at = (wall: number) => scenarioTimeAt(input.history.segments, wall)
  const bulletins = fired.filter((f) => f.event.type === 'bulletin')
  return bulletins.map((b, i) => {
    const until = bulletins[i + 1]?.firedAt ?? Infinity
    const event = b.event as Extract<EventBody, { type: 'bulletin' }>
    return {
      ...(b.eventId === undefined ? {} : { eventId: b.eventId }),
      headline: event.headline,
      level: event.level,
      firedAt: b.firedAt,
      channels: input.records.accounts.map((account) => {
        const times = input.records.sends
          .filter((s) => s.accountId === account.id)
          .map((s) => at(s.firstSentWall))
          .filter((t) => t >= b.firedAt && t < until)
        const first = times.length ? Math.min(...times) : null
        return {
          accountId: account.id,
          channel: account.name,
          family: account.family,
          firstSentAt: first,
          delayMs: first === null ? null : first - b.firedAt,
        }
      }),
    }
  })
}

function coverage(input: ReportInput): ReportCoverage {
  const { records } = input
  const at = (wall: number) => scenarioTimeAt(input.history.segments, wall)
  const targeted = new Set(records.sends.flatMap((s) => s.lists))
  const accountName = new Map(records.accounts.map((a) => [a.id, a]))
  return {
    lists: records.lists
      .filter((l) => l.sent > 0 || targeted.has(l.name))
      .map((l) => ({
        listId: l.id,
        name: l.name,
        members: l.members,
        sent: l.sent,
        reached: l.reached,
      })),
    pages: records.pages.map((p) => ({
      accountId: p.accountId,
      channel: accountName.get(p.accountId)?.name ?? `#${p.accountId}`,
      family: accountName.get(p.accountId)?.family ?? 'website',
      posts: p.posts,
    })),
    partners: records.partners.map((p) => {
      const requests = records.relays.filter((r) => r.partnerId === p.id)
      const first = requests[0]
      const relayed = requests.find((r) => r.relayedWall !== null)
      return {
        partnerId: p.id,
        name: p.name,
        requestedAt: first ? at(first.requestedWall) : null,
        relayedAt: relayed?.relayedWall ? at(relayed.relayedWall) : null,
        status: relayed?.status ?? first?.status ?? 'not_requested',
      }
    }),
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function citizens(input: ReportInput, fired: readonly FiredEvent[]): ReportCitizens {
  const at = (wall: number) => scenarioTimeAt(input.history.segments, wall)
  const answered = input.records.citizens.filter((m) => m.answeredWall !== null)
  const groups = new Map<string, ReportCitizens['byEvent'][number]>()
  for (const m of input.records.citizens) {
    const f = firedOfThread(fired, m.threadId)
    const key = f?.eventId ?? (f ? `#${f.index ?? `i${f.seq}`}` : 'other')
    const label = f
      ? (f.eventId ??
        (f.origin === 'injected'
          ? `Inseriti dal formatore (${formatScenarioTime(f.firedAt)})`
          : `Evento ${formatScenarioTime(f.scheduledAt)}`))
      : 'Altri messaggi'
    const group = groups.get(key) ?? {
      ...(f?.eventId === undefined ? {} : { eventId: f.eventId }),
      label,
      received: 0,
      answered: 0,
    }
    group.received++
    if (m.answeredWall !== null) group.answered++
    groups.set(key, group)
  }
  return {
    received: input.records.citizens.length,
    answered: answered.length,
    medianResponseMs: median(
      answered.map((m) => Math.max(0, at(m.answeredWall ?? 0) - at(m.receivedWall))),
    ),
    byEvent: [...groups.values()],
  }
}

function faults(input: ReportInput, fired: readonly FiredEvent[]): ReportFault[] {
  const at = (wall: number) => scenarioTimeAt(input.history.segments, wall)
  const names = input.records.accounts.map((a) => a.name)
  const retries = input.records.audit
    .filter((a) => a.action === 'alerts.retry')
    .map((a) => at(a.wall))
  return fired.flatMap((f): ReportFault[] => {
    if (f.event.type !== 'channel_fault' || f.outcome === 'failed') return []
    const event = f.event
    const from = f.scheduledAt
    const to = from + (parseDuration(event.duration) ?? 0)
    const name = findName(event.channel, names)
    const account = input.records.accounts.find((a) => a.name === name)
    const rows = input.records.rows.filter(
      (r) =>
        r.accountId === account?.id &&
        at(r.createdWall) < to &&
        (r.sentWall === null || at(r.sentWall) >= from),
    )
    return [
      {
        channel: account?.name ?? event.channel,
        fault: event.fault,
        from,
        to,
        ...(event.detail === undefined ? {} : { detail: event.detail }),
        affected: rows.length,
        sentAfter: rows.filter((r) => r.sentWall !== null).length,
        failed: rows.filter((r) => r.state === 'failed').length,
        waiting: rows.filter((r) => ['queued', 'sending', 'uncertain'].includes(r.state)).length,
        retriedByTeam: retries.filter((t) => t >= from).length,
      },
    ]
  })
}

/**
 * The drill's escalations on the scenario's clock: who was paged, who took it, from where,
 * and how long from the first page to «Prendo io» (what a trainer asks of an on-call night).
 */
function oncall(input: ReportInput): ReportOncall[] {
  const at = (wall: number) => scenarioTimeAt(input.history.segments, wall)
  return input.records.escalations.map((e) => ({
    title: e.title,
    kind: e.kind,
    startedAt: at(e.startedWall),
    state: e.state,
    closedBy: e.closedBy,
    closedVia: e.closedVia,
    toAcknowledgeMs:
      e.state === 'acknowledged' && e.closedWall !== null
        ? Math.max(0, at(e.closedWall) - at(e.startedWall))
        : null,
    paged: e.paged,
  }))
}

/** Checkpoints now (pending until their event and deadline) or for good (`final`). */
export function evaluateDrill(
  scenario: Scenario,
  history: DrillHistory,
  records: TeamRecords,
  scenarioNow: number | undefined,
): CheckpointResult[] {
  const results = evaluateCheckpoints(scenario.checkpoints, {
    fired: history.fired.map((f) => ({
      ...(f.eventId === undefined ? {} : { eventId: f.eventId }),
      firedAt: f.firedAt,
    })),
    actions: teamActions(records, history.fired, history.segments),
    startedAt: 0,
    ...(scenarioNow === undefined ? {} : { now: scenarioNow }),
  })
  if (scenarioNow === undefined) return results
  // While the drill can still run (before its start too), a checkpoint whose event has
  // not come yet is waiting for it: only at the end is it "not reached".
  return results.map((r) => (r.status === 'not_reached' ? { ...r, status: 'pending' } : r))
}

export function buildDrillReport(input: ReportInput): DrillReport {
  const fired = [...input.history.fired].sort((a, b) => a.seq - b.seq)
  const started = input.history.controls.find((c) => c.action === 'start')
  const stopped = input.history.controls.find((c) => c.action === 'stop')
  const final = input.state === 'ended'
  return {
    drill: {
      id: input.meta.id,
      title: input.meta.title,
      scenarioId: input.meta.scenarioId,
      scenarioTitle: input.scenario.title,
      createdAt: input.meta.createdAt,
      createdBy: input.meta.createdBy,
      state: input.state,
      startedAt: started ? new Date(started.wallAt).toISOString() : null,
      endedAt: stopped ? new Date(stopped.wallAt).toISOString() : null,
      reachedMs: input.scenarioNow,
    },
    final,
    generatedAt: input.generatedAt.toISOString(),
    timeline: timeline(input, fired),
    checkpoints: evaluateDrill(
      input.scenario,
      input.history,
      input.records,
      final ? undefined : input.scenarioNow,
    ),
    publications: publications(input, fired),
    coverage: coverage(input),
    citizens: citizens(input, fired),
    faults: faults(input, fired),
    oncall: oncall(input),
    earlier: input.earlier,
  }
}

/**
 * The report's figures for a machine to read (`vedetta drill run --report FILE.json`):
 * the whole report, each checkpoint also saying plainly whether it was `met`.
 */
export function reportFigures(report: DrillReport): DrillReport & {
  checkpoints: (CheckpointResult & { met: boolean })[]
} {
  return {
    ...report,
    checkpoints: report.checkpoints.map((c) => ({ ...c, met: c.status === 'met' })),
  }
}
