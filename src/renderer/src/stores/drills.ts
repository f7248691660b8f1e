import { defineStore } from 'pinia'
import { ref } from 'vue'
import type {
  DrillExport,
  DrillListItem,
  DrillReport,
  DrillStatusView,
  FiredView,
  ScenarioView,
} from '@shared/contract/drills'
import { api } from '../api'
import { onResync } from '../api/resync'

/**
 * Drills. In the real room: the shipped scenarios and the drills made from
 * them. Inside a drill: its status (clock, timeline, checkpoints) and report,
 * kept live from `drill:tick` and `drill:fired`.
 */
export const useDrillsStore = defineStore('drills', () => {
  const scenarios = ref<ScenarioView[]>([])
  const drills = ref<DrillListItem[]>([])
  const status = ref<DrillStatusView | undefined>()
  const report = ref<DrillReport | undefined>()

  async function loadList() {
    const [s, d] = await Promise.all([api['drills:scenarios']({}), api['drills:list']({})])
    scenarios.value = s
    drills.value = d
  }

  async function create(scenarioId: string, title?: string) {
    const created = await api['drills:create']({ scenarioId, ...(title ? { title } : {}) })
    drills.value = await api['drills:list']({})
    return created
  }

  async function remove(id: string) {
    await api['drills:delete']({ id })
    drills.value = await api['drills:list']({})
  }

  async function loadStatus() {
    status.value = await api['drill:status']({})
  }

  /** Runs a trainer command and keeps the status it answers with. */
  async function control(run: Promise<DrillStatusView>) {
    status.value = await run
  }
  const start = (speed: number) => control(api['drill:start']({ speed }))
  const pause = () => control(api['drill:pause']({}))
  const resume = () => control(api['drill:resume']({}))
  const setSpeed = (speed: number) => control(api['drill:setSpeed']({ speed }))
  const jump = (to: string) => control(api['drill:jump']({ to }))
  const inject = (event: unknown) => control(api['drill:inject']({ event }))
  const stop = () => control(api['drill:stop']({}))

  async function loadReport() {
    report.value = await api['drill:report']({})
  }

  const exportReport = (format: 'html' | 'pdf'): Promise<DrillExport> =>
    api['drill:export']({ format })

  function placeFired(f: FiredView) {
    const s = status.value
    if (!s) return
    const fired = s.fired.filter((x) => x.seq !== f.seq)
    fired.push(f)
    fired.sort((a, b) => a.seq - b.seq)
    status.value = { ...s, fired }
  }

  // Only the trainer's screen listens to these; the real room never hears them.
  let refresh: ReturnType<typeof setTimeout> | undefined
  api.on('drill:tick', (tick) => {
    if (status.value) status.value = { ...status.value, ...tick }
  })
  api.on('drill:fired', (f) => {
    placeFired(f)
    // Checkpoints and upcoming events change with it: one refresh for a burst of firings.
    refresh ??= setTimeout(() => {
      refresh = undefined
      void loadStatus().catch(() => undefined)
    }, 300)
  })
  // After a reconnection the drill went on without this page: its clock, timeline and list
  // are read again (a drill that ended meanwhile answers with no status).
  // A failed re-read loses nothing (it only reads): the next reconnection or event reads again.
  onResync(() => {
    void api['drills:list']({})
      .then((d) => (drills.value = d))
      .catch(() => undefined)
    if (status.value) void loadStatus().catch(() => undefined)
  })
  api.on('drills:changed', () => {
    void api['drills:list']({})
      .then((d) => (drills.value = d))
      .catch(() => undefined)
  })

  return {
    scenarios,
    drills,
    status,
    report,
    loadList,
    create,
    remove,
    loadStatus,
    start,
    pause,
    resume,
    setSpeed,
    jump,
    inject,
    stop,
    loadReport,
    exportReport,
  }
})
