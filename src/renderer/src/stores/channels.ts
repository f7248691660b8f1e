import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  ChannelAccountView,
  CreateChannelAccount,
  UpdateChannelAccount,
} from '@shared/contract'
import { api } from '../api'

/** Channel accounts as the core reports them (without secrets). */
export const useChannelsStore = defineStore('channels', () => {
  const accounts = ref<ChannelAccountView[]>([])
  const loaded = ref(false)

  async function load() {
    accounts.value = await api['channels:list']({})
    loaded.value = true
  }

  async function create(input: CreateChannelAccount) {
    const created = await api['channels:create'](input)
    await load()
    return created
  }

  async function update(input: UpdateChannelAccount) {
    const updated = await api['channels:update'](input)
    await load()
    return updated
  }

  async function test(id: number) {
    const result = await api['channels:test']({ id })
    await load()
    return result
  }

  async function remove(id: number) {
    await api['channels:delete']({ id })
    await load()
  }

  // Another window or the CLI may change accounts: follow the core.
  api.on('channels:changed', () => void load())

  return { accounts, loaded, load, create, update, remove, test }
})
