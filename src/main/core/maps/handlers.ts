import type { Alert } from '../../../shared/alerts/types'
import { currentLevels } from '../../../shared/alerts/levels'
import type { MapView } from '../../../shared/contract/maps'
import type { HandlersFor } from '../handlers'
import { alertDocument } from '../outbox/alert-document'
import { alertMapCardData } from './alert-card'
import { levelsAltText, mapAltText } from './alt-text'
import { loadBoundaries, type Boundaries } from './boundaries'
import { buildCompactMapSvg, buildMapCardSvg, partitionComuni, type MapCardData } from './card'

export interface MapsHandlerDeps {
  resourcesDir: string
  alerts: { list(limit: number): Alert[]; get(id: number): Alert }
  /** The workspace's comuni, as Stato lists them. */
  comuni: () => readonly { name: string }[]
  ente: () => { name: string; hashtag: string }
  now: () => Date
}

/**
 * As many alerts as the room's alerts store reads (its `alerts:list` limit is
 * 200): Stato's list and the map answer from the same alerts.
 */
const ALERTS_READ = 200

/**
 * The map for the room and the composer: the levels in force now, or an
 * alert's own. Comuni the map cannot place (another union's, named in the
 * workspace) are left off the picture and said in `unmapped`.
 */
export function mapsHandlers(deps: MapsHandlerDeps): HandlersFor<'maps'> {
  const draw = (
    boundaries: Boundaries,
    data: MapCardData,
    variant: MapView['variant'],
    unmapped: string[],
    alt: (d: MapCardData) => string,
  ): MapView => {
    const drawn =
      variant === 'card'
        ? buildMapCardSvg(data, boundaries)
        : buildCompactMapSvg(data.comuni, boundaries)
    return {
      svg: drawn.svg,
      width: drawn.width,
      height: drawn.height,
      alt: alt(data),
      variant,
      comuni: drawn.comuni.map((c) => ({ name: c.name, istat: c.istat, level: c.level })),
      unmapped,
    }
  }
  /** The versions before `alert`, oldest first, as AlertsRepository.referenceChain reads them. */
  const chainOf = (alert: Alert): Alert[] => {
    const chain: Alert[] = []
    const seen = new Set([alert.id])
    for (let id = alert.referencesAlertId; id !== null && !seen.has(id);) {
      seen.add(id)
      const previous = deps.alerts.get(id)
      chain.unshift(previous)
      id = previous.referencesAlertId
    }
    return chain
  }
  return {
    'maps:levels': ({ variant }) => {
      const boundaries = loadBoundaries(deps.resourcesDir)
      const levels = currentLevels(
        deps.alerts.list(ALERTS_READ),
        deps.comuni().map((c) => c.name),
        deps.now(),
      )
      const { mapped, unmapped } = partitionComuni(
        boundaries,
        levels.map((l) => ({ name: l.comune, level: l.level })),
      )
      // The levels in force are of no one kind: the card's title says "Avviso — codice …".
      const data: MapCardData = { comuni: mapped, kind: 'generico', ente: deps.ente() }
      return draw(boundaries, data, variant, unmapped, (d) => levelsAltText(d.comuni, boundaries))
    },
    'maps:alert': ({ id, variant }) => {
      const boundaries = loadBoundaries(deps.resourcesDir)
      const alert = deps.alerts.get(id)
      // The posts' own card data (alert-card.ts), from the structured alert they are built
      // from: a cessata's level and words. The CAP sender says nothing the card shows.
      const all = alertMapCardData(alert, alertDocument(alert, chainOf(alert), ''), deps.ente())
      const { mapped, unmapped } = partitionComuni(boundaries, all.comuni)
      return draw(boundaries, { ...all, comuni: mapped }, variant, unmapped, (d) =>
        mapAltText(d, boundaries),
      )
    },
  }
}
