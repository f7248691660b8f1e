import { z } from 'zod'
import type { OutboxRow, RowChange } from '../alerts/outbox'
import { OUTBOX_STATES } from '../alerts/outbox'
import type { Alert, AlertChange } from '../alerts/types'
import type { AlertPreview, AlertProgress } from '../alerts/views'
import type { PreviewIssue } from '../templates/preview'
import { command } from './define'

const id = z.number().int().positive()
const out = <T>() => z.custom<T>()

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
    out<Alert[]>(),
  ),
  'alerts:get': command(z.strictObject({ id }), out<Alert>()),
  /** The draft is checked by the core, which answers with field issues. */
  'alerts:createDraft': command(z.strictObject({ draft: z.unknown() }), out<Alert>()),
  'alerts:updateDraft': command(z.strictObject({ id, patch: z.unknown() }), out<Alert>()),
  /** An update or a "cessata allerta" that references an earlier alert on every channel. */
  'alerts:followUp': command(
    z.strictObject({ id, msgType: z.enum(['Update', 'Cancel']), changes: z.unknown().optional() }),
    out<Alert>(),
  ),
  /** Fills the per-channel texts from a template with the alert's values and the workspace settings. */
  'alerts:applyTemplate': command(
    z.strictObject({ id, templateId: z.string().min(1).max(64) }),
    out<{ alert: Alert; issues: PreviewIssue[] }>(),
  ),
  'alerts:preview': command(z.strictObject({ id }), out<AlertPreview>()),
  'alerts:confirm': command(
    z.strictObject({
      id,
      confirmation: z.literal(CONFIRM_WORD, { error: 'invalid' }),
      cancelWindowSeconds: z.number().int().min(0).max(600).optional(),
      /** An update or cancellation that replaces the earlier message: its rows still queued are cancelled. */
      replacePrevious: z.boolean().optional(),
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
    out<{ alert: Alert; rows: number; replacedRows?: number }>(),
  ),
  'alerts:cancel': command(z.strictObject({ id }), out<Alert>()),
  'alerts:stop': command(z.strictObject({ id }), out<{ alert: Alert; cancelledRows: number }>()),
  'alerts:retryFailed': command(
    z.strictObject({ id, reason: z.string().max(500).optional() }),
    out<{ alert: Alert; requeued: number }>(),
  ),
  'alerts:resolveUncertain': command(
    z.strictObject({ rowId: id, action: z.enum(['resend', 'mark_sent']) }),
    out<OutboxRow>(),
  ),
  'alerts:progress': command(z.strictObject({ id }), out<AlertProgress>()),
  'alerts:rows': command(
    z.strictObject({
      id,
      state: z.enum(OUTBOX_STATES).optional(),
      accountId: id.optional(),
      afterId: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    out<OutboxRow[]>(),
  ),
  'alerts:relays': command(z.strictObject({ id }), out<RelayView[]>()),
  'alerts:updateRelay': command(
    z.strictObject({
      id,
      partnerId: id,
      status: z.enum(['confirmed', 'seen']),
      note: z.string().max(500).optional(),
    }),
    out<RelayView[]>(),
  ),
}

export const alertsEvents = {
  /** Outbox rows changed state (already batched by the dispatcher). */
  'outbox:rows': out<RowChange[]>(),
  'alerts:changed': out<AlertChange>(),
}
