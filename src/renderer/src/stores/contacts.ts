import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CommandInput } from '@shared/contract'
import type {
  ConsentInput,
  ContactInput,
  OptOutInput,
  OptOutScope,
  Role,
  SearchQuery,
} from '@shared/contacts'
import { api } from '../api'
import { onResync } from '../api/resync'

export type ImportRequest = CommandInput<'contacts:import'>

/** Contacts, their consents and opt-outs, the role vocabulary, import and export. */
export const useContactsStore = defineStore('contacts', () => {
  const roles = ref<Role[]>([])
  /** Bumped whenever the core says contacts changed: open searches run again. */
  const revision = ref(0)

  async function loadRoles() {
    roles.value = await api['roles:list']({})
  }

  const search = (query: SearchQuery & { listId?: number }) => api['contacts:search'](query)
  const get = (id: number) => api['contacts:get']({ id })
  const create = (contact: ContactInput) => api['contacts:create']({ contact })
  const update = (id: number, contact: ContactInput) => api['contacts:update']({ id, contact })
  const remove = (id: number) => api['contacts:delete']({ id })
  const recordConsent = (id: number, consent: ConsentInput) =>
    api['contacts:recordConsent']({ id, consent })
  const recordOptOut = (id: number, optOut: OptOutInput) =>
    api['contacts:recordOptOut']({ id, optOut })
  const liftOptOut = (id: number, scope: OptOutScope, consent: ConsentInput) =>
    api['contacts:liftOptOut']({ id, scope, consent })
  const importFile = (request: ImportRequest) => api['contacts:import'](request)
  const exportCsv = () => api['contacts:export']({})

  // Another window, the CLI or an import may change contacts: follow the core.
  api.on('contacts:changed', ({ what }) => {
    if (what === 'contacts') revision.value++
    if (what === 'roles') void loadRoles()
  })
  // Changes missed while disconnected: searches run again, roles are read again.
  onResync(() => {
    revision.value++
    if (roles.value.length) return loadRoles()
  })

  return {
    roles,
    revision,
    loadRoles,
    search,
    get,
    create,
    update,
    remove,
    recordConsent,
    recordOptOut,
    liftOptOut,
    importFile,
    exportCsv,
  }
})
