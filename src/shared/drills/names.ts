import { foldText } from '../contacts/text'

/**
 * Name matching for scenario references. The workspace compares names without
 * case (COLLATE NOCASE), so a scenario does too; a near miss ("Istituto Chechi",
 * a hyphen for a dash) earns a suggestion instead of a bare "not found".
 */

const sameName = (a: string, b: string): boolean =>
  a.trim().normalize('NFC').toLowerCase() === b.trim().normalize('NFC').toLowerCase()

/** The known name equal to `name` (ignoring case), if any. */
export function findName(name: string, known: readonly string[]): string | undefined {
  return known.find((k) => sameName(k, name))
}

/** The known name a person most likely meant: same letters, or one or two typos away. */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  const folded = foldText(name)
  const exact = known.find((k) => foldText(k) === folded)
  if (exact !== undefined) return exact
  let best: { name: string; distance: number } | undefined
  for (const k of known) {
    const distance = editDistance(folded, foldText(k))
    if (!best || distance < best.distance) best = { name: k, distance }
  }
  const tolerance = Math.max(2, Math.floor(folded.length / 10))
  return best && best.distance <= tolerance ? best.name : undefined
}

/** Levenshtein distance, two rows: names are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}
