import { onScopeDispose, ref, shallowRef, watch, type Ref } from 'vue'
import type { ContactSummary, ListFilter } from '@shared/contacts'
import { useContactsStore } from '../../stores/contacts'

/** What the search is limited to, besides the words typed. */
export interface SearchScope {
  listId?: number
  filter?: ListFilter
}

/** Typing pauses this long before a search runs: fast typists send one query, not ten. */
export const SEARCH_DEBOUNCE_MS = 150

/**
 * Searches contacts as the person types: debounced, a page at a time through
 * the core's keyset cursor, and answers that arrive late for an older query
 * are dropped so the table never shows results for words no longer typed.
 */
export function useContactSearch(options: { pageSize?: number; scope?: Ref<SearchScope> } = {}) {
  const store = useContactsStore()
  const limit = options.pageSize ?? 100
  const query = ref('')
  const items = shallowRef<ContactSummary[]>([])
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const failed = ref(false)
  let generation = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const request = (cursor: string | null) => {
    const scope = options.scope?.value ?? {}
    const words = query.value.trim()
    return store.search({
      ...(words ? { query: words } : {}),
      ...(scope.filter ? { filter: scope.filter } : {}),
      ...(scope.listId ? { listId: scope.listId } : {}),
      ...(cursor ? { cursor } : {}),
      limit,
    })
  }

  /** Runs the search from the first page, now. */
  async function reload() {
    clearTimeout(timer)
    const mine = ++generation
    loading.value = true
    try {
      const page = await request(null)
      if (mine !== generation) return
      items.value = page.items
      nextCursor.value = page.nextCursor
      failed.value = false
    } catch {
      if (mine === generation) failed.value = true
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  /** Appends the next page, when there is one. */
  async function loadMore() {
    if (loading.value || nextCursor.value === null) return
    const mine = generation
    loading.value = true
    try {
      const page = await request(nextCursor.value)
      if (mine !== generation) return
      const seen = new Set(items.value.map((c) => c.id))
      items.value = [...items.value, ...page.items.filter((c) => !seen.has(c.id))]
      nextCursor.value = page.nextCursor
    } catch {
      if (mine === generation) failed.value = true
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  watch(query, () => {
    clearTimeout(timer)
    timer = setTimeout(() => void reload(), SEARCH_DEBOUNCE_MS)
  })
  if (options.scope) watch(options.scope, () => void reload(), { deep: true })
  onScopeDispose(() => clearTimeout(timer))

  return { query, items, nextCursor, loading, failed, reload, loadMore }
}
