import { z } from 'zod'
import { CITIZEN_FAMILIES } from '../../../shared/citizens/types'

const id = z.number({ error: 'invalid' }).int({ error: 'invalid' }).positive({ error: 'invalid' })
const token = (max: number) =>
  z
    .string({ error: 'required' })
    .trim()
    .min(1, { error: 'required' })
    .refine((s) => s.length <= max, { error: 'too_long', params: { max } })

/** Long enough for any channel's longest message (e-mail), short enough to refuse a paste accident. */
export const MAX_REPLY_LENGTH = 20_000

/**
 * A reply as the citizens' inbox hands it to the outbox (its `ReplyRequest`),
 * checked again here: the outbox stores what it is given and sends it later.
 */
export const replyRequestSchema = z.object({
  messageId: id,
  family: z.enum(CITIZEN_FAMILIES, { error: 'choice' }),
  accountId: id,
  destination: z.discriminatedUnion(
    'type',
    [
      z.object({
        type: z.literal('person'),
        address: token(320),
        name: z.string().trim().max(500).optional(),
      }),
      z.object({ type: z.literal('page') }),
    ],
    { error: 'invalid' },
  ),
  inReplyTo: token(512).optional(),
  text: z
    .string({ error: 'required' })
    .refine((s) => s.trim() !== '', { error: 'required' })
    .refine((s) => s.length <= MAX_REPLY_LENGTH, {
      error: 'too_long',
      params: { max: MAX_REPLY_LENGTH },
    }),
  idempotencyKey: token(256),
})

export type ValidReplyRequest = z.output<typeof replyRequestSchema>
