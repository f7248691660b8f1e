import type { TemplatePreview } from '../../../shared/templates/preview'
import type { Template } from '../../../shared/templates/template-schema'
import { pickFollowUpTemplate } from '../../../shared/templates/follow-up'
import { UNNAMED_OPERATOR } from '../../../shared/room/operator'
import { toFieldIssues } from '../../../shared/validation/issues'
import type { AuditLog } from '../audit/audit-log'
import { createChannelAccountsRepository } from '../channels/accounts-repository'
import type { Db } from '../db/open'
import { CoreError, invalid, notFound } from '../errors'
import type { Recordings } from './recordings'
import { changeOf, createOutboxRepository } from '../outbox/outbox-repository'
import type { OutboxRow, OutboxState } from '../outbox/types'
import {
  alertDraftPatchSchema,
  alertDraftSchema,
  type AlertDraft,
  type AlertDraftInput,
  type AlertDraftPatch,
} from './alert-schema'
import { createAlertsRepository, type RelayRequest } from './alerts-repository'
import { safeEmit, type SendingEvents } from './events'
import { alertPriority } from '../outbox/priority'
import { fanOut } from './fan-out'
import { newAlertIdentifier } from './identifier'
import { planSend, type AccountHealth, type AlertPreview } from './preview'
import { buildProgress, type AlertProgress } from './progress'
import type { RelaySource } from './relays'
import { renderAlertTexts, type ExtraTemplateValues } from './template-texts'
import type { Alert, AlertChange, AlertMode, ResolveRecipients } from './types'
import { versionInForce } from './version-diff'

export interface AlertsServiceDeps {
  db: Db
  audit: AuditLog
  /** People on lists, after opt-outs and landlines, for one channel family (the lists area). */
  resolveRecipients: ResolveRecipients
  /** The last connection check of an account, when the channels area keeps one. */
  accountHealth?(accountId: number): AccountHealth | undefined
  /** Recordings for calls: their length and whether they can be published (recordings.ts). */
  recordings?: Pick<Recordings, 'get' | 'publishProblem'>
  /**
   * Partners, their admins as contacts, and the authority's name: with it the
   * confirmation also sends relay requests (see `createDirectMessages().relays`).
   */
  relays?: RelaySource
  events?: Partial<SendingEvents>
  /** Called when rows become due, so a running dispatcher looks at once. */
  onQueued?(): void
  /** Epoch ms. */
  now?: () => number
  /** `drill` for a drill's own workspace file: CAP status Exercise, drill marker checks. */
  mode?: AlertMode
  /** Cancel window when the confirmation does not say (seconds). */
  defaultCancelWindowSeconds?: number
  newIdentifier?: () => string
  /**
   * The templates and the office's values a follow-up is prefilled from (the
   * aggiornamento or cessata template of the alert's kind); without it a
   * follow-up keeps the texts in force (an update) or starts empty (a cessata).
   */
  followUpTemplates?(): { templates: Template[]; extra: ExtraTemplateValues }
}

export interface ConfirmOptions {
  /** Seconds during which the operator can still cancel before the first message leaves. */
  cancelWindowSeconds?: number
  /**
   * "Sostituisci": for an update or a cancellation, the rows of the message it
   * follows up that are still queued are cancelled (nobody needs the old text
   * once the new one is on its way); rows already sent stay as history.
   */
  replacePrevious?: boolean
  /**
   * Call at once even in the voice accounts' night hours: for a yellow (or green) alert
   * that cannot wait for the morning. Orange and red ring at night anyway.
   */
  callsAtNight?: boolean
}

export interface ConfirmResult {
  alert: Alert
  /** Outbox rows written. */
  rows: number
  /** Queued rows of the replaced message that were cancelled ("sostituisci"). */
  replacedRows: number
  preview: AlertPreview
}

export interface FollowUpInput {
  msgType: 'Update' | 'Cancel'
  changes?: AlertDraftPatch
}

