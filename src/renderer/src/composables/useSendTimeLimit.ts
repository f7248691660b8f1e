import { onUnmounted, ref, watch } from 'vue'
import { DEFAULT_SETTINGS } from '@shared/contract/settings'

/**
 * Configurazione → Ente → "Durata massima di un invio", in minutes: read
 * from the workspace the first time `needed()` holds (a preview with a
 * channel to time), then followed while the component lives. Until the core
 * answers the default (10 minutes) holds; a failed read is logged and the
 * default stays, since the estimate itself does not depend on it.
 */
export function useSendTimeLimit(needed: () => boolean) {
  const minutes = ref(DEFAULT_SETTINGS.sendTimeLimitMinutes)
  let off: (() => void) | undefined
  let gone = false
  let started = false
  const stop = watch(
    needed,
    async (yes) => {
      if (!yes || started) return
      started = true
      // Imported here: a preview with nothing to time opens no link to the core.
      const { api } = await import('../api')
      if (gone) return
      off = api.on('settings:changed', (s) => (minutes.value = s.sendTimeLimitMinutes))
      api['settings:get']({}).then(
        (s) => (minutes.value = s.sendTimeLimitMinutes),
        (err: unknown) =>
          console.warn(
            'Vedetta: the longest acceptable send could not be read; 10 minutes hold',
            err,
          ),
      )
    },
    { immediate: true },
  )
  onUnmounted(() => {
    gone = true
    stop()
    off?.()
  })
  return minutes
}
