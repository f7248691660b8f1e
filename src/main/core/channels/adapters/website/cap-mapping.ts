import type { AlertDocument } from '../../adapter'

/**
 * From the Italian colour code to CAP's urgency/severity/certainty.
 *
 *   level      urgency    severity  certainty  MeteoAlarm awareness_level
 *   verde      Future     Minor     Possible   1; green; Minor
 *   giallo     Future     Moderate  Likely     2; yellow; Moderate
 *   arancione  Expected   Severe    Likely     3; orange; Severe
 *   rosso      Immediate  Extreme   Likely     4; red; Extreme
 *
 * Severity follows the colour one to one (the same pairing MeteoAlarm uses
 * across Europe). Urgency grows with it because Italian bulletins are issued
 * the day before for yellow, while orange and red call for action now or soon.
 * Certainty stays "Likely": a bulletin is a forecast, not an observation; green
 * (no alert expected) is "Possible". A Cancel ("cessata allerta") brings the
 * area back to green and says urgency "Past": no action is needed any more.
 */

export type CapUrgency = 'Immediate' | 'Expected' | 'Future' | 'Past'
export type CapSeverity = 'Extreme' | 'Severe' | 'Moderate' | 'Minor'
export type CapCertainty = 'Likely' | 'Possible'

export interface CapLevel {
  urgency: CapUrgency
  severity: CapSeverity
  certainty: CapCertainty
  awarenessLevel: string
}

const LEVELS: Record<AlertDocument['level'], CapLevel> = {
  verde: {
    urgency: 'Future',
    severity: 'Minor',
    certainty: 'Possible',
    awarenessLevel: '1; green; Minor',
  },
  giallo: {
    urgency: 'Future',
    severity: 'Moderate',
    certainty: 'Likely',
    awarenessLevel: '2; yellow; Moderate',
  },
  arancione: {
    urgency: 'Expected',
    severity: 'Severe',
    certainty: 'Likely',
    awarenessLevel: '3; orange; Severe',
  },
  rosso: {
    urgency: 'Immediate',
    severity: 'Extreme',
    certainty: 'Likely',
    awarenessLevel: '4; red; Extreme',
  },
}

/**
 * CAP urgency/severity/certainty and the MeteoAlarm awareness level of the
 * level a version brings: its own for an Alert or an Update, green for a Cancel.
 */
export function capLevel(
  level: AlertDocument['level'],
  msgType: AlertDocument['msgType'],
): CapLevel {
  return msgType === 'Cancel' ? { ...LEVELS.verde, urgency: 'Past' } : LEVELS[level]
}

export type CapCategory = 'Geo' | 'Met' | 'Safety' | 'Fire'

/** Keywords of Italian event names, most specific first. */
const CATEGORY_RULES: { pattern: RegExp; categories: CapCategory[] }[] = [
  // "Rischio idrogeologico" is rain-driven landslides: both weather and ground.
  { pattern: /idrogeolog/, categories: ['Met', 'Geo'] },
  { pattern: /terremot|sism|frana|frane|vulcan|eruzion/, categories: ['Geo'] },
  { pattern: /incend/, categories: ['Fire'] },
  {
    pattern:
      /neve|nevicat|pioggi|temporal|vento|ghiacc|gelo|idraulic|alluvion|esondaz|piena|mareggiat|nebbia|calore|caldo|meteo|allagament|grandin/,
    categories: ['Met'],
  },
]

/** CAP categories for an event name; "Safety" when nothing more specific matches. */
export function capCategories(event: string): CapCategory[] {
  const lower = event.toLowerCase()
  return CATEGORY_RULES.find((rule) => rule.pattern.test(lower))?.categories ?? ['Safety']
}
