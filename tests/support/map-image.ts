import path from 'node:path'
import type { MapImage } from '../../src/main/core/channels/adapter'
import { renderMapCard } from '../../src/main/core/maps'

let card: MapImage | undefined

/** A real alert map card (the shipped boundaries and fonts), drawn once per test file. */
export function mapImage(): MapImage {
  card ??= (() => {
    const c = renderMapCard(
      {
        comuni: [
          { name: 'Empoli', level: 'arancione' },
          { name: 'Vinci', level: 'giallo' },
        ],
        kind: 'idraulico',
        validFrom: '2026-12-03T13:00:00Z',
        validTo: '2026-12-04T07:00:00Z',
        headline: 'Possibili esondazioni dell’Arno',
        ente: { name: 'Protezione civile Empolese Valdelsa', hashtag: '#allertameteoTOS' },
      },
      path.resolve(__dirname, '../../resources'),
    )
    return { png: new Uint8Array(c.png), alt: c.alt, width: c.width, height: c.height }
  })()
  return card
}
