import type { Db } from '../db/open'
import type { AlertDraft, AlertTargets, AlertTexts, ComuneRef } from './alert-schema'
import type { AlertLevel } from '../../../shared/templates/alert-kinds'
import { TEMPLATE_VARIANTS } from '../../../shared/templates/template-schema'
import type { Alert, AlertMode, AlertMsgType, AlertStatus } from './types'

interface RawAlert {
  id: number
  identifier: string
  kind: string
  level: string
  comuni: string
  valid_from: string
  valid_to: string
  headline: string
  description: string
  instruction: string
  msg_type: AlertMsgType
  references_alert_id: number | null
  texts: string
  targets: string
  status: AlertStatus
  mode: AlertMode
  created_by: string
  created_at: string
  updated_at: string
  confirmed_by: string | null
  confirmed_at: string | null
  send_after: number | null
  finished_at: string | null
  calls_at_night: number
}

const COLUMNS = `id, identifier, kind, level, comuni, valid_from, valid_to, headline, description,
  instruction, msg_type, references_alert_id, texts, targets, status, mode, created_by, created_at,
  updated_at, confirmed_by, confirmed_at, send_after, finished_at, calls_at_night`

function toAlert(r: RawAlert): Alert {
  return {
    id: r.id,
    identifier: r.identifier,
    kind: r.kind as Alert['kind'],
    level: r.level as Alert['level'],
    comuni: JSON.parse(r.comuni) as ComuneRef[],
    validFrom: r.valid_from,
    validTo: r.valid_to,
    headline: r.headline,
    description: r.description,
    instruction: r.instruction,
    msgType: r.msg_type,
    referencesAlertId: r.references_alert_id,
    // Every variant present: a row saved before a variant existed (website_en) reads it as empty.
    texts: {
      ...(Object.fromEntries(TEMPLATE_VARIANTS.map((v) => [v, ''])) as AlertTexts),
      ...(JSON.parse(r.texts) as Partial<AlertTexts>),
    },
    targets: JSON.parse(r.targets) as AlertTargets,
    status: r.status,
    mode: r.mode,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
    sendAfter: r.send_after,
    finishedAt: r.finished_at,
    callsAtNight: r.calls_at_night === 1,
  }
}

export type RelayStatus = 'requested' | 'confirmed' | 'seen'

export interface RelayRequest {
  alertId: number
  partnerId: number
  status: RelayStatus
  requestedAt: string
  confirmedAt: string | null
  seenAt: string | null
  note: string | null
}

