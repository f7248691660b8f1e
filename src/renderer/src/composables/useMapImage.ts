import { computed, ref, watch, type WatchSource } from 'vue'
import type { MapView } from '@shared/contract/maps'

/**
 * A map the core draws (`maps:*`), shown as an image: the SVG goes in a
 * `data:` URL, so it is a picture and never markup of the page (nothing in it
 * runs or styles the room), and its alt text says what it shows. Read again
 * whenever `source` changes; an older answer that arrives late is dropped.
 */
export function useMapImage(source: WatchSource<unknown>, load: () => Promise<MapView>) {
  const map = ref<MapView>()
  const error = ref('')
  let asked = 0
  async function refresh() {
    const mine = ++asked
    try {
      const answer = await load()
      if (mine !== asked) return
      map.value = answer
      error.value = ''
    } catch (err) {
      if (mine !== asked) return
      // Said under the map's place: the lists and texts around it still hold.
      error.value = (err as Error).message
    }
  }
  watch(source, () => void refresh(), { immediate: true, deep: true })
  const src = computed(() =>
    map.value ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(map.value.svg)}` : '',
  )
  return { map, src, error, refresh }
}
