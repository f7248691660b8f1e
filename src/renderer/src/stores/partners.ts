import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { Partner, PartnerInput } from '@shared/contacts'
import { api } from '../api'

/** Partner institutions that relay our alerts on their own pages. */
export const usePartnersStore = defineStore('partners', () => {
  const partners = ref<Partner[]>([])
  const loaded = ref(false)

  async function load() {
    partners.value = await api['partners:list']({})
    loaded.value = true
  }
  async function create(partner: PartnerInput) {
    const created = await api['partners:create']({ partner })
    await load()
    return created
  }
  async function update(id: number, partner: PartnerInput) {
    const updated = await api['partners:update']({ id, partner })
    await load()
    return updated
  }
  async function remove(id: number) {
    await api['partners:delete']({ id })
    await load()
  }

  // Admins are contacts: a renamed or merged admin shows up here too.
  api.on('contacts:changed', ({ what }) => {
    if ((what === 'partners' || what === 'contacts') && loaded.value) void load()
  })

  return { partners, loaded, load, create, update, remove }
})
