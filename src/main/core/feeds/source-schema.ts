import { z } from 'zod'
import { FEED_SOURCE_KINDS } from './types'

/**
 * What an operator types to add or change a feed source. Pure (zod only) so the contract can
 * reuse it. Intervals are at least 30 s: official feeds change every few minutes at most.
 */
export const feedSourceInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(FEED_SOURCE_KINDS),
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => {
      try {
        const { protocol } = new URL(u)
        return protocol === 'http:' || protocol === 'https:'
      } catch {
        return false
      }
    }, 'URL http(s) non valido'),
  intervalS: z.number().int().min(30).max(86400).default(300),
  enabled: z.boolean().default(true),
  zones: z.array(z.string().trim().min(1).max(200)).max(500).default([]),
})

export type FeedSourceInput = z.input<typeof feedSourceInputSchema>
export type FeedSourceFields = z.output<typeof feedSourceInputSchema>
