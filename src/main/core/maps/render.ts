/**
 * The map card as PNG, rendered with resvg using only the fonts shipped in
 * resources/maps/fonts (DejaVu Sans), never the system's, so the picture is
 * the same on every computer.
 */
import { join } from 'node:path'
import { Resvg } from '@resvg/resvg-js'
import { mapAltText } from './alt-text'
import { loadBoundaries } from './boundaries'
import { buildMapCardSvg, type CardFormat, type MapCardData, type MapCardSvg } from './card'

export const FONT_FILES = [
  join('maps', 'fonts', 'DejaVuSans.ttf'),
  join('maps', 'fonts', 'DejaVuSans-Bold.ttf'),
]

export interface MapCard extends MapCardSvg {
  png: Buffer
  alt: string
  format: CardFormat
}

/** Renders an SVG of the card to PNG with the shipped fonts only. */
export function renderSvgToPng(svg: string, resourcesDir: string): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: FONT_FILES.map((f) => join(resourcesDir, f)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    shapeRendering: 2,
    textRendering: 1,
  })
  return resvg.render().asPng()
}

/** The card (SVG, PNG and alt text) for an alert, from the shipped boundaries and fonts. */
export function renderMapCard(
  data: MapCardData,
  resourcesDir: string,
  format: CardFormat = 'landscape',
): MapCard {
  const boundaries = loadBoundaries(resourcesDir)
  const drawn = buildMapCardSvg(data, boundaries, format)
  return {
    ...drawn,
    format,
    png: renderSvgToPng(drawn.svg, resourcesDir),
    alt: mapAltText(data, boundaries),
  }
}
