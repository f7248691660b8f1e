/**
 * An audited action as a sentence for the journal, in the operator's language: the action's
 * own sentence (i18n `journalActions`), its parameters from the recorded detail (lists count
 * as their length, missing numbers as 0), never the internal action name.
 */
export interface ActionEntry {
  text: string
  subject: string | null
  detail: unknown
}

type Translate = (key: string, params?: Record<string, unknown>) => string
type Exists = (key: string) => boolean

export function actionSentence(e: ActionEntry, t: Translate, te: Exists): string {
  const detail =
    typeof e.detail === 'object' && e.detail !== null ? (e.detail as Record<string, unknown>) : {}
  let action = e.text.replace(/\./g, '_')
  if (action === 'channels_test') action = detail.ok ? 'channels_test_ok' : 'channels_test_failed'
  const key = `journalActions.${action}`
  if (!te(key)) return t('journalActions.other')
  const params: Record<string, unknown> = {
    id: /:(\d+)$/.exec(e.subject ?? '')?.[1] ?? '',
    rows: 0,
    cancelledRows: 0,
    requeued: 0,
    uncertain: 0,
    stoppedAlerts: 0,
    uncertainRows: 0,
    contacts: 0,
    name: '',
    headline: '',
    template: '',
  }
  for (const [k, v] of Object.entries(detail)) {
    if (typeof v === 'string' || typeof v === 'number') params[k] = v
    else if (Array.isArray(v)) params[k] = v.length
  }
  return t(key, params)
}
