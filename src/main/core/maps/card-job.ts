/** The worker thread's job that draws an alert's map card (see alert-card.ts). */
import type { MapImage } from '../channels/adapter'
import { loadBoundaries } from './boundaries'
import { partitionComuni, type MapCardData } from './card'
import { renderMapCard } from './render'

export interface MapCardJobInput {
  data: MapCardData
  resourcesDir: string
}

/**
 * The worker's job: the landscape card (the shape every post channel shows
 * whole) as PNG. Comuni the map cannot place (another union's) are left off,
 * as the composer's preview shows it (maps:alert); a card with none of the
 * alert's comuni would tell of no alert at all, so there is none.
 * @throws Error when none of the alert's comuni is on the map (or it names none)
 */
export function runMapCardJob(input: MapCardJobInput): MapImage {
  const { mapped, unmapped } = partitionComuni(
    loadBoundaries(input.resourcesDir),
    input.data.comuni,
  )
  if (mapped.length === 0)
    throw new Error(
      unmapped.length > 0
        ? `nessun comune dell’allerta è sulla mappa del Circondario (${unmapped.join(', ')})`
        : 'l’allerta non nomina comuni',
    )
  const card = renderMapCard({ ...input.data, comuni: mapped }, input.resourcesDir, 'landscape')
  return { png: new Uint8Array(card.png), alt: card.alt, width: card.width, height: card.height }
}
