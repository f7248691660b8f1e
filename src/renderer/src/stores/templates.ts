import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { TemplateView } from '@shared/contract'
import { api } from '../api'

export type TemplateDraft = Pick<TemplateView, 'name' | 'kind' | 'level' | 'variants'> & {
  id?: string
}

export const useTemplatesStore = defineStore('templates', () => {
  const templates = ref<TemplateView[]>([])
  const loaded = ref(false)

  async function load() {
    templates.value = await api['templates:list']({})
    loaded.value = true
  }
  async function save(draft: TemplateDraft) {
    const saved = await api['templates:save'](draft)
    await load()
    return saved
  }
  async function remove(id: string) {
    await api['templates:delete']({ id })
    await load()
  }
  api.on('templates:changed', () => void load())
  return { templates, loaded, load, save, remove }
})
