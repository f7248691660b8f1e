import { z } from 'zod'
import {
  citizenAssignSchema,
  citizenCategoriseSchema,
  citizenFamilySchema,
  citizenLinkAlertSchema,
  citizenPageQuerySchema,
  citizenSetStateSchema,
} from '../citizens/schemas'
import type {
  CitizenMessage,
  CitizenMessageDetail,
  CitizenPage,
  CitizensChangedEvent,
  CitizensReceivedEvent,
  CitizenStateCounts,
} from '../citizens/types'
import { CITIZEN_FAMILIES, CITIZEN_STATES } from '../citizens/types'
import { command, shaped } from './define'

const id = z.number().int().positive()
const nullableId = id.nullable()
const maybeText = z.string().nullable()

/** The fields of a citizen's message the inbox reads; the rest is typed by `CitizenMessage`. */
const messageShape = {
  id,
  family: z.enum(CITIZEN_FAMILIES),
  accountId: nullableId,
  externalId: z.string(),
  authorName: maybeText,
  text: z.string(),
  receivedAt: z.string(),
  state: z.enum(CITIZEN_STATES),
  assignedTo: maybeText,
  category: maybeText,
  alertId: nullableId,
  replyOutboxId: nullableId,
}
const MessageOut = shaped<CitizenMessage>(messageShape)

/** What citizens say back, and the room's triage of it. The actor is the connection's operator. */
export const citizensCommands = {
  'citizens:page': command(
    citizenPageQuerySchema,
    shaped<CitizenPage>({ items: z.array(MessageOut), nextCursor: maybeText }),
  ),
  'citizens:counts': command(
    z.strictObject({ family: citizenFamilySchema.optional() }),
    shaped<CitizenStateCounts>(
      Object.fromEntries(CITIZEN_STATES.map((state) => [state, z.number().int().min(0)])),
    ),
  ),
  'citizens:get': command(
    z.strictObject({ id }),
    shaped<CitizenMessageDetail>({
      ...messageShape,
      history: z.array(
        z.looseObject({ id, at: z.string(), actor: z.string(), action: z.string() }),
      ),
    }),
  ),
  'citizens:setState': command(citizenSetStateSchema.omit({ actor: true }), z.array(z.number())),
  'citizens:assign': command(citizenAssignSchema.omit({ actor: true }), z.array(z.number())),
  'citizens:categorise': command(
    citizenCategoriseSchema.omit({ actor: true }),
    z.array(z.number()),
  ),
  'citizens:linkAlert': command(citizenLinkAlertSchema.omit({ actor: true }), z.array(z.number())),
  /** An answer on the same channel, through the outbox. */
  'citizens:reply': command(
    z.strictObject({ id, text: z.string().max(10_000, { error: 'too_long' }) }),
    shaped<{ message: CitizenMessage; outboxId: number }>({ message: MessageOut, outboxId: id }),
  ),
}

export const citizensEvents = {
  'citizens:received': shaped<CitizensReceivedEvent>({ messages: z.array(MessageOut) }),
  'citizens:changed': shaped<CitizensChangedEvent>({ ids: z.array(id), actor: z.string() }),
}
