import type { AlertKind, AlertLevel } from '../templates/alert-kinds'

/** What a new bulletin for our zones suggests to the operator: a draft alert to start from. */
export interface BulletinDraft {
  kind: AlertKind
  level: AlertLevel
  comuni: string[]
  validFrom: string | null
  validTo: string | null
  headline: string
  /** The default template for this kind and level, when one exists. */
  templateId: string | null
  /** The bulletin it came from. */
  feedItemId: number
}
