import { z } from 'zod'
import type { BulletinDraft } from '../bulletins/draft'
import { feedSourceInputSchema } from '../feeds/source-schema'
import type { FeedItem, FeedSource } from '../feeds/types'
import { command, shaped } from './define'

const id = z.number().int().positive()

/** Outputs are typed by the core's interfaces and checked here by the fields the screens read. */
const maybeText = z.string().nullable()
const FeedSourceView = shaped<FeedSource>({
  id,
  name: z.string(),
  kind: z.string(),
  url: z.string(),
  intervalS: z.number().int(),
  enabled: z.boolean(),
  zones: z.array(z.string()),
  lastPolledAt: maybeText,
  lastOkAt: maybeText,
  lastError: maybeText,
  errorCount: z.number().int().min(0),
  nextPollAt: maybeText,
})
const FeedItemView = shaped<FeedItem>({
  id,
  sourceId: id,
  externalId: z.string(),
  fetchedAt: z.string(),
  sent: z.string(),
  kind: z.string(),
  level: maybeText,
  headline: z.string(),
  isOurs: z.boolean(),
  supersedesId: id.nullable(),
  bulletin: z.looseObject({}),
})
const DraftView = shaped<BulletinDraft>({
  kind: z.string(),
  level: z.string(),
  comuni: z.array(z.string()),
  validFrom: maybeText,
  validTo: maybeText,
  headline: z.string(),
  description: z.string(),
  instruction: z.string(),
  warnings: z.array(z.looseObject({ code: z.string() })),
  templateId: maybeText,
  feedItemId: id,
})
const AlertView = shaped<BulletinAlertView>({
  change: z.enum(['new', 'update', 'revised']),
  item: FeedItemView,
  sourceName: z.string(),
  level: maybeText,
  previousLevel: maybeText,
  escalated: z.boolean(),
  changes: z.array(z.string()),
  draft: DraftView,
})

export interface BulletinAlertView {
  change: 'new' | 'update' | 'revised'
  item: FeedItem
  sourceName: string
  level: FeedItem['level']
  previousLevel: FeedItem['level']
  escalated: boolean
  /**
   * What a per-zone bulletin (DPC criticality) changed for our comuni, one sentence each
   * ("Empoli: idraulico da gialla ad arancione, domani"); empty for other bulletins.
   */
  changes: string[]
  draft: BulletinDraft
}

export const feedsCommands = {
  'feeds:sources': command(z.strictObject({}), z.array(FeedSourceView)),
  'feeds:createSource': command(feedSourceInputSchema.strict(), FeedSourceView),
  'feeds:updateSource': command(
    z.strictObject({ id, source: feedSourceInputSchema.strict() }),
    FeedSourceView,
  ),
  'feeds:deleteSource': command(z.strictObject({ id }), z.object({ id })),
  /** Polls one source now, whatever its schedule. */
  'feeds:pollNow': command(
    z.strictObject({ id }),
    z.object({
      outcome: z.string(),
      inserted: z.number(),
      updated: z.number(),
      error: z.string().optional(),
    }),
  ),
  /** Newest first, by pages: `cursor` is the previous page's `nextCursor`. */
  'feeds:items': command(
    z.strictObject({
      limit: z.number().int().min(1).max(500).default(100),
      cursor: z.string().max(200).nullable().optional(),
      sourceId: id.optional(),
      oursOnly: z.boolean().optional(),
    }),
    z.object({
      items: z.array(FeedItemView),
      nextCursor: z.string().nullable(),
      total: z.number(),
    }),
  ),
  /** The prefilled draft; `group` picks one of `draft.groups` when our comuni have different levels. */
  'feeds:draftFor': command(
    z.strictObject({ itemId: id, group: z.number().int().min(0).max(50).optional() }),
    DraftView,
  ),
  /** Banners raised and not yet acknowledged, for bulletins still valid: shown again after a reload. */
  'feeds:pendingAlerts': command(z.strictObject({}), z.array(AlertView)),
  /** The operator has seen the banner: it is not shown again (until the bulletin is raised anew). */
  'feeds:acknowledgeAlert': command(z.strictObject({ itemId: id }), z.object({ itemId: id })),
}

export const feedsEvents = {
  /** A source is being read (a large bulletin may take a moment): shown as "in lettura". */
  'feeds:polling': z.object({ sourceId: id }),
  /** A source was polled: its status changed, and new items may be there. */
  'feeds:polled': z.object({
    sourceId: id,
    outcome: z.string(),
    inserted: z.number(),
    updated: z.number(),
    error: z.string().optional(),
  }),
  /** A new or upgraded bulletin for our zones: notify, and offer the prefilled draft. */
  'feeds:alert': AlertView,
  'feeds:sourcesChanged': z.object({ id }),
  /** A banner was acknowledged (in any tab): drop it everywhere. */
  'feeds:alertAcknowledged': z.object({ itemId: id }),
}
