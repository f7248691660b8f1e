/**
 * The alert map card as SVG: the Circondario's comuni from the ISTAT
 * boundaries, each filled with its level's colour and a pattern (so the level
 * reads without colour too), the neighbouring comuni in grey, a legend, the
 * alert in words, the ente's name and hashtag, and the boundaries' attribution.
 *
 * Projection: longitude/latitude scaled by cos(latitude) at the centre of the
 * Circondario (equirectangular), which at this size is indistinguishable from
 * a conformal projection and keeps the code free of a map library.
 */
import {
  ALERT_KIND_PHRASES,
  ALERT_LEVELS,
  type AlertKind,
  type AlertLevel,
} from '../../../shared/templates/alert-kinds'
import type { Boundaries, ComuneShape } from './boundaries'
import { validityWords } from './validity'

export interface MapCardData {
  /** The comuni the alert covers, each with its level; the others are drawn green. */
  comuni: { name: string; level: AlertLevel }[]
  kind: AlertKind
  validFrom?: string | null
  validTo?: string | null
  headline?: string | null
  ente: { name: string; hashtag: string }
}

export type CardFormat = 'landscape' | 'square'

export const CARD_SIZES: Record<CardFormat, { width: number; height: number }> = {
  landscape: { width: 1200, height: 675 },
  square: { width: 1080, height: 1080 },
}

export interface Box {
  x: number
  y: number
  width: number
  height: number
}

export interface DrawnComune {
  name: string
  istat: string
  level: AlertLevel
  /** Bounding box of the drawn outline, in card pixels. */
  bounds: Box
}

export interface MapCardSvg {
  svg: string
  width: number
  height: number
  /** The map's frame, inside the card. */
  frame: Box
  comuni: DrawnComune[]
  title: string
  validity: string
}

export const LEVEL_COLOURS: Record<AlertLevel, string> = {
  verde: '#3a9d4f',
  giallo: '#ffd21f',
  arancione: '#f5821f',
  rosso: '#d7191c',
}

/** What the legend and the alt text call each level. */
export const LEVEL_WORDS: Record<AlertLevel, string> = {
  verde: 'verde',
  giallo: 'giallo',
  arancione: 'arancione',
  rosso: 'rosso',
}

const LEGEND: Record<AlertLevel, string> = {
  verde: 'Verde — nessuna allerta',
  giallo: 'Giallo — allerta gialla',
  arancione: 'Arancione — allerta arancione',
  rosso: 'Rosso — allerta rossa',
}

/** Feminine, as "allerta" is: "Allerta gialla", "Allerta rossa". */
const ALLERTA_ADJECTIVE: Record<AlertLevel, string> = {
  verde: 'verde',
  giallo: 'gialla',
  arancione: 'arancione',
  rosso: 'rossa',
}

/**
 * One pattern per level over its colour: plain for green, dots for yellow,
 * diagonal lines for orange, a cross-hatch for red.
 */
