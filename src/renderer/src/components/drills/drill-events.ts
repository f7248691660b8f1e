import type { EventBody } from '@shared/drills/scenario'
import { formatDuration, parseDuration } from '@shared/drills/time'

type Translate = (key: string, values?: Record<string, unknown>) => string

/**
 * One line per timeline event for the trainer. Texts from the scenario are shown
 * as they are (as text, never markup); the words around them are the catalogue's.
 */
export function describeEventLine(event: EventBody, t: Translate, messageCount?: number): string {
  switch (event.type) {
    case 'bulletin':
      return `${t('drills.eventTypes.bulletin')} ${t(`alert.levels.${event.level}`)}: ${event.headline}`
    case 'ordinance':
      return `${t('drills.eventTypes.ordinance')} ${event.comune}: ${event.title}`
    case 'citizen_messages':
      return `${t('drills.eventTypes.citizen_messages')} (${event.channel}, ${t(
        `drills.inject.categories.${event.category}`,
      )}): ${messageCount ?? event.count ?? event.messages.length}`
    case 'partner_relay':
      return event.delay === 'never'
        ? t('drills.relayNever', { partner: event.partner })
        : t('drills.relayAfter', {
            partner: event.partner,
            delay: formatDuration(parseDuration(event.delay) ?? 0),
          })
    case 'channel_fault':
      return `${t('drills.eventTypes.channel_fault')}: ${event.channel} (${t(
        `drills.inject.faults.${event.fault}`,
      )}, ${event.duration})`
    case 'note':
      return `${t('drills.eventTypes.note')}: ${event.text}`
  }
}
