/**
 * The alt text of a map card, from the same data as the picture: "Mappa dei
 * comuni del Circondario: Empoli e Vinci in arancione; Certaldo in giallo; gli
 * altri 8 comuni in verde, senza allerta. Allerta arancione per rischio
 * idraulico, dalle 14 di mercoledì 3 alle 8 di giovedì 4 dicembre. …"
 */
import { ALERT_LEVELS, type AlertLevel } from '../../../shared/templates/alert-kinds'
import type { Boundaries, ComuneShape } from './boundaries'
import { highestLevel, levelsByComune, titleWords, type MapCardData, LEVEL_WORDS } from './card'
import { validityWords } from './validity'

/** "Empoli", "Empoli e Vinci", "Empoli, Vinci e Certaldo". */
export function italianList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} e ${items[items.length - 1]}`
}

/** "Empoli e Vinci in arancione; gli altri 9 comuni in verde, senza allerta (…)". */
function levelsInWords(levels: Map<ComuneShape, AlertLevel>): string {
  const byLevel = new Map<AlertLevel, string[]>()
  for (const [shape, level] of levels) {
    byLevel.set(level, [...(byLevel.get(level) ?? []), shape.name])
  }
  const coloured = [...ALERT_LEVELS].reverse().filter((l) => l !== 'verde' && byLevel.has(l))
  const parts = coloured.map((l) => `${italianList(byLevel.get(l)!)} in ${LEVEL_WORDS[l]}`)
  const green = byLevel.get('verde') ?? []
  if (green.length && coloured.length) {
    parts.push(
      green.length === 1
        ? `${green[0]} in verde, senza allerta`
        : `gli altri ${green.length} comuni in verde, senza allerta (${italianList(green)})`,
    )
  } else if (green.length) {
    parts.push(`tutti gli ${green.length} comuni in verde, senza allerta`)
  }
  return parts.join('; ')
}

export function mapAltText(data: MapCardData, boundaries: Boundaries): string {
  const levels = levelsByComune(boundaries, data.comuni)
  const validity = validityWords(data.validFrom, data.validTo)
  const title = titleWords(data.kind, highestLevel(levels.values()))
  const sentences = [
    `Mappa dei comuni del Circondario: ${levelsInWords(levels)}.`,
    `${title}${validity ? `, ${validity}` : ''}.`,
  ]
  if (data.headline)
    sentences.push(/[.!?]$/.test(data.headline) ? data.headline : `${data.headline}.`)
  sentences.push(`${data.ente.name} ${data.ente.hashtag}`.trim())
  return sentences.join(' ')
}

/**
 * The alt text of the map of the levels in force (the room's Stato): "Mappa dei
 * livelli di allerta in vigore nei comuni del Circondario: Empoli in arancione;
 * gli altri 10 comuni in verde, senza allerta (…)."
 */
export function levelsAltText(comuni: MapCardData['comuni'], boundaries: Boundaries): string {
  const levels = levelsByComune(boundaries, comuni)
  return `Mappa dei livelli di allerta in vigore nei comuni del Circondario: ${levelsInWords(levels)}.`
}
