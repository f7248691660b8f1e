import type { KnownNames } from '../../../shared/drills/scenario-checks'
import { join } from 'node:path'
import type { DrillListItem, ScenarioView } from '../../../shared/contract/drills'
import { formatScenarioIssue } from '../../../shared/drills/issues'
import { scenarioRequirements } from '../../../shared/drills/scenario-checks'
import type { Db } from '../db/open'
import { createDrill, deleteDrill, listDrills, type DrillListEntry } from '../drills/drill-files'
import { loadScenarioFolder } from '../drills/scenario-library'
import { CoreError } from '../errors'
import type { EventBus } from '../events'
import type { HandlersFor } from '../handlers'
import type { DrillRooms } from './drill-rooms'
import { timelineEnd } from './timeline-end'

export interface DrillsHandlerDeps {
  /** The core's own database: the real workspace (drills are made from it) or a drill. */
  db: Db
  mode: 'real' | 'drill'
  dataDir: string
  /** The shipped data: scenarios are in `<resourcesDir>/scenarios`. */
  resourcesDir: string
  /** The drills open beside the real room (real mode). */
  rooms?: DrillRooms
  /** The names a scenario may use, read from this workspace's lists, partners, channels and comuni. */
  names: () => KnownNames
  /** Hears `drills:changed`. */
  events?: EventBus
  now?: () => Date
}

const refuse = (message: string) => (): never => {
  throw new CoreError('forbidden', message)
}

function listItem(entry: DrillListEntry, open: boolean): DrillListItem {
  if (!entry.ok) {
    return {
      id: entry.id,
      ok: false,
      title: entry.id,
      scenarioId: '',
      createdAt: '',
      createdBy: '',
      state: 'ended',
      updatedAt: '',
      sizeBytes: 0,
      open,
      problem: entry.problem,
    }
  }
  return {
    id: entry.id,
    ok: true,
    title: entry.title,
    scenarioId: entry.scenarioId,
    createdAt: entry.createdAt,
    createdBy: entry.createdBy,
    state: entry.status,
    updatedAt: entry.updatedAt,
    sizeBytes: entry.sizeBytes,
    open,
  }
}

/**
 * The drills' commands as one core answers them. The real room manages drills
 * (`drills:*`) and refuses the trainer's controls: those are answered by the
 * drill a connection is bound to (see DrillRuntime.handlers). A drill's own
 * core refuses to manage drills: they are made from the real workspace.
 */
export function drillsHandlers(
  deps: DrillsHandlerDeps,
): HandlersFor<'drills'> & HandlersFor<'drill'> {
  const noTrainer = refuse(
    deps.mode === 'real'
      ? 'the trainer controls work inside a drill: open the drill first'
      : 'this drill is not open for its trainer here',
  )
  const trainer: HandlersFor<'drill'> = {
    'drill:status': noTrainer,
    'drill:start': noTrainer,
    'drill:pause': noTrainer,
    'drill:resume': noTrainer,
    'drill:setSpeed': noTrainer,
    'drill:jump': noTrainer,
    'drill:inject': noTrainer,
    'drill:stop': noTrainer,
    'drill:report': noTrainer,
    'drill:export': noTrainer,
  }
  if (deps.mode === 'drill') {
    const inDrill = refuse('drills are managed from the real room, not from inside a drill')
    return {
      'drills:scenarios': inDrill,
      'drills:list': inDrill,
      'drills:create': inDrill,
      'drills:delete': inDrill,
      ...trainer,
    }
  }

  const names = deps.names
  const now = deps.now ?? (() => new Date())
  const scenariosDir = join(deps.resourcesDir, 'scenarios')
  const changed = (id: string) => deps.events?.emit('drills:changed', { id })

  return {
    'drills:scenarios': () =>
      loadScenarioFolder(scenariosDir, names()).map((load): ScenarioView =>
        load.ok
          ? {
              id: load.scenario.id,
              fileName: load.fileName,
              ok: true,
              title: load.scenario.title,
              description: load.scenario.description,
              durationMs: timelineEnd(load.scenario),
              eventCount: load.scenario.events.length,
              checkpointCount: load.scenario.checkpoints.length,
              requirements: scenarioRequirements(load.scenario),
              issues: [],
            }
          : { id: load.fileName, fileName: load.fileName, ok: false, issues: load.issues },
      ),
    'drills:list': () =>
      listDrills(deps.dataDir).map((e) => listItem(e, deps.rooms?.isOpen(e.id) ?? false)),
    'drills:create': async ({ scenarioId, title }, ctx) => {
      // Shipped files are named after their scenario: a broken one is still found by its id.
      const load = loadScenarioFolder(scenariosDir, names()).find(
        (l) =>
          (l.ok && l.scenario.id === scenarioId) ||
          l.fileName === scenarioId ||
          l.fileName.replace(/\.\w+$/, '') === scenarioId,
      )
      if (!load) throw new CoreError('not_found', `scenario "${scenarioId}" not found`)
      if (!load.ok) {
        const lines = load.issues.map((i) => formatScenarioIssue(load.fileName, i))
        throw new CoreError(
          'invalid_input',
          `the scenario does not fit this workspace: ${lines.join('; ')}`,
        )
      }
      const info = await createDrill({
        dataDir: deps.dataDir,
        workspace: deps.db,
        scenario: load.scenario,
        createdBy: ctx.operator,
        now: now(),
        ...(title === undefined ? {} : { title }),
      })
      changed(info.id)
      const entry = listDrills(deps.dataDir).find((e) => e.id === info.id)
      if (!entry) throw new CoreError('not_found', `drill "${info.id}" not found`)
      return listItem(entry, false)
    },
    'drills:delete': async ({ id }) => {
      await deps.rooms?.close(id)
      deleteDrill(deps.dataDir, id)
      changed(id)
      return { id }
    },
    ...trainer,
  }
}
