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
}
