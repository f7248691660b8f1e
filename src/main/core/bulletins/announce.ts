import type { BulletinDraft } from '../../../shared/bulletins/draft'
import type { BulletinAlertView } from '../../../shared/contract/feeds'
import type { AuditLog } from '../audit/audit-log'
import type { EventBus } from '../events'
import type { FeedsRepository, OurBulletinAlert } from '../feeds'

/**
 * A new or upgraded bulletin for our zones, told to the room: its banner is
 * kept until acknowledged, the journal records it, and `feeds:alert` carries
 * the prefilled draft. The one way a banner is raised, for polled bulletins and
 * for a drill's injected ones alike.
 */
export function announceBulletinAlert(
  deps: { repo: FeedsRepository; audit: AuditLog; events: EventBus },
  alert: OurBulletinAlert,
  draft: BulletinDraft,
  actor: string,
): BulletinAlertView {
  const view: BulletinAlertView = {
    change: alert.change,
    item: alert.item,
    sourceName: alert.sourceName,
    level: alert.level,
    previousLevel: alert.previousLevel,
    escalated: alert.escalated,
    changes: alert.changes,
    draft,
  }
  deps.repo.raised.raise({
    itemId: alert.item.id,
    change: alert.change,
    level: alert.level,
    previousLevel: alert.previousLevel,
    escalated: alert.escalated,
  })
  deps.audit.record(actor, 'feeds.alert', `bulletin:${alert.item.id}`, {
    change: alert.change,
    level: alert.level,
    headline: alert.item.headline,
    ...(alert.changes.length ? { changes: alert.changes } : {}),
  })
  deps.events.emit('feeds:alert', view)
  return view
}
