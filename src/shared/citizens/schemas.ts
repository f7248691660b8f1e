import { z } from 'zod'
import { CITIZEN_CATEGORIES, CITIZEN_FAMILIES, CITIZEN_STATES } from './types'

/**
 * Runtime schemas of the citizens' inbox commands, checked at the boundary
 * (IPC, WebSocket, CLI) before the core sees a payload. Messages carry our
 * validation codes so the UI can translate them.
 */

export const citizenFamilySchema = z.enum(CITIZEN_FAMILIES, { error: 'choice' })
export const citizenStateSchema = z.enum(CITIZEN_STATES, { error: 'choice' })
export const citizenCategorySchema = z.enum(CITIZEN_CATEGORIES, { error: 'choice' })

/** Opaque keyset cursor: `<receivedAt ISO>|<id>`, as returned in `CitizenPage.nextCursor`. */
const CURSOR_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\|[1-9]\d{0,15}$/

export interface CitizenCursor {
  receivedAt: string
  id: number
}

/** The cursor string for the last row of a page. */
export function encodeCitizenCursor(cursor: CitizenCursor): string {
  return `${cursor.receivedAt}|${cursor.id}`
}

/** Reads a cursor; undefined when it is not one we produced. */
export function decodeCitizenCursor(value: string): CitizenCursor | undefined {
  if (!CURSOR_RE.test(value)) return undefined
  const [receivedAt, id] = value.split('|') as [string, string]
  return { receivedAt, id: Number(id) }
}

const operator = z
  .string({ error: 'required' })
  .trim()
  .min(1, { error: 'required' })
  .max(100, { error: 'too_long' })
const ids = z
  .array(z.number().int().positive(), { error: 'invalid' })
  .min(1, { error: 'required' })
  .max(1000, { error: 'too_long' })

/** Most rows one page returns. */
export const MAX_PAGE_LIMIT = 500

export const citizenPageQuerySchema = z.strictObject({
  limit: z
    .number()
    .int()
    .min(1, { error: 'range' })
    .max(MAX_PAGE_LIMIT, { error: 'range' })
    .default(50),
  cursor: z.string().regex(CURSOR_RE, { error: 'invalid' }).nullish(),
  state: citizenStateSchema.optional(),
  family: citizenFamilySchema.optional(),
  accountId: z.number().int().positive().optional(),
  /** Operator name; `null` means "not assigned to anyone". */
  assignedTo: operator.nullable().optional(),
  category: citizenCategorySchema.optional(),
  /** Words to find in the text, the author's name or handle (prefix match, any order). */
  query: z.string().max(200, { error: 'too_long' }).optional(),
})
export type CitizenPageQuery = z.input<typeof citizenPageQuerySchema>

export const citizenSetStateSchema = z.strictObject({
  ids,
  state: citizenStateSchema,
  actor: operator,
})
export type CitizenSetStateInput = z.input<typeof citizenSetStateSchema>

export const citizenAssignSchema = z.strictObject({
  ids,
  operator: operator.nullable(),
  actor: operator,
})
export type CitizenAssignInput = z.input<typeof citizenAssignSchema>

export const citizenCategoriseSchema = z.strictObject({
  ids,
  category: citizenCategorySchema.nullable(),
  actor: operator,
})
export type CitizenCategoriseInput = z.input<typeof citizenCategoriseSchema>

export const citizenLinkAlertSchema = z.strictObject({
  ids,
  alertId: z.number().int().positive().nullable(),
  actor: operator,
})
export type CitizenLinkAlertInput = z.input<typeof citizenLinkAlertSchema>

/** A reply longer than any channel takes is refused here; the family's own limit is checked in the core. */
export const citizenReplySchema = z.strictObject({
  id: z.number().int().positive(),
  text: z.string().trim().min(1, { error: 'empty' }).max(10_000, { error: 'too_long' }),
  actor: operator,
})
export type CitizenReplyInput = z.input<typeof citizenReplySchema>

export const citizenIdSchema = z.strictObject({ id: z.number().int().positive() })
