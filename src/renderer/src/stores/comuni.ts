import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Comune, ComuneInput } from '@shared/contacts'
import { api } from '../api'

/** The municipalities of the union. */
export const useComuniStore = defineStore('comuni', () => {
  const comuni = ref<Comune[]>([])
  const loaded = ref(false)

  async function load() {
    comuni.value = await api['comuni:list']({})
    loaded.value = true
  }
  async function create(input: ComuneInput) {
    const created = await api['comuni:create'](input)
    await load()
    return created
  }
  async function update(id: number, comune: ComuneInput) {
    const updated = await api['comuni:update']({ id, comune })
    await load()
    return updated
  }
  async function remove(id: number) {
    await api['comuni:delete']({ id })
    await load()
  }
  /** The comune's name, for ids found in merge reports and filters. */
  const nameOf = (id: number | string | null | undefined): string | undefined =>
    comuni.value.find((c) => c.id === Number(id))?.name

  api.on('contacts:changed', ({ what }) => {
    if (what === 'comuni' && loaded.value) void load()
  })

  return { comuni, loaded, load, create, update, remove, nameOf }
})
