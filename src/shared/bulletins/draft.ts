import type { AlertKind, AlertLevel } from '../templates/alert-kinds'

/**
 * Something the operator must check before sending. `headline_level`: the bulletin's headline
 * names a colour (`headline`) other than its level (`bulletin`, null when it gave none); the
 * draft takes the higher one.
 */
export interface BulletinDraftWarning {
  code: 'headline_level'
  params: { headline: AlertLevel; bulletin: AlertLevel | null }
}

/**
 * Our comuni that share a level and a risk in a bulletin with one level per zone, risk and
 * day (DPC criticality): one draft each, with its own template.
 */
export interface BulletinDraftGroup {
  level: AlertLevel
  kind: AlertKind
  comuni: string[]
  /** The alert zones these comuni are in, as the bulletin names them. */
  zones: string[]
  /** Every risk at this level for these comuni (idraulico, idrogeologico, temporali…). */
  risks: string[]
  validFrom: string | null
  validTo: string | null
  templateId: string | null
}

/** What a new bulletin for our zones suggests to the operator: a draft alert to start from. */
export interface BulletinDraft {
  kind: AlertKind
  level: AlertLevel
  comuni: string[]
  validFrom: string | null
  validTo: string | null
  headline: string
  /** The bulletin's description and instructions ("Cosa fare"), as it wrote them. */
  description: string
  instruction: string
  warnings: BulletinDraftWarning[]
  /** The default template for this kind and level, when one exists. */
  templateId: string | null
  /** The bulletin it came from. */
  feedItemId: number
  /**
   * When our comuni have different levels (or risks) in the bulletin: every group, highest
   * first; this draft is `groups[group]`. Absent for bulletins with one level.
   */
  groups?: BulletinDraftGroup[]
  group?: number
}