function patternDefs(): string {
  const p = (level: AlertLevel, marks: string) =>
    `<pattern id="level-${level}" patternUnits="userSpaceOnUse" width="14" height="14">` +
    `<rect width="14" height="14" fill="${LEVEL_COLOURS[level]}"/>${marks}</pattern>`
  return [
    p('verde', ''),
    p(
      'giallo',
      '<circle cx="3.5" cy="3.5" r="1.8" fill="#5c4a00"/><circle cx="10.5" cy="10.5" r="1.8" fill="#5c4a00"/>',
    ),
    p(
      'arancione',
      '<path d="M-3.5 3.5L3.5 -3.5M0 14L14 0M10.5 17.5L17.5 10.5" stroke="#5a2800" stroke-width="2.2"/>',
    ),
    p(
      'rosso',
      '<path d="M0 14L14 0M-3.5 3.5L3.5 -3.5M10.5 17.5L17.5 10.5M0 0L14 14M-3.5 10.5L3.5 17.5M10.5 -3.5L17.5 3.5" stroke="#3d0000" stroke-width="2"/>',
    ),
  ].join('')
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const normalise = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()

/** The Circondario's comune named `name` (accents, case and spacing aside), or undefined. */
export function findComune(boundaries: Boundaries, name: string): ComuneShape | undefined {
  const key = normalise(name)
  return boundaries.comuni.find((c) => c.circondario && normalise(c.name) === key)
}

/** Each Circondario comune with its level (green where the alert does not name it). */
export function levelsByComune(
  boundaries: Boundaries,
  comuni: MapCardData['comuni'],
): Map<ComuneShape, AlertLevel> {
  const levels = new Map<ComuneShape, AlertLevel>()
  for (const c of boundaries.comuni) if (c.circondario) levels.set(c, 'verde')
  const unknown: string[] = []
  for (const { name, level } of comuni) {
    const shape = findComune(boundaries, name)
    if (!shape) unknown.push(name)
    else levels.set(shape, level)
  }
  if (unknown.length) {
    const known = [...levels.keys()].map((c) => c.name).join(', ')
    throw new RangeError(
      `comune non del Circondario: ${unknown.join(', ')} (i comuni sono: ${known})`,
    )
  }
  return levels
}

/** The highest level among the comuni. */
export function highestLevel(levels: Iterable<AlertLevel>): AlertLevel {
  let top = 0
  for (const l of levels) top = Math.max(top, ALERT_LEVELS.indexOf(l))
  return ALERT_LEVELS[top]!
}

/** "Allerta arancione per rischio idraulico", "Cessata allerta", "Nessuna allerta". */
export function titleWords(kind: AlertKind, top: AlertLevel): string {
  if (kind === 'cessata_allerta') return 'Cessata allerta'
  if (kind === 'scuole_chiuse') return 'Scuole chiuse'
  if (kind === 'generico') return top === 'verde' ? 'Avviso' : `Avviso — codice ${LEVEL_WORDS[top]}`
  if (top === 'verde') return `Nessuna allerta per ${ALERT_KIND_PHRASES[kind]}`
  return `Allerta ${ALLERTA_ADJECTIVE[top]} per ${ALERT_KIND_PHRASES[kind]}`
}

/**
 * Greedy line breaking with DejaVu Sans's average advance, generously (0.54 em
 * for Italian text, 0.6 for bold; measured about 0.47 and 0.54), so lines stay inside `width`.
 */
export function wrap(text: string, fontSize: number, width: number, bold = false): string[] {
  const perChar = fontSize * (bold ? 0.6 : 0.54)
  const max = Math.max(8, Math.floor(width / perChar))
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!line) line = word
    else if (line.length + 1 + word.length <= max) line += ' ' + word
    else {
      lines.push(line)
      line = word
    }
  }
  if (line) lines.push(line)
  return lines
}

interface Projector {
  (lon: number, lat: number): [number, number]
}

function projector(shapes: ComuneShape[], frame: Box, margin: number): Projector {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const s of shapes)
    for (const [lon, lat] of s.rings[0]!) {
      x0 = Math.min(x0, lon)
      x1 = Math.max(x1, lon)
      y0 = Math.min(y0, lat)
      y1 = Math.max(y1, lat)
    }
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180)
  const w = (x1 - x0) * k
  const h = y1 - y0
  const scale = Math.min((frame.width - 2 * margin) / w, (frame.height - 2 * margin) / h)
  const ox = frame.x + (frame.width - w * scale) / 2
  const oy = frame.y + (frame.height - h * scale) / 2
  return (lon, lat) => [ox + (lon - x0) * k * scale, oy + (y1 - lat) * scale]
}

