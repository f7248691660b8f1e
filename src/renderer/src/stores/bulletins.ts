import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BulletinAlertView } from '@shared/contract'
import { api } from '../api'

/** Alerts raised by new bulletins for our zones, until the operator dismisses them. */
export const useBulletinAlertsStore = defineStore('bulletinAlerts', () => {
  const alerts = ref<BulletinAlertView[]>([])
  api.on('feeds:alert', (a) => {
    alerts.value = [a, ...alerts.value.filter((x) => x.item.id !== a.item.id)].slice(0, 20)
  })
  const dismiss = (itemId: number) =>
    (alerts.value = alerts.value.filter((a) => a.item.id !== itemId))
  return { alerts, dismiss }
})
