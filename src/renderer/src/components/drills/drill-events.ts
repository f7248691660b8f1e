import type { EventBody } from '@shared/drills/scenario'

type Translate = (key: string, values?: Record<string, unknown>) => string

/**
 * One line per timeline event for the trainer. Texts from the scenario are shown
 * as they are (as text, never markup); the words around them are the catalogue's.
 */
export function describeEventLine(event: EventBody, t: Translate, messageCount?: number): string {
  switch (event.type) {
    case 'bulletin':
      return `${t('drills.inject.types.bulletin')} ${event.level}: ${event.headline}`
    case 'ordinance':
      return `${event.comune}: ${event.title}`
    case 'citizen_messages':
      return `${t('drills.inject.types.citizen_messages')} (${event.channel}, ${t(
        `drills.inject.categories.${event.category}`,
      )}): ${messageCount ?? event.count ?? event.messages.length}`
    case 'partner_relay':
      return `${event.partner}: ${event.delay}`
    case 'channel_fault':
      return `${t('drills.inject.types.channel_fault')}: ${event.channel} (${t(
        `drills.inject.faults.${event.fault}`,
      )}, ${event.duration})`
    case 'note':
      return `${t('drills.inject.types.note')}: ${event.text}`
  }
}