function pathOf(shape: ComuneShape, project: Projector): { d: string; bounds: Box } {
  let [bx0, by0, bx1, by1] = [Infinity, Infinity, -Infinity, -Infinity]
  const parts: string[] = []
  for (const ring of shape.rings) {
    let d = ''
    let last = ''
    for (const [lon, lat] of ring) {
      const [x, y] = project(lon, lat)
      bx0 = Math.min(bx0, x)
      bx1 = Math.max(bx1, x)
      by0 = Math.min(by0, y)
      by1 = Math.max(by1, y)
      const pt = `${x.toFixed(1)} ${y.toFixed(1)}`
      if (pt === last) continue
      d += (d ? 'L' : 'M') + pt
      last = pt
    }
    parts.push(d + 'Z')
  }
  return { d: parts.join(''), bounds: { x: bx0, y: by0, width: bx1 - bx0, height: by1 - by0 } }
}

/** Where the name of a comune goes: the centroid of its outline (by area). */
function centroid(shape: ComuneShape, project: Projector): [number, number] {
  const pts = shape.rings[0]!.map(([lon, lat]) => project(lon, lat))
  let a = 0
  let cx = 0
  let cy = 0
  for (let i = 0; i < pts.length - 1; i++) {
    const [x0, y0] = pts[i]!
    const [x1, y1] = pts[i + 1]!
    const f = x0 * y1 - x1 * y0
    a += f
    cx += (x0 + x1) * f
    cy += (y0 + y1) * f
  }
  return a === 0 ? pts[0]! : [cx / (3 * a), cy / (3 * a)]
}

/** Nudges for the labels of the small comuni, in card pixels at 1:1 scale. */
const LABEL_NUDGE: Record<string, [number, number]> = {
  '048008': [0, -4], // Capraia e Limite
  '048028': [4, 6], // Montelupo Fiorentino
}

/**
 * The font of the card's words: DejaVu Sans, shipped with the app and the only one
 * resvg may use; a browser showing the SVG itself (the room, the drill report) falls
 * back to a wide sans-serif of the system where DejaVu is not installed.
 */
const FONT_FAMILY = "DejaVu Sans, Verdana, 'Segoe UI', sans-serif"

/** The map inside `frame`: the frame, the neighbours in grey, the comuni by level, their names. */
function drawMap(
  boundaries: Boundaries,
  levels: Map<ComuneShape, AlertLevel>,
  frame: Box,
  margin: number,
  labelSize: number,
  label: (c: ComuneShape) => string,
  nudges: Record<string, [number, number]> = LABEL_NUDGE,
): { defs: string; body: string; drawn: DrawnComune[] } {
  const ours = [...levels.keys()]
  const project = projector(ours, frame, margin)
  const neighbours = boundaries.comuni
    .filter((c) => !c.circondario)
    .map((c) => `<path d="${pathOf(c, project).d}"/>`)
    .join('')
  const drawn: DrawnComune[] = []
  const shapes: string[] = []
  const labels: string[] = []
  const k = labelSize / 15
  for (const c of ours) {
    const level = levels.get(c)!
    const { d, bounds } = pathOf(c, project)
    drawn.push({ name: c.name, istat: c.istat, level, bounds })
    shapes.push(
      `<path id="comune-${c.istat}" data-name="${esc(c.name)}" data-level="${level}" fill="url(#level-${level})" d="${d}"/>`,
    )
    const [cx, cy] = centroid(c, project)
    const [nx, ny] = nudges[c.istat] ?? [0, 0]
    labels.push(
      `<text x="${(cx + nx * k).toFixed(1)}" y="${(cy + ny * k).toFixed(1)}">${esc(label(c))}</text>`,
    )
  }
  const f = frame
  const frameRect = `x="${f.x}" y="${f.y}" width="${f.width}" height="${f.height}"`
  const body =
    `<g clip-path="url(#frame)"><rect ${frameRect} fill="#eef3f7"/>` +
    `<g id="neighbours" fill="#d4d4d4" stroke="#ffffff" stroke-width="1.2">${neighbours}</g>` +
    `<g id="comuni" stroke="#1a1a1a" stroke-width="1.6" stroke-linejoin="round">${shapes.join('')}</g>` +
    `<g id="labels" font-size="${labelSize}" font-weight="bold" fill="#111111" text-anchor="middle" stroke="#ffffff" stroke-width="${(3.5 * k).toFixed(1).replace(/\.0$/, '')}" paint-order="stroke" stroke-linejoin="round">${labels.join('')}</g></g>` +
    `<rect ${frameRect} fill="none" stroke="#9aa7b2" stroke-width="1.5"/>`
  return { defs: `<clipPath id="frame"><rect ${frameRect}/></clipPath>`, body, drawn }
}

