import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { BulletinAlertView } from '@shared/contract'
import { api } from '../api'

/** Alerts raised by new bulletins for our zones, until the operator dismisses them. */
export const useBulletinAlertsStore = defineStore('bulletinAlerts', () => {
  const alerts = ref<BulletinAlertView[]>([])
  // An update replaces the banner of the bulletin it updates: one banner per bulletin.
  api.on('feeds:alert', (a) => {
    const replaced = new Set([a.item.id, a.item.supersedesId])
    alerts.value = [a, ...alerts.value.filter((x) => !replaced.has(x.item.id))].slice(0, 20)
  })
  const dismiss = (itemId: number) =>
    (alerts.value = alerts.value.filter((a) => a.item.id !== itemId))
  return { alerts, dismiss }
})
