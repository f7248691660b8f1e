/** The worker thread's job that draws an alert's map card (see alert-card.ts). */
import type { MapImage } from '../channels/adapter'
import type { MapCardData } from './card'
import { renderMapCard } from './render'

export interface MapCardJobInput {
  data: MapCardData
  resourcesDir: string
}

/** The worker's job: the landscape card (the shape every post channel shows whole) as PNG. */
export function runMapCardJob(input: MapCardJobInput): MapImage {
  const card = renderMapCard(input.data, input.resourcesDir, 'landscape')
  return { png: new Uint8Array(card.png), alt: card.alt, width: card.width, height: card.height }
}