/** The alert's comuni split into those on the map and those it cannot place (another union). */
export function partitionComuni(
  boundaries: Boundaries,
  comuni: MapCardData['comuni'],
): { mapped: MapCardData['comuni']; unmapped: string[] } {
  const mapped: MapCardData['comuni'] = []
  const unmapped: string[] = []
  for (const c of comuni) {
    if (findComune(boundaries, c.name)) mapped.push(c)
    else unmapped.push(c.name)
  }
  return { mapped, unmapped }
}

export interface CompactMapSvg {
  svg: string
  width: number
  height: number
  comuni: DrawnComune[]
}

/** On the small map the labels are larger for its size: Fucecchio and Cerreto Guidi move apart. */
const COMPACT_NUDGE: Record<string, [number, number]> = {
  ...LABEL_NUDGE,
  '048019': [-8, 4], // Fucecchio
  '048011': [8, 12], // Cerreto Guidi
}

/** "Montelupo Fiorentino" → "Montelupo": a compact map names long comuni by their first word. */
const shortName = (name: string) => (name.length > 14 ? name.split(' ')[0]! : name)

/**
 * The map alone, for a panel of the room: the same comuni, colours and patterns
 * as the card, without title, legend or words, `width` wide and as tall as the
 * Circondario is (a viewBox, so it scales to whatever holds it).
 */
export function buildCompactMapSvg(
  comuni: MapCardData['comuni'],
  boundaries: Boundaries,
  width = 320,
): CompactMapSvg {
  const levels = levelsByComune(boundaries, comuni)
  const ours = [...levels.keys()]
  // The Circondario's aspect, on the same projection as the card.
  const unit = { x: 0, y: 0, width: 1000, height: 1000 }
  const probe = projector(ours, unit, 0)
  let [y0, y1, x0, x1] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const s of ours)
    for (const [lon, lat] of s.rings[0]!) {
      const [x, y] = probe(lon, lat)
      x0 = Math.min(x0, x)
      x1 = Math.max(x1, x)
      y0 = Math.min(y0, y)
      y1 = Math.max(y1, y)
    }
  const margin = 10
  const height = Math.round(((width - 2 * margin) * (y1 - y0)) / (x1 - x0) + 2 * margin)
  const frame: Box = { x: 0, y: 0, width, height }
  const map = drawMap(
    boundaries,
    levels,
    frame,
    margin,
    12,
    (c) => shortName(c.name),
    COMPACT_NUDGE,
  )
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">` +
    `<defs>${patternDefs()}${map.defs}</defs>${map.body}</svg>`
  return { svg, width, height, comuni: map.drawn }
}

interface Layout {
  /** Where the words go (the whole card's width below the map in square). */
  text: Box
  titleSize: number
  /** The map's frame in landscape; in square it fills what the words leave. */
  frame?: Box
}

const LAYOUTS: Record<CardFormat, Layout> = {
  landscape: {
    text: { x: 696, y: 24, width: 480, height: 627 },
    titleSize: 38,
    frame: { x: 24, y: 24, width: 640, height: 627 },
  },
  square: { text: { x: 48, y: 36, width: 984, height: 1008 }, titleSize: 46 },
}

const LEGEND_ROW = 44

