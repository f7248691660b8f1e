import { z } from 'zod'
import { normalizePhone } from './phone'
import { normalizeEmail } from './email'
import { normalizeTelegram } from './telegram'
import { isLanguageCode, normalizeLanguage } from './language'
import { parseDay } from './dates'
import { OPT_OUT_SCOPES, PARTNER_PAGE_KINDS, RELAY_MODES } from './types'

/*
 * Runtime schemas for what the UI and the CLI send to the core. Messages are
 * validation codes (src/shared/validation/issues.ts), translated by the UI.
 * They check; the core normalizes (E.164, lower-case e-mail…) when it saves.
 */

const blankToUndefined = (v: unknown): unknown =>
  typeof v === 'string' && v.trim() === '' ? undefined : v === null ? undefined : v

const text = (max: number) =>
  z
    .string({ error: 'invalid' })
    .trim()
    .refine((s) => s.length <= max, { error: 'too_long', params: { max } })

const requiredText = (max: number) => text(max).refine((s) => s.length > 0, { error: 'required' })

const optionalText = (max: number) => z.preprocess(blankToUndefined, text(max).optional())

const id = z.number({ error: 'number' }).int({ error: 'number' }).positive({ error: 'number' })

const isHttpUrl = (value: string): boolean => {
  try {
    const u = new URL(value)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0
  } catch {
    return false
  }
}

export const dayStringSchema = z
  .string({ error: 'invalid' })
  .refine((s) => parseDay(s) !== null, { error: 'invalid' })

export const consentInputSchema = z.strictObject({
  /** Where consent was collected: "modulo iscrizione 2024/25", "registro elettronico"… */
  source: requiredText(300),
  givenOn: z.preprocess(blankToUndefined, dayStringSchema.optional()),
})
export type ConsentInput = z.input<typeof consentInputSchema>

export const optOutInputSchema = z.strictObject({
  scope: z.enum(OPT_OUT_SCOPES, { error: 'choice' }),
  on: z.preprocess(blankToUndefined, dayStringSchema.optional()),
  channel: optionalText(200),
  reason: optionalText(500),
})
export type OptOutInput = z.input<typeof optOutInputSchema>

export const contactInputSchema = z.strictObject({
  name: requiredText(200),
  phones: z
    .array(
      z
        .string({ error: 'invalid' })
        .refine((s) => normalizePhone(s).valid, { error: 'invalid', params: { detail: 'phone' } }),
    )
    .max(10, { error: 'too_long' })
    .optional(),
  email: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'email' })
      .refine((s) => normalizeEmail(s) !== null, { error: 'email' })
      .optional(),
  ),
  telegram: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'invalid' })
      .refine((s) => normalizeTelegram(s) !== null, {
        error: 'invalid',
        params: { detail: 'telegram' },
      })
      .optional(),
  ),
  comuneId: id.nullable().optional(),
  roles: z.array(requiredText(100)).optional(),
  institution: optionalText(200),
  language: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'choice' })
      .refine((s) => normalizeLanguage(s) !== null, { error: 'choice' })
      .optional(),
  ),
  tags: z.array(requiredText(100)).optional(),
  notes: optionalText(2000),
  /**
   * WhatsApp's own yes: the day the person agreed (`YYYY-MM-DD`), or null when
   * they did not (or took it back). Left out, a saved contact keeps what it has.
   */
  whatsappOptInOn: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    dayStringSchema.nullable().optional(),
  ),
  /** Better reached by a call than by an SMS. Left out, a saved contact keeps what it has. */
  prefersCall: z.boolean({ error: 'invalid' }).optional(),
  consent: consentInputSchema.optional(),
})
export type ContactInput = z.input<typeof contactInputSchema>

/**
 * A saved filter for dynamic lists and for search. Fields combine with AND,
 * values inside a field with OR; an absent field does not filter.
 */
export const listFilterSchema = z.strictObject({
  comuneIds: z.array(id).optional(),
  roleIds: z.array(id).optional(),
  institutions: z.array(requiredText(200)).optional(),
  tags: z.array(requiredText(100)).optional(),
  languages: z
    .array(z.string({ error: 'choice' }).refine(isLanguageCode, { error: 'choice' }))
    .optional(),
})
export type ListFilter = z.infer<typeof listFilterSchema>

export const listInputSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('static'),
      name: requiredText(200),
      description: optionalText(1000),
      /** Members reached only by calls through this list. */
      callsOnly: z.boolean({ error: 'invalid' }).optional(),
    }),
    z.strictObject({
      kind: z.literal('dynamic'),
      name: requiredText(200),
      description: optionalText(1000),
      filter: listFilterSchema,
      callsOnly: z.boolean({ error: 'invalid' }).optional(),
    }),
  ],
  { error: 'choice' },
)
export type ListInput = z.input<typeof listInputSchema>

export const searchQuerySchema = z.strictObject({
  query: z.string({ error: 'invalid' }).max(200, { error: 'too_long' }).optional(),
  filter: listFilterSchema.optional(),
  limit: z.number({ error: 'number' }).int().min(1).max(500).optional(),
  cursor: z.string({ error: 'invalid' }).max(1000).optional(),
})
export type SearchQuery = z.input<typeof searchQuerySchema>

export const comuneInputSchema = z.strictObject({
  name: requiredText(100),
  istatCode: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'invalid' })
      .regex(/^\d{6}$/, { error: 'invalid' })
      .optional(),
  ),
  province: z.preprocess(blankToUndefined, text(50).optional()),
  /**
   * Regional alert zones as the DPC criticality bulletin names them ("Valdarno Inf.").
   * Left out of an update, the comune keeps the zones it has.
   */
  alertZones: z.array(requiredText(100)).max(10, { error: 'too_many' }).optional(),
})
export type ComuneInput = z.input<typeof comuneInputSchema>

export const roleInputSchema = z.strictObject({
  name: requiredText(100),
  labelEn: optionalText(100),
})
export type RoleInput = z.input<typeof roleInputSchema>

export const partnerPageInputSchema = z.strictObject({
  kind: z.enum(PARTNER_PAGE_KINDS, { error: 'choice' }),
  url: z.string({ error: 'url' }).trim().refine(isHttpUrl, { error: 'url' }),
  channelAccountId: id.nullable().optional(),
})

export const partnerInputSchema = z
  .strictObject({
    name: requiredText(200),
    relayMode: z.enum(RELAY_MODES, { error: 'choice' }),
    notes: optionalText(4000),
    pages: z.array(partnerPageInputSchema).max(50).optional(),
    adminContactIds: z.array(id).max(50).optional(),
  })
  // A direct post needs the page token they granted, kept as a channel account.
  .refine(
    (p) => p.relayMode !== 'direct_post' || (p.pages ?? []).some((page) => page.channelAccountId),
    { error: 'required', path: ['pages'] },
  )
export type PartnerInput = z.input<typeof partnerInputSchema>
