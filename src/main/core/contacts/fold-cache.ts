import { foldText } from '../../../shared/contacts/text'

/**
 * foldText for values that repeat across rows (comuni, roles, schools): a big
 * import folds each distinct value once. Bounded, so free text cannot grow it forever.
 */
export function createFoldCache(limit = 10_000): (text: string) => string {
  const cache = new Map<string, string>()
  return (text) => {
    let folded = cache.get(text)
    if (folded === undefined) {
      folded = foldText(text)
      if (cache.size >= limit) cache.clear()
      cache.set(text, folded)
    }
    return folded
  }
}