/** Builds the card's SVG for `format` from the alert's data. */
export function buildMapCardSvg(
  data: MapCardData,
  boundaries: Boundaries,
  format: CardFormat = 'landscape',
): MapCardSvg {
  const { width, height } = CARD_SIZES[format]
  const layout = LAYOUTS[format]
  const t = layout.text
  const levels = levelsByComune(boundaries, data.comuni)
  const top = highestLevel(levels.values())
  const title = titleWords(data.kind, top)
  const validity = validityWords(data.validFrom, data.validTo)
  const text = (x: number, y: number, size: number, words: string, attrs = '') =>
    `<text x="${x}" y="${y.toFixed(1)}" font-size="${size}"${attrs}>${esc(words)}</text>`
  const BOLD = ' font-weight="bold"'

  // From the top: title, validity, headline.
  const head: string[] = []
  let y = t.y + layout.titleSize
  for (const l of wrap(title, layout.titleSize, t.width, true)) {
    head.push(text(t.x, y, layout.titleSize, l, `${BOLD} fill="#111111"`))
    y += layout.titleSize * 1.18
  }
  y -= layout.titleSize * 0.18
  if (validity) {
    y += 14
    for (const l of wrap(validity, 26, t.width)) {
      y += 26
      head.push(text(t.x, y, 26, l, ' fill="#222222"'))
      y += 6
    }
  }
  if (data.headline) {
    y += 10
    for (const l of wrap(data.headline, 22, t.width).slice(0, 3)) {
      y += 22
      head.push(text(t.x, y, 22, l, ' fill="#333333"'))
      y += 6
    }
  }
  const headEnd = y

  // From the bottom: the attribution, the hashtag, the ente's name, the legend.
  const foot: string[] = []
  let by = height - 24
  const attribution = wrap(boundaries.attribution, 14, t.width)
  for (const l of [...attribution].reverse()) {
    foot.push(text(t.x, by, 14, l, ' fill="#555555"'))
    by -= 18
  }
  by -= 16
  const hashtag = data.ente.hashtag.trim()
  const hashtagOwnLine = format === 'landscape' && hashtag !== ''
  if (hashtagOwnLine) {
    foot.push(text(t.x, by, 24, hashtag, `${BOLD} fill="#0b4f9c"`))
    by -= 32
  } else if (hashtag) {
    foot.push(text(t.x + t.width, by, 24, hashtag, `${BOLD} fill="#0b4f9c" text-anchor="end"`))
  }
  const nameWidth = hashtagOwnLine || !hashtag ? t.width : t.width - 0.6 * 24 * (hashtag.length + 2)
  for (const l of wrap(data.ente.name, 24, nameWidth, true).reverse()) {
    foot.push(text(t.x, by, 24, l, `${BOLD} fill="#111111"`))
    by -= 30
  }
  by -= 8

  const present = ALERT_LEVELS.filter((l) => [...levels.values()].includes(l)).reverse()
  const columns = format === 'square' ? 2 : 1
  const rows = Math.ceil(present.length / columns)
  const legendTop = by - rows * LEGEND_ROW
  const legend: string[] = []
  present.forEach((level, i) => {
    const lx = t.x + (i % columns) * Math.floor(t.width / columns)
    const ly = legendTop + Math.floor(i / columns) * LEGEND_ROW
    legend.push(
      `<rect x="${lx}" y="${ly}" width="44" height="32" fill="url(#level-${level})" stroke="#333333" stroke-width="1.5"/>`,
      text(lx + 58, ly + 24, 22, LEGEND[level], ' fill="#222222"'),
    )
  })

  const frame: Box = layout.frame ?? {
    x: 24,
    y: Math.ceil(headEnd + 20),
    width: width - 48,
    height: Math.floor(legendTop - 20 - (headEnd + 20)),
  }
  const map = drawMap(boundaries, levels, frame, 24, 15, (c) => c.name)
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">` +
    `<defs>${patternDefs()}${map.defs}</defs>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    map.body +
    head.join('') +
    legend.join('') +
    foot.join('') +
    `</svg>`
  return { svg, width, height, frame, comuni: map.drawn, title, validity }
}
