import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ListView } from '@shared/contract/contacts'
import type { ListInput } from '@shared/contacts'
import { api } from '../api'

/** Static and dynamic lists, each with its reach per channel family. */
export const useListsStore = defineStore('lists', () => {
  const lists = ref<ListView[]>([])
  const loaded = ref(false)

  async function load() {
    lists.value = await api['lists:list']({})
    loaded.value = true
  }
  async function create(list: ListInput) {
    const created = await api['lists:create']({ list })
    await load()
    return created
  }
  async function update(id: number, list: ListInput) {
    const updated = await api['lists:update']({ id, list })
    await load()
    return updated
  }
  async function remove(id: number) {
    await api['lists:delete']({ id })
    await load()
  }
  async function addMembers(id: number, contactIds: number[]) {
    const updated = await api['lists:addMembers']({ id, contactIds })
    await load()
    return updated
  }
  async function removeMembers(id: number, contactIds: number[]) {
    const updated = await api['lists:removeMembers']({ id, contactIds })
    await load()
    return updated
  }

  // Reach depends on contacts (opt-outs, numbers) and comuni as much as on the lists.
  api.on('contacts:changed', ({ what }) => {
    if (what !== 'partners' && loaded.value) void load()
  })

  return { lists, loaded, load, create, update, remove, addMembers, removeMembers }
})
