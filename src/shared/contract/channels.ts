import { z } from 'zod'
import { CHANNEL_KINDS } from '../channels/kinds'
import { command } from './define'

const id = z.number().int().positive()
const accountName = z.string().trim().min(1, { error: 'required' }).max(80, { error: 'too_long' })
/** Secret values are write-only: a string sets it, `null` clears it, absence keeps it. */
/** A connection check's parameters: names, hosts, codes and the provider's own words. */
const checkParams = z.record(z.string(), z.union([z.string(), z.number()]))
const secretsInput = z.record(z.string(), z.string().max(4096, { error: 'too_long' }).nullable())

export const ChannelAccountView = z.object({
  id,
  kind: z.enum(CHANNEL_KINDS),
  name: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()),
  /** Which secrets are stored, never their values. */
  secrets: z.record(z.string(), z.boolean()),
  createdAt: z.string(),
  updatedAt: z.string(),
  health: z
    .object({
      lastCheckAt: z.string().nullable(),
      lastCheckOk: z.boolean().nullable(),
      lastCheckMessage: z.string().nullable(),
      /** The result as a code the room words in its language (see shared/channels/check-results). */
      lastCheckCode: z.string().nullable(),
      lastCheckParams: checkParams.nullable(),
      lastSuccessAt: z.string().nullable(),
      lastErrorAt: z.string().nullable(),
      lastError: z.string().nullable(),
    })
    .nullable(),
})
export type ChannelAccountView = z.infer<typeof ChannelAccountView>

export const CreateChannelAccount = z.strictObject({
  kind: z.enum(CHANNEL_KINDS, { error: 'choice' }),
  name: accountName,
  enabled: z.boolean().default(true),
  settings: z.record(z.string(), z.unknown()),
  secrets: secretsInput.default({}),
})
export type CreateChannelAccount = z.input<typeof CreateChannelAccount>

export const UpdateChannelAccount = z.strictObject({
  id,
  name: accountName.optional(),
  enabled: z.boolean().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  secrets: secretsInput.optional(),
})
export type UpdateChannelAccount = z.input<typeof UpdateChannelAccount>

/** Configuration of the channel accounts Vedetta sends through (ICT office). */
export const channelsCommands = {
  'channels:list': command(z.strictObject({}), z.array(ChannelAccountView)),
  'channels:get': command(z.strictObject({ id }), ChannelAccountView),
  'channels:create': command(CreateChannelAccount, ChannelAccountView),
  'channels:update': command(UpdateChannelAccount, ChannelAccountView),
  'channels:delete': command(z.strictObject({ id }), z.object({ id })),
  /** Rate-limit headroom of the accounts sending now (the dispatcher's token buckets). */
  'channels:headroom': command(
    z.strictObject({}),
    z.array(
      z.object({
        accountId: id,
        tokens: z.number(),
        burst: z.number(),
        ratePerSecond: z.number(),
        inFlight: z.number(),
        concurrency: z.number(),
        waiting: z.number(),
        pausedUntil: z.number().nullable(),
        /** The account cannot send now (disabled, secret unreadable): why, in Italian. */
        unavailable: z.string().optional(),
      }),
    ),
  ),
  /** Checks credentials and reachability with the provider; sends nothing to anyone. */
  'channels:test': command(
    z.strictObject({ id }),
    z.object({
      ok: z.boolean(),
      message: z.string(),
      code: z.string().optional(),
      params: checkParams.optional(),
      checkedAt: z.string(),
    }),
  ),
}

export const channelsEvents = {
  /** Accounts were added, edited or removed: lists should reload. */
  'channels:changed': z.object({ id, change: z.enum(['created', 'updated', 'deleted']) }),
}
