import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { api, connection, OPERATOR_KEY as STORAGE_KEY } from '../api'

/** The operator on duty at this screen: every action they take is journaled under this name. */
export const useSessionStore = defineStore('session', () => {
  const operator = ref(localStorage.getItem(STORAGE_KEY) ?? '')

  async function identify(name: string) {
    const result = await api['session:identify']({ operator: name })
    operator.value = result.operator
    localStorage.setItem(STORAGE_KEY, result.operator)
  }

  // A new connection (start, reconnection) starts anonymous: say again who we are.
  watch(
    connection,
    (state) => {
      if (state === 'open' && operator.value) void identify(operator.value).catch(() => {})
    },
    { immediate: true },
  )

  return { operator, identify }
})