/** Longest cancel window accepted: the alert must still go out promptly. */
export const MAX_CANCEL_WINDOW_SECONDS = 600
export const DEFAULT_CANCEL_WINDOW_SECONDS = 10

const conflict = (message: string) => new CoreError('conflict', message)

function checkActor(actor: string): string {
  const name = typeof actor === 'string' ? actor.trim() : ''
  if (name === '')
    throw invalid([{ path: 'actor', code: 'required' }], 'The operator name is required')
  return name
}

/**
 * A send carries a person's name: the connection's default ("operatore", a page
 * where nobody said who they are) is refused, so the audit says who sent it.
 */
function checkSender(actor: string): string {
  const name = checkActor(actor)
  if (name.toLowerCase() === UNNAMED_OPERATOR)
    throw invalid(
      [{ path: 'operator', code: 'required' }],
      'Say who is sending: the operator name is required',
    )
  return name
}

function parseDraft(input: unknown): AlertDraft {
  const parsed = alertDraftSchema.safeParse(input)
  if (!parsed.success) throw invalid(toFieldIssues(parsed.error))
  return parsed.data
}

/** A cessata brings every comune back to green: its level is not the operator's to choose. */
export const CANCEL_LEVEL = 'verde'

/**
 * The draft as it stands, merged with an edit (texts and targets key by key).
 * A Cancel stays green: another level is refused.
 */
function mergeDraft(alert: Alert, patch: AlertDraftPatch): unknown {
  const parsed = alertDraftPatchSchema.safeParse(patch)
  if (!parsed.success) throw invalid(toFieldIssues(parsed.error))
  const p = parsed.data
  if (alert.msgType === 'Cancel' && p.level !== undefined && p.level !== CANCEL_LEVEL) {
    throw invalid([{ path: 'level', code: 'choice' }], 'A cessata is green in every comune')
  }
  return {
    kind: p.kind ?? alert.kind,
    level: alert.msgType === 'Cancel' ? CANCEL_LEVEL : (p.level ?? alert.level),
    comuni: p.comuni ?? alert.comuni,
    validFrom: p.validFrom ?? alert.validFrom,
    validTo: p.validTo ?? alert.validTo,
    headline: p.headline ?? alert.headline,
    description: p.description ?? alert.description,
    instruction: p.instruction ?? alert.instruction,
    texts: { ...alert.texts, ...p.texts },
    targets: { ...alert.targets, ...p.targets },
  }
}

/**
 * Alerts from draft to delivery: drafts and follow-ups, the preview, the
 * confirmation that fans out to the outbox, the cancel window, stop, retries
 * and the operator's answer to uncertain rows. Every action is audited with
 * the operator's name.
 */
