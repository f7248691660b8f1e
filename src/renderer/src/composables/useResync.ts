import { getCurrentInstance, onUnmounted } from 'vue'
import { onResync } from '../api/resync'

/** A component's live view re-read after a reconnection (api/resync.ts), for as long as it is mounted. */
export function useResync(hook: () => unknown): void {
  const off = onResync(hook)
  if (getCurrentInstance()) onUnmounted(off)
}