/** Alerts and their partner relay requests. */
export function createAlertsRepository(db: Db) {
  const insert = db.prepare<
    [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      AlertMsgType,
      number | null,
      string,
      string,
      AlertMode,
      string,
      string,
      string,
    ]
  >(
    `INSERT INTO alerts (identifier, kind, level, comuni, valid_from, valid_to, headline, description,
       instruction, msg_type, references_alert_id, texts, targets, status, mode, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?)`,
  )
  const update = db.prepare<
    [string, string, string, string, string, string, string, string, string, string, string, number]
  >(
    `UPDATE alerts SET kind = ?, level = ?, comuni = ?, valid_from = ?, valid_to = ?, headline = ?,
       description = ?, instruction = ?, texts = ?, targets = ?, updated_at = ?
     WHERE id = ? AND status = 'draft'`,
  )
  const get = db.prepare<[number], RawAlert>(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`)
  const family = db.prepare<[number], RawAlert>(
    `WITH RECURSIVE chain(id) AS (
       SELECT ? UNION SELECT a.id FROM alerts a JOIN chain c ON a.references_alert_id = c.id)
     SELECT ${COLUMNS} FROM alerts WHERE id IN (SELECT id FROM chain) ORDER BY id`,
  )
  const list = db.prepare<[number], RawAlert>(
    `SELECT ${COLUMNS} FROM alerts ORDER BY created_at DESC, id DESC LIMIT ?`,
  )
  const confirm = db.prepare<[string, string, number, number, string, number]>(
    `UPDATE alerts SET status = 'scheduled', confirmed_by = ?, confirmed_at = ?, send_after = ?,
       calls_at_night = ?, updated_at = ?
     WHERE id = ? AND status = 'draft'`,
  )
  const cancel = db.prepare<[string, string, number, number]>(
    `UPDATE alerts SET status = 'cancelled', finished_at = ?, updated_at = ?
     WHERE id = ? AND status = 'scheduled' AND send_after > ?`,
  )
  const stop = db.prepare<[string, string, number]>(
    `UPDATE alerts SET status = 'stopped', finished_at = ?, updated_at = ?
     WHERE id = ? AND status IN ('scheduled', 'sending')`,
  )
  const markSending = db.prepare<[string, number]>(
    `UPDATE alerts SET status = 'sending', updated_at = ? WHERE id = ? AND status = 'scheduled'`,
  )
  const markDone = db.prepare<[string, string, number, number]>(
    `UPDATE alerts SET status = 'done', finished_at = ?, updated_at = ?
     WHERE id = ? AND status IN ('scheduled', 'sending')
       AND NOT EXISTS (SELECT 1 FROM outbox WHERE alert_id = ?
         AND (state IN ('queued', 'sending')
           -- A call placed and not over yet may still need another try.
           OR (state = 'sent' AND call_attempt > 0)))`,
  )
  const reopen = db.prepare<[string, number]>(
    `UPDATE alerts SET status = 'sending', finished_at = NULL, updated_at = ?
     WHERE id = ? AND status IN ('done', 'stopped')`,
  )
  const recording = db.prepare<[number], { public_url: string | null; seconds: number }>(
    'SELECT public_url, seconds FROM alert_recordings WHERE alert_id = ?',
  )
  const sendsNow = db.prepare<
    [number],
    { valid_to: string; level: AlertLevel; calls_at_night: number }
  >(
    `SELECT valid_to, level, calls_at_night FROM alerts
     WHERE id = ? AND status IN ('scheduled', 'sending')`,
  )
  const active = db.prepare<[number], { id: number; status: AlertStatus }>(
    `SELECT id, status FROM alerts WHERE status IN ('scheduled', 'sending') AND send_after <= ?`,
  )
  const activeAccounts = db.prepare<[], { account_id: number }>(
    `SELECT DISTINCT CAST(j.value AS INTEGER) AS account_id
     FROM alerts a, json_each(a.targets, '$.accountIds') j
     WHERE a.status IN ('scheduled', 'sending')`,
  )
  const nextSendAfter = db.prepare<[number], { at: number | null }>(
    `SELECT min(send_after) AS at FROM alerts WHERE status = 'scheduled' AND send_after > ?`,
  )
  const insertRelay = db.prepare<[number, number, string]>(
    `INSERT OR IGNORE INTO relay_requests (alert_id, partner_id, status, requested_at) VALUES (?, ?, 'requested', ?)`,
  )
  const relays = db.prepare<
    [number],
    {
      alert_id: number
      partner_id: number
      status: RelayStatus
      requested_at: string
      confirmed_at: string | null
      seen_at: string | null
      note: string | null
    }
  >(
    `SELECT alert_id, partner_id, status, requested_at, confirmed_at, seen_at, note
     FROM relay_requests WHERE alert_id = ? ORDER BY partner_id`,
  )
  const relayConfirmed = db.prepare<[string, string | null, number, number]>(
    `UPDATE relay_requests SET status = 'confirmed', confirmed_at = ?, note = coalesce(?, note)
     WHERE alert_id = ? AND partner_id = ?`,
  )
  const relaySeen = db.prepare<[string, string, string | null, number, number]>(
    `UPDATE relay_requests SET status = 'seen', seen_at = ?, confirmed_at = coalesce(confirmed_at, ?),
       note = coalesce(?, note)
     WHERE alert_id = ? AND partner_id = ?`,
  )

  return {
    createDraft(a: {
      identifier: string
      draft: AlertDraft
      msgType: AlertMsgType
      referencesAlertId: number | null
      mode: AlertMode
      actor: string
      now: string
    }): number {
      const d = a.draft
      return Number(
        insert.run(
          a.identifier,
          d.kind,
          d.level,
          JSON.stringify(d.comuni),
          d.validFrom,
          d.validTo,
          d.headline,
          d.description,
          d.instruction,
          a.msgType,
          a.referencesAlertId,
          JSON.stringify(d.texts),
          JSON.stringify(d.targets),
          a.mode,
          a.actor,
          a.now,
          a.now,
        ).lastInsertRowid,
      )
    },

    /** Rewrites a draft; false when it is no longer a draft. */
    updateDraft(id: number, d: AlertDraft, now: string): boolean {
      return (
        update.run(
          d.kind,
          d.level,
          JSON.stringify(d.comuni),
          d.validFrom,
          d.validTo,
          d.headline,
          d.description,
          d.instruction,
          JSON.stringify(d.texts),
          JSON.stringify(d.targets),
          now,
          id,
        ).changes > 0
      )
    },

    get(id: number): Alert | undefined {
      const r = get.get(id)
      return r && toAlert(r)
    },

    list(limit = 100): Alert[] {
      return list.all(limit).map(toAlert)
    },

    confirm(
      id: number,
      actor: string,
      now: string,
      sendAfter: number,
      callsAtNight = false,
    ): boolean {
      return confirm.run(actor, now, sendAfter, callsAtNight ? 1 : 0, now, id).changes > 0
    },

    /** Cancels a scheduled alert whose window is still open at `nowMs`. */
    cancel(id: number, now: string, nowMs: number): boolean {
      return cancel.run(now, now, id, nowMs).changes > 0
    },

    stop(id: number, now: string): boolean {
      return stop.run(now, now, id).changes > 0
    },

    markSending(id: number, now: string): boolean {
      return markSending.run(now, id).changes > 0
    },

    /** Marks the alert done when none of its rows is queued or in flight. */
    markDoneIfFinished(id: number, now: string): boolean {
      return markDone.run(now, now, id, id).changes > 0
    },

    /** A finished alert goes back to sending when the operator requeues rows. */
    reopen(id: number, now: string): boolean {
      return reopen.run(now, id).changes > 0
    },

    /**
     * Whether the alert may still send (scheduled or sending), read before every
     * request: a Stop committed a moment ago is seen by the very next send.
     * Returns its validity end (epoch ms, NaN when unreadable), or null once stopped.
     */
    /** The recording an alert's calls play: where it was published, and how long it plays. */
    recording(id: number): { publicUrl: string | null; seconds: number } | undefined {
      const r = recording.get(id)
      return r ? { publicUrl: r.public_url, seconds: r.seconds } : undefined
    },

    sendsNow(id: number): { validTo: number; level: AlertLevel; callsAtNight: boolean } | null {
      const r = sendsNow.get(id)
      return r
        ? { validTo: Date.parse(r.valid_to), level: r.level, callsAtNight: r.calls_at_night === 1 }
        : null
    },

    /** Scheduled or sending alerts whose cancel window has passed. */
    active(nowMs: number): { id: number; status: AlertStatus }[] {
      return active.all(nowMs)
    },

    /** Every account targeted by a scheduled or sending alert. */
    activeAccountIds(): number[] {
      return activeAccounts.all().map((r) => r.account_id)
    },

    /** When the next cancel window closes (epoch ms), if any is open. */
    nextSendAfter(nowMs: number): number | null {
      return nextSendAfter.get(nowMs)?.at ?? null
    },

    /** The earlier messages this one refers to, oldest first (CAP `references`). */
    referenceChain(alert: Alert): Alert[] {
      const chain: Alert[] = []
      const seen = new Set<number>([alert.id])
      let nextId = alert.referencesAlertId
      while (nextId !== null && !seen.has(nextId)) {
        seen.add(nextId)
        const previous = this.get(nextId)
        if (!previous) break
        chain.unshift(previous)
        nextId = previous.referencesAlertId
      }
      return chain
    },

    /**
     * Every version of the alert `alert` belongs to: the first one and all the
     * follow-ups of it and of each other, oldest first.
     */
    versions(alert: Alert): Alert[] {
      const root = this.referenceChain(alert)[0]?.id ?? alert.id
      return family.all(root).map(toAlert)
    },

    requestRelays(alertId: number, partnerIds: readonly number[], now: string): void {
      for (const p of partnerIds) insertRelay.run(alertId, p, now)
    },

    relays(alertId: number): RelayRequest[] {
      return relays.all(alertId).map((r) => ({
        alertId: r.alert_id,
        partnerId: r.partner_id,
        status: r.status,
        requestedAt: r.requested_at,
        confirmedAt: r.confirmed_at,
        seenAt: r.seen_at,
        note: r.note,
      }))
    },

    /** A partner said it will relay (`confirmed`) or the relay was seen on its page (`seen`). */
    updateRelay(
      alertId: number,
      partnerId: number,
      status: 'confirmed' | 'seen',
      now: string,
      note: string | null,
    ): boolean {
      const run =
        status === 'confirmed'
          ? relayConfirmed.run(now, note, alertId, partnerId)
          : relaySeen.run(now, now, note, alertId, partnerId)
      return run.changes > 0
    },
  }
}

export type AlertsRepository = ReturnType<typeof createAlertsRepository>
