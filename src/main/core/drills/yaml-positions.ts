import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'

export interface Position {
  line: number
  column: number
}

const keyMatches = (key: unknown, segment: string | number): boolean =>
  isScalar(key) ? String(key.value) === String(segment) : String(key) === String(segment)

/**
 * Where a path points in a parsed YAML (or JSON) document. A field is placed at
 * its key, where a person looks for it; a missing field at the nearest thing
 * that exists (the mapping that lacks it).
 */
export function positionOf(
  doc: Document,
  lines: LineCounter,
  path: readonly (string | number)[],
): Position {
  let node: unknown = doc.contents
  let place: Node | null = (doc.contents as Node | null) ?? null
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, segment))
      if (!pair) break
      place = (pair.key as Node | null) ?? (pair.value as Node | null) ?? place
      node = pair.value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment]
      if (!item) break
      place = item as Node
      node = item
    } else {
      break
    }
  }
  const offset = place?.range?.[0]
  if (offset === undefined) return { line: 1, column: 1 }
  const { line, col } = lines.linePos(offset)
  return { line, column: col }
}
