/**
 * What an operator may write into an alert draft. Pure (zod and shared code
 * only), so the contract can reuse it as the command's input schema.
 * Issue codes are the shared validation codes, so the UI translates them.
 */

import { z } from 'zod'
import {
  ALERT_KINDS,
  ALERT_LEVELS,
  type AlertKind,
  type AlertLevel,
} from '../templates/alert-kinds'
import { templateVariantsSchema, type TemplateVariant } from '../templates/template-schema'
import { isInstant, parseInstant, parseRomeInput } from '../time'

const id = z.number({ error: 'invalid' }).int({ error: 'invalid' }).positive({ error: 'invalid' })

const textField = (max: number) =>
  z
    .string({ error: 'invalid' })
    .trim()
    .refine((s) => s.length <= max, { error: 'too_long', params: { max } })

/**
 * An instant with its offset, or a bare wall time, which is read on Rome's
 * clock (never the computer's): the spring hour that does not exist is refused,
 * the autumn hour that happens twice is the first (see src/shared/time).
 */
const isoInstant = z
  .string({ error: 'invalid' })
  .trim()
  .transform((s, ctx) => {
    // One spelling in storage: UTC ISO, whatever offset the client used.
    if (isInstant(s)) return new Date(parseInstant(s)).toISOString()
    const wall = parseRomeInput(s)
    if (wall.ok) return wall.iso
    ctx.addIssue({
      code: 'custom',
      message: wall.code,
      ...(wall.params ? { params: wall.params } : {}),
    })
    return z.NEVER
  })

export const comuneRefSchema = z.strictObject({
  name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).pipe(textField(80)),
  /** ISTAT code, for CAP geocodes. */
  istatCode: z
    .string({ error: 'invalid' })
    .regex(/^\d{6}$/, { error: 'invalid' })
    .optional(),
})
export type ComuneRef = z.output<typeof comuneRefSchema>

const idList = (max: number) =>
  z
    .array(id, { error: 'invalid' })
    .refine((ids) => ids.length <= max, { error: 'too_long', params: { max } })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'duplicate' })
    .default([])

export const alertTargetsSchema = z.strictObject({
  /** Channel accounts: pages and profiles, and the SMS/e-mail/Telegram accounts lists go through. */
  accountIds: idList(100),
  /** Lists of people, reached through every people-channel account above. */
  listIds: idList(200),
  /** Partner schools asked to relay. */
  partnerIds: idList(50),
})
export type AlertTargets = z.output<typeof alertTargetsSchema>

const alertFields = {
  kind: z.enum(ALERT_KINDS, { error: 'choice' }),
  level: z.enum(ALERT_LEVELS, { error: 'choice' }),
  comuni: z
    .array(comuneRefSchema, { error: 'invalid' })
    .min(1, { error: 'required' })
    .refine((c) => c.length <= 50, { error: 'too_long', params: { max: 50 } }),
  validFrom: isoInstant,
  validTo: isoInstant,
  headline: z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .pipe(textField(160)),
  description: textField(4000).default(''),
  instruction: textField(4000).default(''),
  /** Final texts per template variant, as the operator approved them. */
  texts: templateVariantsSchema.prefault({}),
  targets: alertTargetsSchema.prefault({}),
}

const validityInOrder = (a: { validFrom: string; validTo: string }) => a.validTo > a.validFrom

/** A new draft, or a whole draft after merging an edit. */
export const alertDraftSchema = z.strictObject(alertFields).refine(validityInOrder, {
  path: ['validTo'],
  error: 'invalid',
  params: { detail: 'before_valid_from' },
})
export type AlertDraftInput = z.input<typeof alertDraftSchema>
export type AlertDraft = z.output<typeof alertDraftSchema>

/** An edit of a draft: any subset of the fields; texts and targets are merged key by key. */
export const alertDraftPatchSchema = z.strictObject({
  kind: alertFields.kind.optional(),
  level: alertFields.level.optional(),
  comuni: alertFields.comuni.optional(),
  validFrom: z.string().optional(),
  validTo: z.string().optional(),
  headline: z.string().optional(),
  description: z.string().optional(),
  instruction: z.string().optional(),
  texts: z.record(z.string(), z.string()).optional(),
  targets: z
    .strictObject({
      accountIds: z.array(z.number()).optional(),
      listIds: z.array(z.number()).optional(),
      partnerIds: z.array(z.number()).optional(),
    })
    .optional(),
})
export type AlertDraftPatch = z.input<typeof alertDraftPatchSchema>

export type AlertTexts = Record<TemplateVariant, string>
export type { AlertKind, AlertLevel }
