import { italianAt, type VersionChanges } from '@shared/alerts/version-changes'
import { joinComuni } from '@shared/templates/format-it'
import { ROME_TIME_ZONE } from '@shared/time'

export type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string

/** A list of names in the operator's language: "Empoli e Vinci", "Empoli and Vinci". */
function joinNames(names: readonly string[], locale: string): string {
  if (locale.startsWith('it')) return joinComuni(names)
  return new Intl.ListFormat('en-GB', { type: 'conjunction' }).format(names)
}

/**
 * A time of validity in Rome's time: "alle 8 di venerdì 4 dicembre", "8:00 on
 * Friday 4 December"; without the day, "alle 8", "8:00".
 */
export function timeOf(
  iso: string,
  preposition: 'a' | 'da',
  locale: string,
  withDay = true,
): string {
  if (locale.startsWith('it')) return italianAt(iso, preposition, withDay)
  const d = new Date(iso)
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: ROME_TIME_ZONE,
    hour: 'numeric',
    minute: '2-digit',
  }).format(d)
  if (!withDay) return time
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: ROME_TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
  }).format(d)
  return `${time} on ${day}`
}

/**
 * What a follow-up changes, as one sentence in the operator's language:
 * "da arancione a rosso; aggiunto Vinci; fino alle 8 di venerdì 4 dicembre".
 * Empty when nothing but the texts changed.
 */
export function changeSentence(changes: VersionChanges, t: Translate, locale: string): string {
  const parts: string[] = []
  const level = (l: string) => t(`alert.levels.${l}`).toLocaleLowerCase(locale)
  if (changes.level) {
    parts.push(
      t('alerts.changes.level', { from: level(changes.level.from), to: level(changes.level.to) }),
    )
  }
  if (changes.comuniAdded.length) {
    parts.push(
      t(
        'alerts.changes.added',
        { names: joinNames(changes.comuniAdded, locale) },
        changes.comuniAdded.length,
      ),
    )
  }
  if (changes.comuniRemoved.length) {
    parts.push(
      t(
        'alerts.changes.removed',
        { names: joinNames(changes.comuniRemoved, locale) },
        changes.comuniRemoved.length,
      ),
    )
  }
  if (changes.validFrom) {
    parts.push(t('alerts.changes.validFrom', { time: timeOf(changes.validFrom.to, 'da', locale) }))
  }
  if (changes.validTo) {
    parts.push(t('alerts.changes.validTo', { time: timeOf(changes.validTo.to, 'a', locale) }))
  }
  if (changes.headline) parts.push(t('alerts.changes.headline'))
  if (changes.description) parts.push(t('alerts.changes.description'))
  if (changes.instruction) parts.push(t('alerts.changes.instruction'))
  return parts.join('; ')
}
