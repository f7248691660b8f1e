/**
 * The message template: one text per channel family for one kind and level of
 * alert. An empty variant means the template does not use that channel.
 */

import { z } from 'zod'
import type { ChannelFamily } from '../channels/kinds'
import { ALERT_KINDS, ALERT_LEVELS } from './alert-kinds'

export const TEMPLATE_VARIANTS = [
  'sms',
  'email_subject',
  'email_body',
  'telegram',
  'facebook',
  'x',
  'mastodon',
  'bluesky',
  'website',
  'voice',
  'website_en',
] as const
export type TemplateVariant = (typeof TEMPLATE_VARIANTS)[number]

/**
 * The channel family whose counter and limits apply to each variant. WhatsApp
 * has none: it sends the template WhatsApp approved, filled with the alert's
 * fields (alerts/whatsapp-preview.ts).
 */
export const VARIANT_FAMILY: Record<TemplateVariant, ChannelFamily> = {
  sms: 'sms',
  email_subject: 'email',
  email_body: 'email',
  telegram: 'telegram',
  facebook: 'facebook',
  x: 'x',
  mastodon: 'mastodon',
  bluesky: 'bluesky',
  website: 'website',
  voice: 'voice',
  website_en: 'website',
}

/**
 * The English texts of a template, each the English twin of the Italian variant
 * of the same channel (`website_en` of `website`): the same template, the same
 * meaning, filled with English values ({@link ENGLISH_VARIANTS}). The website
 * publishes it as the CAP `en-GB` info: first paragraph the headline, then the
 * description, and from a paragraph "What to do:" on the instruction.
 */
export const ENGLISH_VARIANTS: ReadonlySet<TemplateVariant> = new Set(['website_en'])

/** True for a variant written in English (filled with English dates, kinds and levels). */
export function isEnglishVariant(variant: TemplateVariant): boolean {
  return ENGLISH_VARIANTS.has(variant)
}

/**
 * Most characters a variant may hold before rendering: a storage bound against
 * pasted junk, not the channel limit (that one is checked on the rendered text).
 */
export const VARIANT_MAX_LENGTH: Record<TemplateVariant, number> = {
  sms: 2000,
  email_subject: 300,
  email_body: 20000,
  telegram: 4096,
  facebook: 20000,
  x: 1000,
  mastodon: 2000,
  bluesky: 1000,
  website: 50000,
  voice: 5000,
  website_en: 50000,
}

const variantText = (max: number): z.ZodDefault<z.ZodString> =>
  z
    .string({ error: 'invalid' })
    .refine((s) => s.length <= max, { error: 'too_long', params: { max } })
    .default('')

const variantsShape = Object.fromEntries(
  TEMPLATE_VARIANTS.map((v) => [v, variantText(VARIANT_MAX_LENGTH[v])]),
) as Record<TemplateVariant, z.ZodDefault<z.ZodString>>

export const templateVariantsSchema = z.strictObject(variantsShape)

export const templateSchema = z.object({
  /** Stable id: a slug for the defaults (`neve-arancione`), whatever the store assigns otherwise. */
  id: z
    .string({ error: 'invalid' })
    .trim()
    .min(1, { error: 'required' })
    .refine((s) => s.length <= 64, { error: 'too_long', params: { max: 64 } })
    .optional(),
  name: z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .refine((s) => s.length <= 120, { error: 'too_long', params: { max: 120 } }),
  kind: z.enum(ALERT_KINDS, { error: 'choice' }),
  level: z.enum(ALERT_LEVELS, { error: 'choice' }),
  variants: templateVariantsSchema,
})

/** A template as stored and edited (variants always present after parsing). */
export type Template = z.output<typeof templateSchema>
/** A template as typed by a client: variants may be left out. */
export type TemplateInput = z.input<typeof templateSchema>

/** The shape of resources/templates/default-templates.json. */
export const templateFileSchema = z.object({
  schemaVersion: z.literal(1),
  templates: z.array(templateSchema),
})
export type TemplateFile = z.output<typeof templateFileSchema>
