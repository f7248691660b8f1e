import { computed, type ComputedRef } from 'vue'
import { storeToRefs } from 'pinia'
import { alertChains, type VersionLabel } from '@shared/alerts/versions'
import { useAlertsStore } from '../stores/alerts'

/** Which version each alert of the store is ("Allerta", "Aggiornamento 1", "Cessata"), by id. */
export function useVersionLabels(): ComputedRef<Map<number, VersionLabel>> {
  const { alerts } = storeToRefs(useAlertsStore())
  return computed(
    () =>
      new Map(
        alertChains(alerts.value).flatMap((c) => c.versions.map((v) => [v.alert.id, v.label])),
      ),
  )
}
