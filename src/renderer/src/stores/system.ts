import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SystemInfo } from '@shared/contract'
import { api } from '../api'

export const useSystemStore = defineStore('system', () => {
  const info = ref<SystemInfo | undefined>()
  async function load() {
    info.value = await api['system:info']({})
  }
  return { info, load }
})
