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
import { command } from './define'

const out = <T>() => z.custom<T>()
const id = z.number().int().positive()

/** What citizens say back, and the room's triage of it. The actor is the connection's operator. */
export const citizensCommands = {
  'citizens:page': command(citizenPageQuerySchema, out<CitizenPage>()),
  'citizens:counts': command(
    z.strictObject({ family: citizenFamilySchema.optional() }),
    out<CitizenStateCounts>(),
  ),
  'citizens:get': command(z.strictObject({ id }), out<CitizenMessageDetail>()),
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
    out<{ message: CitizenMessage; outboxId: number }>(),
  ),
}

export const citizensEvents = {
  'citizens:received': out<CitizensReceivedEvent>(),
  'citizens:changed': out<CitizensChangedEvent>(),
}
