import { computed, ref, shallowRef, triggerRef } from 'vue'
import { useResync } from './useResync'

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/**
 * A newest-first list that grows at both ends: older pages load on demand,
 * new items wait behind "N nuovi" while the reader is not at the top, and
 * updates replace rows in place. One composable for every live panel. After
 * a reconnection the list is read again from the top (events of the gap are lost).
 */
export function useLiveList<T>(options: {
  key: (item: T) => string | number
  loadPage: (cursor: string | null) => Promise<Page<T>>
}) {
  const items = shallowRef<T[]>([])
  const pending = shallowRef<T[]>([])
  const nextCursor = ref<string | null>(null)
  const loading = ref(false)
  const atTop = ref(true)
  const index = new Map<string | number, number>()

  const reindex = () => {
    index.clear()
    items.value.forEach((item, i) => index.set(options.key(item), i))
  }

  async function reload() {
    loading.value = true
    try {
      const page = await options.loadPage(null)
      items.value = page.items
      pending.value = []
      nextCursor.value = page.nextCursor
      reindex()
    } finally {
      loading.value = false
    }
  }

  useResync(reload)

  async function loadMore() {
    if (loading.value || nextCursor.value === null) return
    loading.value = true
    try {
      const page = await options.loadPage(nextCursor.value)
      const fresh = page.items.filter((i) => !index.has(options.key(i)))
      items.value = [...items.value, ...fresh]
      nextCursor.value = page.nextCursor
      reindex()
    } finally {
      loading.value = false
    }
  }

  /** New or changed items, newest first: changes replace in place, new ones wait if the reader is away from the top. */
  function receive(incoming: T[]) {
    const added: T[] = []
    let changed = false
    for (const item of incoming) {
      const at = index.get(options.key(item))
      if (at !== undefined) {
        items.value[at] = item
        changed = true
      } else if (!pending.value.some((p) => options.key(p) === options.key(item))) {
        added.push(item)
      }
    }
    if (changed) triggerRef(items)
    if (!added.length) return
    if (atTop.value) {
      items.value = [...added, ...items.value]
      reindex()
    } else {
      pending.value = [...added, ...pending.value]
    }
  }

  /** Shows what was waiting behind "N nuovi". */
  function showPending() {
    items.value = [...pending.value, ...items.value]
    pending.value = []
    reindex()
  }

  return {
    items,
    pending,
    pendingCount: computed(() => pending.value.length),
    hasMore: computed(() => nextCursor.value !== null),
    loading,
    atTop,
    reload,
    loadMore,
    receive,
    showPending,
  }
}
