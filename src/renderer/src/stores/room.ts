import { defineStore } from 'pinia'
import { ref } from 'vue'
import {
  PANEL_MAX_WIDTH,
  PANEL_MIN_WIDTH,
  PRESET_LAYOUTS,
  type LayoutPreset,
  type PanelKind,
  type RoomLayout,
} from '@shared/room/layout'
import { api } from '../api'

const clone = (l: RoomLayout): RoomLayout => JSON.parse(JSON.stringify(l)) as RoomLayout

/** The room's panels for the operator on duty, saved in the workspace after every change. */
export const useRoomStore = defineStore('room', () => {
  const layout = ref<RoomLayout>(clone(PRESET_LAYOUTS.allerta))
  const loaded = ref(false)

  /** Local changes made so far: a read that started before one of them must not undo it. */
  let edits = 0

  async function load() {
    const before = edits
    const saved = await api['room:getLayout']({})
    // The operator changed the room while the saved layout was on its way: theirs wins (and
    // is being saved), the older read is dropped.
    if (edits === before) layout.value = saved ?? clone(PRESET_LAYOUTS.allerta)
    loaded.value = true
  }
  async function persist() {
    edits++
    await api['room:saveLayout']({ layout: layout.value })
  }
  function custom() {
    layout.value.preset = 'custom'
    layout.value.readOnly = false
  }

  async function usePreset(preset: LayoutPreset) {
    layout.value = clone(PRESET_LAYOUTS[preset])
    await persist()
  }
  async function add(kind: PanelKind) {
    const n = layout.value.panels.filter((p) => p.kind === kind).length
    layout.value.panels.push({ id: n ? `${kind}-${n + 1}` : kind, kind, width: 380 })
    custom()
    await persist()
  }
  async function remove(id: string) {
    layout.value.panels = layout.value.panels.filter((p) => p.id !== id)
    custom()
    await persist()
  }
  async function move(id: string, by: -1 | 1) {
    const panels = layout.value.panels
    const i = panels.findIndex((p) => p.id === id)
    const j = i + by
    if (i < 0 || j < 0 || j >= panels.length) return
    ;[panels[i], panels[j]] = [panels[j]!, panels[i]!]
    custom()
    await persist()
  }
  /** Live resize while dragging; `commit` saves once the drag ends. */
  function resize(id: string, width: number) {
    edits++
    const p = layout.value.panels.find((x) => x.id === id)
    if (p) p.width = Math.round(Math.min(PANEL_MAX_WIDTH, Math.max(PANEL_MIN_WIDTH, width)))
  }
  async function commit() {
    custom()
    await persist()
  }

  return { layout, loaded, load, usePreset, add, remove, move, resize, commit }
})
