import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Alert, AlertChange } from '@shared/alerts/types'
import { api } from '../api'

/** The alerts of the workspace, newest first, kept current by events. */
export const useAlertsStore = defineStore('alerts', () => {
  const alerts = ref<Alert[]>([])
  const loaded = ref(false)
  const listeners = new Set<(c: AlertChange) => void>()

  async function load() {
    alerts.value = await api['alerts:list']({ limit: 200 })
    loaded.value = true
  }
  api.on('alerts:changed', (change) => {
    void load()
    for (const l of listeners) l(change)
  })
  /** Subscribe to alert changes (e.g. a progress view reloading its counts). */
  function onChange(listener: (c: AlertChange) => void) {
    listeners.add(listener)
    return () => listeners.delete(listener)
  }
  return { alerts, loaded, load, onChange }
})
