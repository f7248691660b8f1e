import type { BulletinAlertView } from '../../../shared/contract/feeds'
import type { AlertKind } from '../../../shared/templates/alert-kinds'
import type { AuditLog } from '../audit/audit-log'
import type { EventBus } from '../events'
import { ingestBulletins, type Bulletin, type FeedSource, type FeedsRepository } from '../feeds'
import { announceBulletinAlert } from './announce'
import { draftFromBulletin } from './bulletin-draft'

/** The feed source a drill's bulletins are filed under (never polled: disabled, loopback URL). */
export const SCENARIO_SOURCE_NAME = 'Scenario dell’esercitazione'

export interface BulletinInjector {
  /** The source injected bulletins belong to (created on first use). */
  source(): FeedSource
  /**
   * Stores a bulletin as if a poll had brought it, and raises `feeds:alert`
   * with the prefilled draft, exactly as for a real one. `kind` overrides the
   * kind guessed from the text (a scenario knows what it is about).
   */
  inject(bulletin: Bulletin, options?: { kind?: AlertKind; actor?: string }): BulletinAlertView[]
}

/**
 * Bulletins that do not come from a poll (a drill's scenario): the room sees
 * them in the Bollettini panel, gets the banner and the draft, as on a real day.
 */
export function createBulletinInjector(deps: {
  /** The workspace's feeds, audit and events, as the composition root built them for polling. */
  repo: FeedsRepository
  audit: AuditLog
  events: EventBus
  now: () => Date
  comuniNames: () => string[]
  templateFor: (kind: AlertKind, level: string) => string | null
}): BulletinInjector {
  const { repo, audit, templateFor } = deps

  function source(): FeedSource {
    const existing = repo.listSources().find((s) => s.name === SCENARIO_SOURCE_NAME)
    if (existing) return existing
    return repo.createSource({
      name: SCENARIO_SOURCE_NAME,
      kind: 'cap',
      url: 'http://127.0.0.1/esercitazione',
      intervalS: 86400,
      enabled: false,
      zones: ['*'],
    })
  }

  return {
    source,
    inject(bulletin, options = {}) {
      const from = source()
      const names = deps.comuniNames()
      const result = ingestBulletins(repo, from, [bulletin], deps.now())
      return result.alerts.map((a) => {
        const draft = draftFromBulletin(a.item, a, names, templateFor)
        const kind = options.kind && draft.kind !== 'cessata_allerta' ? options.kind : draft.kind
        return announceBulletinAlert(
          { repo, audit, events: deps.events },
          a,
          { ...draft, kind, templateId: templateFor(kind, draft.level) },
          options.actor ?? 'vedetta',
        )
      })
    },
  }
}
