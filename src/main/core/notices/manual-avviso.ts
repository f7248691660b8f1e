import type { ManualAvviso, ManualAvvisoResult, NoticeView } from '../../../shared/contract/notices'
import type { BulletinRisk } from '../../../shared/feeds/types'
import { formatRomeShort } from '../../../shared/time'
import type { AlertKind, AlertLevel } from '../../../shared/templates/alert-kinds'
import type { AuditLog } from '../audit/audit-log'
import { announceBulletinAlert } from '../bulletins/announce'
import { draftFromBulletin } from '../bulletins/bulletin-draft'
import type { EventBus } from '../events'
import { ingestBulletins, type Bulletin, type FeedSource, type FeedsRepository } from '../feeds'
import { ALLERTA_WORDS, ourAreasOf, type OurComune } from '../feeds/dpc/our-levels'

/** The source avvisi entered by hand (and notices turned into avvisi) are stored under. */
export const MANUAL_SOURCE_NAME = 'Avvisi inseriti in sala'

const RISK_WORDS: Record<BulletinRisk, string> = {
  idraulico: 'rischio idraulico',
  idrogeologico: 'rischio idrogeologico',
  temporali: 'temporali forti',
  neve: 'neve',
  ghiaccio: 'ghiaccio',
  vento: 'vento',
  mareggiate: 'mareggiate',
  meteo: 'meteo',
}

/** One key per avviso number: the same number entered again revises it ("12/2026" = "12 / 2026"). */
export const avvisoExternalId = (number: string): string =>
  `avviso:${number.trim().toLowerCase().replace(/\s+/g, '')}`

/**
 * The avviso as a bulletin with one level per zone: each zone an area with the risk, the
 * level and the validity, so our comuni are found by their alert zones exactly as in the
 * DPC criticality bulletin (whose document kind it takes for that reason), the banner names
 * what changed for them and the draft groups them.
 */
export function avvisoBulletin(
  avviso: ManualAvviso,
  at: Date,
  from: { actor: string; notice?: NoticeView },
): Bulletin {
  const zones = [...new Set(avviso.zones.map((z) => z.trim()))]
  const what =
    avviso.level === 'verde'
      ? `nessuna allerta per ${RISK_WORDS[avviso.risk]}`
      : `allerta ${ALLERTA_WORDS[avviso.level]} per ${RISK_WORDS[avviso.risk]}`
  const notice = from.notice
  const received = notice ? formatRomeShort(notice.receivedAt) : undefined
  const attached = notice?.attachments.map((a) => a.name) ?? []
  return {
    sourceId: null,
    externalId: avvisoExternalId(avviso.number),
    capIdentifier: null,
    sender: notice ? notice.from : `sala operativa (${from.actor})`,
    sent: at.toISOString(),
    msgType: 'Alert',
    status: 'Actual',
    references: [],
    event: `Avviso n. ${avviso.number}`,
    severity: null,
    urgency: null,
    certainty: null,
    onset: avviso.validFrom,
    effective: null,
    expires: avviso.validTo,
    headline: `Avviso n. ${avviso.number}: ${what} — ${zones.join(', ')}`,
    description: notice
      ? `Dall’e-mail di ${notice.fromName ? `${notice.fromName} <${notice.from}>` : notice.from}${received ? ` ricevuta il ${received}` : ''}: «${notice.subject}».${attached.length ? ` Allegati: ${attached.join(', ')}.` : ''}`
      : null,
    instruction: null,
    web: avviso.link ?? null,
    areas: zones.map((zone) => ({
      name: zone,
      zone,
      geocodes: [],
      level: avviso.level,
      risk: avviso.risk,
      validFrom: avviso.validFrom,
      validTo: avviso.validTo,
    })),
    level: avviso.level,
    language: 'it',
    rawKind: 'dpc_criticita',
  }
}

export interface ManualAvvisiDeps {
  repo: FeedsRepository
  audit: AuditLog
  events: EventBus
  comuni: () => OurComune[]
  templateFor: (kind: AlertKind, level: AlertLevel) => string | null
  now: () => Date
}

/**
 * Avvisi an operator enters by hand: stored as bulletins of the `manual` source, ingested and
 * announced like a polled bulletin, so the room gets the same banner and prefilled draft.
 */
export function createManualAvvisi(deps: ManualAvvisiDeps) {
  const { repo } = deps
  /** The `manual` source, created on first use (never polled: disabled, no address). */
  const source = (): FeedSource => repo.manualSource(MANUAL_SOURCE_NAME)

  return {
    source,
    /** Stores the avviso and, when it is news for our comuni, raises its banner and draft. */
    create(avviso: ManualAvviso, actor: string, notice?: NoticeView): ManualAvvisoResult {
      const from = source()
      const at = deps.now()
      const ours = deps.comuni()
      const bulletin = avvisoBulletin(avviso, at, { actor, notice })
      const result = ingestBulletins(repo, from, [bulletin], at, ours)
      const itemId = repo.itemIdOf(from.id, bulletin.externalId)
      if (itemId === undefined) throw new Error('manual avviso not stored')
      const names = new Set(ourAreasOf(bulletin, ours).flatMap((a) => a.comuni))
      const comuni = ours.map((c) => c.name).filter((n) => names.has(n))
      for (const alert of result.alerts) {
        const draft = draftFromBulletin(alert.item, alert, ours, deps.templateFor)
        announceBulletinAlert(deps, alert, draft, actor)
      }
      const change =
        result.inserted > 0 ? 'new' : result.updated > 0 ? 'revised' : ('unchanged' as const)
      deps.audit.record(actor, 'notices.createAvviso', `bulletin:${itemId}`, {
        number: avviso.number,
        zones: avviso.zones,
        risk: avviso.risk,
        level: avviso.level,
        change,
        ...(notice ? { noticeId: notice.id } : {}),
      })
      // The Bollettini lists read their head again, as after a poll that brought something.
      if (change !== 'unchanged')
        deps.events.emit('feeds:polled', {
          sourceId: from.id,
          outcome: 'ok',
          inserted: result.inserted,
          updated: result.updated,
        })
      return { itemId, change, comuni, raised: result.alerts.length > 0 }
    },
  }
}

export type ManualAvvisi = ReturnType<typeof createManualAvvisi>
