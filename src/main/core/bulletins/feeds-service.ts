import type { BulletinDraft } from '../../../shared/bulletins/draft'
import type { BulletinAlertView } from '../../../shared/contract/feeds'
import { feedSourceInputSchema, type FeedSourceInput } from '../../../shared/feeds/source-schema'
import type { AlertKind, AlertLevel } from '../../../shared/templates/alert-kinds'
import { toFieldIssues } from '../../../shared/validation/issues'
import type { AuditLog } from '../audit/audit-log'
import { CoreError, invalid, notFound } from '../errors'
import type { EventBus } from '../events'
import {
  createFeedPoller,
  type FeedPoller,
  type FeedPollerOptions,
  type FeedsRepository,
} from '../feeds'
import { isExpired } from '../../../shared/bulletins/age'
import { describeChange, levelChanges, type OurComune } from '../feeds/dpc/our-levels'
import type { FeedItem } from '../../../shared/feeds/types'
import { announceBulletinAlert } from './announce'
import { draftFromBulletin } from './bulletin-draft'

export interface FeedsServiceDeps {
  repo: FeedsRepository
  events: EventBus
  audit: AuditLog
  /** Our comuni with their ISTAT codes and alert zones: which areas are ours, prefilled drafts. */
  comuni: () => OurComune[]
  templateFor: (kind: AlertKind, level: AlertLevel) => string | null
  /** In a drill nothing is fetched from the outside: bulletins come from the scenario. */
  mode?: 'real' | 'drill'
  /** For expiry of pending banners; the wall clock by default. */
  now?: () => Date
  poller?: Partial<FeedPollerOptions>
}

/** Official bulletins: sources the ICT office configures, polled in the background, shown live. */
export function createFeedsService(deps: FeedsServiceDeps) {
  const { repo, events, audit } = deps

  const check = (input: FeedSourceInput) => {
    const parsed = feedSourceInputSchema.safeParse(input, { reportInput: true })
    if (!parsed.success) {
      throw invalid(toFieldIssues(parsed.error))
    }
    // Only DPC sources are read from a local folder (laid out as the DPC publishes).
    if (parsed.data.url.startsWith('file:') && !parsed.data.kind.startsWith('dpc_')) {
      throw invalid([{ path: 'url', code: 'url' }])
    }
    return parsed.data
  }
  /** Names are unique (case-insensitive): say so on the field rather than failing. */
  const unique = <T>(write: () => T): T => {
    try {
      return write()
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw invalid([{ path: 'name', code: 'duplicate' }])
      throw err
    }
  }
  const draftFor = (itemId: number, group = 0): BulletinDraft => {
    const item = repo.getItem(itemId)
    if (!item) throw notFound(`bulletin ${itemId}`)
    return draftFromBulletin(
      item,
      { ourAreas: [], level: item.level },
      deps.comuni(),
      deps.templateFor,
      group,
    )
  }
  /** What a per-zone bulletin changed for our comuni against the one it replaced (for banners shown again). */
  const changesOf = (item: FeedItem): string[] => {
    if (item.bulletin.rawKind !== 'dpc_criticita') return []
    const previous = item.supersedesId === null ? null : repo.getItem(item.supersedesId)
    return levelChanges(previous?.bulletin ?? null, item.bulletin, deps.comuni()).map(
      describeChange,
    )
  }

  const poller: FeedPoller = createFeedPoller({
    ...deps.poller,
    repo,
    ourComuni: () => deps.comuni(),
    onPollStart: (sourceId) => events.emit('feeds:polling', { sourceId }),
    onPolled: (report) =>
      events.emit('feeds:polled', {
        sourceId: report.sourceId,
        outcome: report.outcome,
        inserted: report.inserted,
        updated: report.updated,
        ...(report.error ? { error: report.error.message } : {}),
      }),
    onAlerts: (alerts) => {
      for (const a of alerts) {
        const draft = draftFromBulletin(a.item, a, deps.comuni(), deps.templateFor)
        announceBulletinAlert({ repo, audit, events }, a, draft, 'vedetta')
      }
    },
  })

  return {
    sources: () => repo.listSources(),
    createSource(input: FeedSourceInput, actor: string) {
      const source = unique(() => repo.createSource(check(input)))
      audit.record(actor, 'feeds.createSource', `feed:${source.id}`, {
        name: source.name,
        url: source.url,
      })
      events.emit('feeds:sourcesChanged', { id: source.id })
      return source
    },
    updateSource(id: number, input: FeedSourceInput, actor: string) {
      if (!repo.getSource(id)) throw notFound(`feed source ${id}`)
      const source = unique(() => repo.updateSource(id, check(input)))
      audit.record(actor, 'feeds.updateSource', `feed:${id}`, { name: source.name })
      events.emit('feeds:sourcesChanged', { id })
      return source
    },
    deleteSource(id: number, actor: string) {
      const source = repo.getSource(id)
      if (!source) throw notFound(`feed source ${id}`)
      repo.deleteSource(id)
      audit.record(actor, 'feeds.deleteSource', `feed:${id}`, { name: source.name })
      events.emit('feeds:sourcesChanged', { id })
      return { id }
    },
    async pollNow(id: number) {
      if (!repo.getSource(id)) throw notFound(`feed source ${id}`)
      if (deps.mode === 'drill') {
        throw new CoreError(
          'forbidden',
          'in a drill feeds are not read: bulletins come from the scenario',
        )
      }
      const r = await poller.pollOnce(id)
      return {
        outcome: r.outcome,
        inserted: r.inserted,
        updated: r.updated,
        ...(r.error ? { error: r.error.message } : {}),
      }
    },
    items(q: { limit: number; cursor?: string | null; sourceId?: number; oursOnly?: boolean }) {
      const page = repo.page(q)
      return { ...page, total: repo.count({ sourceId: q.sourceId, oursOnly: q.oursOnly }) }
    },
    draftFor: (itemId: number, group?: number) => draftFor(itemId, group),
    /** Banners not acknowledged, newest first, leaving out bulletins past their expiry. */
    pendingAlerts(): BulletinAlertView[] {
      const now = (deps.now ?? (() => new Date()))().getTime()
      const names = new Map(repo.listSources().map((s) => [s.id, s.name]))
      return repo.raised.pending().flatMap((r) => {
        const item = repo.getItem(r.itemId)
        if (!item || isExpired(item.bulletin.expires, now)) return []
        return [
          {
            change: r.change,
            item,
            sourceName: names.get(item.sourceId) ?? '',
            level: r.level,
            previousLevel: r.previousLevel,
            escalated: r.escalated,
            changes: changesOf(item),
            draft: draftFromBulletin(
              item,
              { ourAreas: [], level: r.level },
              deps.comuni(),
              deps.templateFor,
            ),
          },
        ]
      })
    },
    acknowledgeAlert(itemId: number, actor: string) {
      if (!repo.getItem(itemId)) throw notFound(`bulletin ${itemId}`)
      if (repo.raised.acknowledge(itemId, actor)) {
        audit.record(actor, 'feeds.acknowledgeAlert', `bulletin:${itemId}`, {})
        events.emit('feeds:alertAcknowledged', { itemId })
      }
      return { itemId }
    },
    start: () => {
      if (deps.mode !== 'drill') poller.start()
    },
    stop: () => poller.stop(),
  }
}

export type FeedsService = ReturnType<typeof createFeedsService>
