import type { BulletinAlertView } from '../../../shared/contract/feeds'
import type { AlertKind } from '../../../shared/templates/alert-kinds'
import { createAuditLog } from '../audit/audit-log'
import { createComuniRepository } from '../comuni/comuni-repository'
import type { Db } from '../db/open'
import type { EventBus } from '../events'
import { createFeedsRepository, ingestBulletins, type Bulletin, type FeedSource } from '../feeds'
import { createTemplatesRepository } from '../templates/templates-repository'
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
  db: Db
  events: EventBus
  now: () => Date
}): BulletinInjector {
  const repo = createFeedsRepository(deps.db, deps.now)
  const audit = createAuditLog(deps.db, deps.now)
  const templates = createTemplatesRepository(deps.db)
  const comuni = createComuniRepository(deps.db, deps.now)

  const templateFor = (kind: AlertKind, level: string): string | null =>
    templates.list().find((t) => t.kind === kind && t.level === level)?.id ?? null

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
      const names = comuni.list().map((c) => c.name)
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
