import { z } from 'zod'
import type { OutboxRow, RowChange } from '../alerts/outbox'
import { OUTBOX_STATES } from '../alerts/outbox'
import type { Alert, AlertChange } from '../alerts/types'
import type { AlertPreview, AlertProgress } from '../alerts/views'
import type { PreviewIssue } from '../templates/preview'
import { command, shaped, shapedList } from './define'

const id = z.number().int().positive()
const nullableId = id.nullable()
const text = z.string()

/** The fields of an alert every screen reads; the rest is typed by `Alert`. */
const alertShape = {
  id,
  identifier: text,
  kind: text,
  level: text,
  comuni: z.array(z.looseObject({ name: text })),
  validFrom: text,
  validTo: text,
  headline: text,
  msgType: text,
  referencesAlertId: nullableId,
  texts: z.looseObject({}),
  targets: z.looseObject({}),
  status: text,
  mode: z.enum(['real', 'drill']),
  createdBy: text,
  createdAt: text,
  updatedAt: text,
  sendAfter: z.number().nullable(),
}
const AlertOut = shaped<Alert>(alertShape)
const rowShape = {
  id,
  kind: text,
  alertId: nullableId,
  accountId: id,
  state: z.enum(OUTBOX_STATES),
  attempts: z.number().int().min(0),
}
const OutboxRowOut = shaped<OutboxRow>({
  ...rowShape,
  contactId: nullableId,
  destinationType: z.enum(['person', 'page']),
  address: text,
})
const relaysOut = shapedList<RelayView>({
  partnerId: id,
  partnerName: text,
  status: z.enum(['requested', 'confirmed', 'seen']),
  requestedAt: text,
  confirmedAt: text.nullable(),
  seenAt: text.nullable(),
  note: text.nullable(),
})
const withAlert = <T>(more: z.ZodRawShape) => shaped<T>({ alert: AlertOut, ...more })

/** The word the operator types to send: a deliberate act, not a stray click. */
export const CONFIRM_WORD = 'INVIA'

export interface RelayView {
  partnerId: number
  partnerName: string
  status: 'requested' | 'confirmed' | 'seen'
  requestedAt: string
  confirmedAt: string | null
  seenAt: string | null
  note: string | null
}

export const alertsCommands = {
  'alerts:list': command(
    z.strictObject({ limit: z.number().int().min(1).max(1000).default(100) }),
    shapedList<Alert>(alertShape),
  ),
  'alerts:get': command(z.strictObject({ id }), AlertOut),
  /** The draft is checked by the core, which answers with field issues. */
  'alerts:createDraft': command(z.strictObject({ draft: z.unknown() }), AlertOut),
  'alerts:updateDraft': command(z.strictObject({ id, patch: z.unknown() }), AlertOut),
  /** An update or a "cessata allerta" that references an earlier alert on every channel. */
  'alerts:followUp': command(
    z.strictObject({ id, msgType: z.enum(['Update', 'Cancel']), changes: z.unknown().optional() }),
    AlertOut,
  ),
  /** Fills the per-channel texts from a template with the alert's values and the workspace settings. */
  'alerts:applyTemplate': command(
    z.strictObject({ id, templateId: z.string().min(1).max(64) }),
    withAlert<{ alert: Alert; issues: PreviewIssue[] }>({
      issues: z.array(z.looseObject({ path: text, code: text, severity: text })),
    }),
  ),
  /** The recording a draft's calls play instead of the spoken text (WAV or MP3, at most 10 MiB). */
  'alerts:setRecording': command(
    z.strictObject({
      id,
      fileName: z.string().max(300),
      content: z.string().max(15_000_000, { error: 'too_long' }),
    }),
    z.looseObject({ fileName: z.string(), format: z.enum(['wav', 'mp3']), seconds: z.number() }),
  ),
  'alerts:removeRecording': command(z.strictObject({ id }), z.object({ id })),
  /** The draft's recording, with its bytes for the composer's player; null without one. */
  'alerts:recording': command(
    z.strictObject({ id }),
    z
      .looseObject({
        fileName: z.string(),
        format: z.enum(['wav', 'mp3']),
        seconds: z.number(),
        mimeType: z.string(),
        content: z.string(),
      })
      .nullable(),
  ),
  'alerts:preview': command(
    z.strictObject({ id }),
    shaped<AlertPreview>({
      alertId: id,
      accounts: z.array(z.looseObject({})),
      relays: z.array(z.looseObject({})),
      warnings: z.array(z.looseObject({})),
      totals: z.looseObject({
        messages: z.number(),
        smsSegments: z.number(),
        estimatedCost: z.number(),
      }),
    }),
  ),
  'alerts:confirm': command(
    z.strictObject({
      id,
      confirmation: z.literal(CONFIRM_WORD, { error: 'invalid' }),
      cancelWindowSeconds: z.number().int().min(0).max(600).optional(),
      /** An update or cancellation that replaces the earlier message: its rows still queued are cancelled. */
      replacePrevious: z.boolean().optional(),
      /** Call at once even in the voice accounts' night hours (a yellow alert that cannot wait). */
      callsAtNight: z.boolean().optional(),
      /**
       * Who sends it (the name on duty at this desk, or typed in the confirm box): the audit
       * records it. Without it the connection's name counts; the unnamed default is refused.
       */
      operator: z
        .string()
        .trim()
        .min(2, { error: 'required' })
        .max(60, { error: 'too_long' })
        .optional(),
    }),
    withAlert<{ alert: Alert; rows: number; replacedRows?: number }>({
      rows: z.number().int().min(0),
      replacedRows: z.number().int().min(0).optional(),
    }),
  ),
  'alerts:cancel': command(z.strictObject({ id }), AlertOut),
  'alerts:stop': command(
    z.strictObject({ id }),
    withAlert<{ alert: Alert; cancelledRows: number }>({ cancelledRows: z.number().int().min(0) }),
  ),
  'alerts:retryFailed': command(
    z.strictObject({ id, reason: z.string().max(500).optional() }),
    withAlert<{ alert: Alert; requeued: number }>({ requeued: z.number().int().min(0) }),
  ),
  'alerts:resolveUncertain': command(
    z.strictObject({ rowId: id, action: z.enum(['resend', 'mark_sent']) }),
    OutboxRowOut,
  ),
  'alerts:progress': command(
    z.strictObject({ id }),
    shaped<AlertProgress>({
      alertId: id,
      status: text,
      sendAfter: z.number().nullable(),
      accounts: z.array(z.looseObject({})),
    }),
  ),
  'alerts:rows': command(
    z.strictObject({
      id,
      state: z.enum(OUTBOX_STATES).optional(),
      accountId: id.optional(),
      afterId: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    z.array(OutboxRowOut),
  ),
  'alerts:relays': command(z.strictObject({ id }), relaysOut),
  'alerts:updateRelay': command(
    z.strictObject({
      id,
      partnerId: id,
      status: z.enum(['confirmed', 'seen']),
      note: z.string().max(500).optional(),
    }),
    relaysOut,
  ),
}

export const alertsEvents = {
  /** Outbox rows changed state (already batched by the dispatcher). */
  'outbox:rows': shapedList<RowChange>(rowShape),
  'alerts:changed': shaped<AlertChange>({ alertId: id, status: text, change: text }),
}