export function createAlertsService(deps: AlertsServiceDeps) {
  const { db, audit } = deps
  const now = deps.now ?? Date.now
  const iso = (ms: number) => new Date(ms).toISOString()
  const mode: AlertMode = deps.mode ?? 'real'
  const alerts = createAlertsRepository(db)
  const outbox = createOutboxRepository(db)
  const accounts = createChannelAccountsRepository(db)
  const newIdentifier = deps.newIdentifier ?? newAlertIdentifier

  /** The latest confirmed version of the alert `alert` belongs to, other than itself. */
  const inForceOf = (alert: Alert): Alert | undefined =>
    versionInForce(alerts.versions(alert), alert.id)

  const planDeps = {
    versionInForce: inForceOf,
    ...(deps.recordings
      ? {
          recording: (alertId: number) => {
            const r = deps.recordings!.get(alertId)
            return r
              ? { seconds: r.seconds, problem: deps.recordings!.publishProblem(alertId) }
              : undefined
          },
        }
      : {}),
    account: (id: number) => accounts.get(id),
    resolveRecipients: deps.resolveRecipients,
    ...(deps.accountHealth ? { accountHealth: deps.accountHealth } : {}),
    ...(deps.relays ? { relays: deps.relays } : {}),
  }

  const emitAlert = (change: AlertChange) => safeEmit(deps.events?.alertChanged, change)
  const emitRows = (rows: OutboxRow[], at: number) =>
    rows.length > 0 &&
    safeEmit(
      deps.events?.rowsChanged,
      rows.map((r) => changeOf(r, at)),
    )

  function load(id: number): Alert {
    const alert = alerts.get(id)
    if (!alert) throw notFound(`alert ${id}`)
    return alert
  }

  function insertDraft(
    draft: AlertDraft,
    actor: string,
    msgType: Alert['msgType'],
    referencesAlertId: number | null,
    template?: string,
  ): Alert {
    const at = iso(now())
    const id = db.transaction(() => {
      const newId = alerts.createDraft({
        identifier: newIdentifier(),
        draft,
        msgType,
        referencesAlertId,
        mode,
        actor,
        now: at,
      })
      audit.record(actor, 'alerts.create', `alert:${newId}`, {
        msgType,
        kind: draft.kind,
        level: draft.level,
        headline: draft.headline,
        ...(referencesAlertId === null ? {} : { references: referencesAlertId }),
        ...(template === undefined ? {} : { template }),
      })
      return newId
    })()
    const alert = load(id)
    emitAlert({ alertId: id, status: alert.status, change: 'created' })
    return alert
  }

  function cancelWindowMs(options: ConfirmOptions): number {
    const seconds =
      options.cancelWindowSeconds ??
      deps.defaultCancelWindowSeconds ??
      DEFAULT_CANCEL_WINDOW_SECONDS
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_CANCEL_WINDOW_SECONDS) {
      throw invalid([
        {
          path: 'cancelWindowSeconds',
          code: 'range',
          params: { min: 0, max: MAX_CANCEL_WINDOW_SECONDS },
        },
      ])
    }
    return seconds * 1000
  }

  return {
    get: (id: number): Alert => load(id),

    /** Newest first. */
    list: (limit = 100): Alert[] => alerts.list(Math.min(Math.max(1, limit), 1000)),

    createDraft(input: AlertDraftInput, actor: string): Alert {
      const who = checkActor(actor)
      return insertDraft(parseDraft(input), who, 'Alert', null)
    },

    updateDraft(id: number, patch: AlertDraftPatch, actor: string): Alert {
      const who = checkActor(actor)
      const alert = load(id)
      if (alert.status !== 'draft')
        throw conflict(`alert ${id} was already confirmed: it can no longer be edited`)
      const draft = parseDraft(mergeDraft(alert, patch))
      db.transaction(() => {
        if (!alerts.updateDraft(id, draft, iso(now())))
          throw conflict(`alert ${id} is no longer a draft`)
        audit.record(who, 'alerts.update', `alert:${id}`, { fields: Object.keys(patch) })
      })()
      emitAlert({ alertId: id, status: 'draft', change: 'updated' })
      return load(id)
    },

    /**
     * A new version of a confirmed alert: an update, or its end ("cessata
     * allerta"). It starts from the version in force (the latest confirmed
     * version of the same alert, which it references: CAP msgType
     * Update/Cancel with `references`, replies in the same thread) with the
     * same kind, area and targets; level, comuni, validity, description and
     * instructions stay editable while it is a draft. Its texts are filled from
     * the aggiornamento or cessata template of the alert's kind. A Cancel is
     * green, runs from now (or from when the alert ran out) and never carries
     * the old words: without a cessata template its texts start empty.
     */
    createFollowUp(originalId: number, input: FollowUpInput, actor: string): Alert {
      const who = checkActor(actor)
      if (input.msgType !== 'Update' && input.msgType !== 'Cancel') {
        throw invalid([{ path: 'msgType', code: 'choice' }])
      }
      const original = load(originalId)
      if (original.status === 'draft' || original.status === 'cancelled') {
        throw conflict(`alert ${originalId} was never sent: edit it instead of following it up`)
      }
      const previous = versionInForce(alerts.versions(original)) ?? original
      const cancel = input.msgType === 'Cancel'
      let base: Alert = { ...previous, msgType: input.msgType }
      if (cancel) {
        const minute = Math.floor(now() / 60_000) * 60_000
        const from = Math.min(minute, Date.parse(previous.validTo))
        base = {
          ...base,
          level: CANCEL_LEVEL,
          validFrom: iso(from),
          validTo: iso(Math.max(Date.parse(previous.validTo), from + 3600_000)),
          texts: Object.fromEntries(
            Object.keys(previous.texts).map((k) => [k, '']),
          ) as Alert['texts'],
        }
      }
      const { texts: ownTexts, ...changes } = input.changes ?? {}
      let draft = parseDraft(mergeDraft(base, changes))
      const source = deps.followUpTemplates?.()
      const template = source && pickFollowUpTemplate(source.templates, draft.kind, input.msgType)
      if (template && source) {
        // The template speaks of this version: its kind and its (new) level.
        const { texts } = renderAlertTexts(
          { ...template, kind: draft.kind, level: draft.level },
          { ...draft, mode },
          source.extra,
        )
        draft = parseDraft({ ...draft, texts })
      }
      if (ownTexts) draft = parseDraft({ ...draft, texts: { ...draft.texts, ...ownTexts } })
      return insertDraft(draft, who, input.msgType, previous.id, template?.id ?? template?.name)
    },

    /**
     * Fills the draft's texts from a message template with the alert's own
     * values (comuni, validity, headline…) and the office's; the operator may
     * still edit them before confirming. Returns the template's preview issues.
     */
    applyTemplate(
      id: number,
      template: Template,
      extra: ExtraTemplateValues,
      actor: string,
    ): { alert: Alert; issues: TemplatePreview['issues'] } {
      const who = checkActor(actor)
      const alert = load(id)
      if (alert.status !== 'draft')
        throw conflict(`alert ${id} was already confirmed: it can no longer be edited`)
      // A follow-up's template speaks of the version itself: its kind and its level.
      const source =
        alert.msgType === 'Alert' ? template : { ...template, kind: alert.kind, level: alert.level }
      const { texts, preview } = renderAlertTexts(source, alert, extra)
      const draft = parseDraft(mergeDraft(alert, { texts }))
      db.transaction(() => {
        if (!alerts.updateDraft(id, draft, iso(now())))
          throw conflict(`alert ${id} is no longer a draft`)
        audit.record(who, 'alerts.apply_template', `alert:${id}`, {
          template: template.id ?? template.name,
        })
      })()
      emitAlert({ alertId: id, status: 'draft', change: 'updated' })
      return { alert: load(id), issues: preview.issues }
    },

    /** What confirming would send, with counters, recipients, cost and warnings. */
    preview(id: number): AlertPreview {
      return planSend(load(id), planDeps).preview
    },

    /**
     * The deliberate confirmation: writes every outbox row in one transaction
     * (nothing leaves yet) and opens the cancel window; the dispatcher claims
     * the rows once it closes. Refused while the preview has errors.
     */
    confirm(id: number, actor: string, options: ConfirmOptions = {}): ConfirmResult {
      const who = checkSender(actor)
      const windowMs = cancelWindowMs(options)
      const alert = load(id)
      if (alert.status !== 'draft') throw conflict(`alert ${id} was already confirmed`)
      const plan = planSend(alert, planDeps)
      if (!plan.preview.ok) {
        const codes = [
          ...plan.preview.warnings,
          ...plan.preview.accounts.flatMap((a) => a.warnings),
        ]
          .filter((w) => w.severity === 'error')
          .map((w) => w.code)
        throw conflict(`alert ${id} cannot be sent yet: ${[...new Set(codes)].join(', ')}`)
      }
      const at = now()
      const sendAfter = at + windowMs
      // Red before yellow, newer before older; a follow-up as urgent as what it follows.
      const priority = alertPriority(
        alert.level,
        at,
        alerts.referenceChain(alert).map((a) => a.level),
      )
      let rows = 0
      let replaced: OutboxRow[] = []
      const replacing =
        options.replacePrevious === true && alert.referencesAlertId !== null
          ? alert.referencesAlertId
          : null
      db.transaction(() => {
        if (!alerts.confirm(id, who, iso(at), sendAfter, options.callsAtNight === true))
          throw conflict(`alert ${id} was already confirmed`)
        if (replacing !== null) replaced = outbox.cancelQueued(replacing, at)
        const counts = fanOut(outbox, alert, plan.destinations, sendAfter, at, priority)
        for (const n of counts.values()) rows += n
        alerts.requestRelays(id, alert.targets.partnerIds, iso(at))
        outbox.insertRelayRows(
          plan.relayRows.map((r) => ({ ...r, alertId: id })),
          sendAfter,
          at,
          priority,
        )
        rows += plan.relayRows.length
        audit.record(who, 'alerts.confirm', `alert:${id}`, {
          rows,
          ...(plan.relayRows.length > 0 ? { relayRequests: plan.relayRows.length } : {}),
          cancelWindowSeconds: windowMs / 1000,
          ...(replacing === null ? {} : { replaces: replacing, replacedRows: replaced.length }),
          ...(options.callsAtNight === true ? { callsAtNight: true } : {}),
          accounts: Object.fromEntries(counts),
          estimatedCost: plan.preview.totals.estimatedCost,
        })
      }).immediate()
      emitAlert({ alertId: id, status: 'scheduled', change: 'confirmed' })
      if (replaced.length > 0) {
        emitRows(replaced, at)
        emitAlert({ alertId: replacing!, status: load(replacing!).status, change: 'replaced' })
      }
      deps.onQueued?.()
      return { alert: load(id), rows, preview: plan.preview, replacedRows: replaced.length }
    },

    /** Within the cancel window: every row cancelled, nothing sent. */
    cancel(id: number, actor: string): Alert {
      const who = checkActor(actor)
      const alert = load(id)
      const at = now()
      let cancelled: OutboxRow[] = []
      db.transaction(() => {
        if (!alerts.cancel(id, iso(at), at)) {
          throw conflict(
            alert.status === 'scheduled' || alert.status === 'sending'
              ? `the cancel window of alert ${id} has closed: stop it instead`
              : `alert ${id} is ${alert.status}: there is nothing to cancel`,
          )
        }
        cancelled = outbox.cancelQueued(id, at)
        audit.record(who, 'alerts.cancel', `alert:${id}`, { rows: cancelled.length })
      }).immediate()
      emitAlert({ alertId: id, status: 'cancelled', change: 'cancelled' })
      return load(id)
    },

    /** While sending: rows still queued are cancelled; rows in flight finish. */
    stop(id: number, actor: string): { alert: Alert; cancelledRows: number } {
      const who = checkActor(actor)
      const alert = load(id)
      const at = now()
      let cancelled: OutboxRow[] = []
      db.transaction(() => {
        if (!alerts.stop(id, iso(at)))
          throw conflict(`alert ${id} is ${alert.status}: it is not sending`)
        cancelled = outbox.cancelQueued(id, at)
        audit.record(who, 'alerts.stop', `alert:${id}`, { cancelledRows: cancelled.length })
      }).immediate()
      emitAlert({ alertId: id, status: 'stopped', change: 'stopped' })
      return { alert: load(id), cancelledRows: cancelled.length }
    },

    /** Puts the failed rows back in the queue (a fresh set of attempts). */
    retryFailed(id: number, actor: string, reason?: string): { alert: Alert; requeued: number } {
      const who = checkActor(actor)
      const alert = load(id)
      if (alert.status === 'draft' || alert.status === 'cancelled') {
        throw conflict(`alert ${id} is ${alert.status}: nothing was sent`)
      }
      const at = now()
      let rows: OutboxRow[] = []
      db.transaction(() => {
        rows = outbox.requeueFailed(id, at)
        if (rows.length > 0) alerts.reopen(id, iso(at))
        audit.record(who, 'alerts.retry', `alert:${id}`, {
          rows: rows.length,
          ...(reason?.trim() ? { reason: reason.trim() } : {}),
        })
      }).immediate()
      const after = load(id)
      if (rows.length > 0) {
        emitAlert({ alertId: id, status: after.status, change: 'retried' })
        deps.onQueued?.()
      }
      return { alert: after, requeued: rows.length }
    },

    /**
     * The operator's answer to a row whose fate is unknown after a crash:
     * `resend` queues it again, `mark_sent` records that it did go out.
     */
    resolveUncertain(rowId: number, action: 'resend' | 'mark_sent', actor: string): OutboxRow {
      const who = checkActor(actor)
      if (action !== 'resend' && action !== 'mark_sent')
        throw invalid([{ path: 'action', code: 'choice' }])
      const row = outbox.get(rowId)
      if (!row) throw notFound(`outbox row ${rowId}`)
      if (row.state !== 'uncertain') throw conflict(`row ${rowId} is ${row.state}, not uncertain`)
      const at = now()
      db.transaction(() => {
        const done =
          action === 'resend'
            ? outbox.requeueUncertain(rowId, at)
            : outbox.markSentByOperator(rowId, at)
        if (!done) throw conflict(`row ${rowId} changed meanwhile`)
        // A reply belongs to no alert: there is nothing to reopen.
        if (action === 'resend' && row.alertId !== null) alerts.reopen(row.alertId, iso(at))
        audit.record(
          who,
          action === 'resend' ? 'outbox.resend' : 'outbox.mark_sent',
          `outbox:${rowId}`,
          {
            alertId: row.alertId,
            accountId: row.accountId,
            ...(row.kind === 'alert' ? {} : { kind: row.kind }),
          },
        )
      }).immediate()
      const after = outbox.get(rowId) as OutboxRow
      emitRows([after], at)
      if (action === 'resend') deps.onQueued?.()
      return after
    },

    /** Counts per account and state, relay requests per partner, failures grouped by reason. */
    progress(id: number): AlertProgress {
      const alert = load(id)
      return buildProgress(
        alert,
        outbox.counts(id),
        outbox.failures(id),
        (accountId) => accounts.get(accountId)?.name ?? `#${accountId}`,
        outbox.relayCounts(id),
        (partnerId) => deps.relays?.partner(partnerId)?.name ?? `#${partnerId}`,
        outbox.warnings(id),
      )
    },

    /** A page of an alert's rows for the delivery board. */
    rows(
      id: number,
      filter: { state?: OutboxState; accountId?: number; afterId?: number; limit?: number } = {},
    ): OutboxRow[] {
      load(id)
      return outbox.page(id, filter)
    },

    relays(id: number): RelayRequest[] {
      load(id)
      return alerts.relays(id)
    },

    /** A partner confirmed it will relay, or the relay was seen on its page. */
    updateRelay(
      id: number,
      partnerId: number,
      status: 'confirmed' | 'seen',
      actor: string,
      note?: string,
    ): RelayRequest[] {
      const who = checkActor(actor)
      load(id)
      db.transaction(() => {
        if (!alerts.updateRelay(id, partnerId, status, iso(now()), note?.trim() || null)) {
          throw notFound(`relay request of partner ${partnerId} for alert ${id}`)
        }
        audit.record(who, `relays.${status}`, `alert:${id}`, { partnerId })
      })()
      return alerts.relays(id)
    },
  }
}

export type AlertsService = ReturnType<typeof createAlertsService>
