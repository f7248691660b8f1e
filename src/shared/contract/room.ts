import { z } from 'zod'
import { RoomLayout } from '../room/layout'
import { command } from './define'

export const JournalEntry = z.object({
  /** `a<id>` for automatic actions (audit log), `n<id>` for notes and handovers. */
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  kind: z.enum(['action', 'note', 'handover']),
  /** Audit action code (`channels.create`…) or the note's text. */
  text: z.string(),
  subject: z.string().nullable(),
  detail: z.unknown(),
})
export type JournalEntry = z.infer<typeof JournalEntry>

export const Handover = z.strictObject({
  to: z.string().trim().min(2, { error: 'required' }).max(60, { error: 'too_long' }),
  notes: z.string().trim().max(4000, { error: 'too_long' }).default(''),
  openItems: z.array(z.string().trim().min(1).max(300)).max(50).default([]),
})

export const roomCommands = {
  /** The operator's saved layout, or null when they have none yet. */
  'room:getLayout': command(z.strictObject({}), RoomLayout.nullable()),
  'room:saveLayout': command(z.strictObject({ layout: RoomLayout }), RoomLayout),
  'journal:list': command(
    z.strictObject({
      limit: z.number().int().min(1).max(500).default(100),
      before: z.string().optional(),
    }),
    z.array(JournalEntry),
  ),
  'journal:addNote': command(
    z.strictObject({
      text: z.string().trim().min(1, { error: 'required' }).max(4000, { error: 'too_long' }),
    }),
    JournalEntry,
  ),
  'journal:handover': command(Handover, JournalEntry),
}

export const roomEvents = {
  'journal:added': JournalEntry,
}
