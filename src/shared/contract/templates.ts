import { z } from 'zod'
import { ALERT_KINDS, ALERT_LEVELS, TEMPLATE_VARIANTS } from '../templates'
import { command } from './define'

const id = z.string().min(1).max(64)
const variants = z.record(z.enum(TEMPLATE_VARIANTS), z.string())

export const TemplateView = z.object({
  id,
  name: z.string(),
  kind: z.enum(ALERT_KINDS),
  level: z.enum(ALERT_LEVELS),
  variants: z.record(z.string(), z.string()),
  builtin: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type TemplateView = z.infer<typeof TemplateView>

/** The shape only; the core checks names, variables and lengths and answers with field issues. */
export const SaveTemplate = z.object({
  id: id.optional(),
  name: z.string(),
  kind: z.string(),
  level: z.string(),
  variants: variants.or(z.record(z.string(), z.string())),
})

export const templatesCommands = {
  'templates:list': command(z.strictObject({}), z.array(TemplateView)),
  'templates:get': command(z.strictObject({ id }), TemplateView),
  'templates:save': command(SaveTemplate, TemplateView),
  'templates:delete': command(z.strictObject({ id }), z.object({ id })),
}

export const templatesEvents = {
  'templates:changed': z.object({ id, change: z.enum(['created', 'updated', 'deleted']) }),
}
