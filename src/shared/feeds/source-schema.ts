import { z } from 'zod'
import { FEED_SOURCE_KINDS } from './types'

/**
 * What an operator types to add or change a feed source. A `file:` URL (a local folder) is
 * accepted here and refused by the repository for kinds other than DPC, which alone are read
 * from a folder laid out as the DPC publishes. Pure (zod only) so the contract can
 * reuse it. Intervals are at least 30 s: official feeds change every few minutes at most.
 * `internalNetwork` («rete interna») lets a source live on a private address; off by default.
 */
export const feedSourceInputSchema = z.object({
  name: z.string().trim().min(1, { error: 'required' }).max(100, { error: 'too_long' }),
  kind: z.enum(FEED_SOURCE_KINDS, { error: 'choice' }),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine(
      (u) => {
        try {
          const { protocol } = new URL(u)
          return protocol === 'http:' || protocol === 'https:' || protocol === 'file:'
        } catch {
          return false
        }
      },
      { error: 'url' },
    ),
  intervalS: z
    .number({ error: 'number' })
    .int({ error: 'number' })
    .min(30, { error: 'range' })
    .max(86400, { error: 'range' })
    .default(300),
  enabled: z.boolean().default(true),
  zones: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
  /**
   * «Rete interna»: the ICT office allows loopback, link-local and private addresses. Absent
   * means no (optional rather than defaulted, so callers written before it need not name it).
   */
  internalNetwork: z.boolean().optional(),
})

export type FeedSourceInput = z.input<typeof feedSourceInputSchema>
export type FeedSourceFields = z.output<typeof feedSourceInputSchema>
