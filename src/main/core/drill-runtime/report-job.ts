import Database from 'better-sqlite3'
import type { DrillReport, DrillState, EarlierDrill } from '../../../shared/contract/drills'
import type { Scenario } from '../../../shared/drills/scenario'
import { validateScenario } from '../../../shared/drills/validate'
import type { Db } from '../db/open'
import { listDrills } from '../drills/drill-files'
import { createDrillMetaRepository, type DrillMeta } from '../drills/drill-meta'
import { CoreError } from '../errors'
import type { Job } from '../workers/job-context'
import { readDrillHistory, type DrillHistory } from './drill-log'
import { buildDrillReport, evaluateDrill } from './report-data'
import { renderReportHtml, type ReportMap } from './report-html'
import { createTeamRecordsReader } from './team-records'

/**
 * The end-of-drill report off the core's event loop. What the drill core holds
 * in memory (its history, state and clock) is handed over as data; what the
 * team's work left in the drill file (20,000 outbox rows in a large drill) is
 * read here through a read-only connection of the worker's own (WAL lets it
 * read beside the drill core), and the report built and its HTML written by
 * the same functions as in place: the same data gives the same report.
 */

/** The scenario a drill file was made from, checked again (the file could have been edited). */
export function storedScenario(db: Db): Scenario {
  const checked = validateScenario(JSON.parse(createDrillMetaRepository(db).scenarioJson()))
  if (!checked.ok) throw new CoreError('conflict', 'the scenario stored in this drill is not valid')
  return checked.value
}

/** Checkpoint results of earlier drills of the same scenario, read from their files. */
export function earlierDrills(
  dataDir: string,
  self: { id: string; scenarioId: string; createdAt: string },
): EarlierDrill[] {
  const out: EarlierDrill[] = []
  const candidates = listDrills(dataDir)
    .filter(
      (d) =>
        d.ok &&
        d.id !== self.id &&
        d.scenarioId === self.scenarioId &&
        d.createdAt < self.createdAt,
    )
    .reverse()
  for (const d of candidates) {
    if (!d.ok) continue
    let db: Db | undefined
    try {
      db = new Database(d.file, { readonly: true, fileMustExist: true })
      const history = readDrillHistory(db)
      if (!history.controls.some((c) => c.action === 'start')) continue
      const results = evaluateDrill(
        storedScenario(db),
        history,
        createTeamRecordsReader(db)(),
        undefined,
      )
      out.push({
        id: d.id,
        title: d.title,
        createdAt: d.createdAt,
        createdBy: d.createdBy,
        checkpoints: results.map((r) => ({
          id: r.id,
          status: r.status,
          ...(r.marginMs === undefined ? {} : { marginMs: r.marginMs }),
        })),
      })
    } catch {
      // A drill from an older Vedetta, or a damaged file: it is simply not compared.
    } finally {
      db?.close()
    }
  }
  return out
}

export interface DrillReportJobInput {
  /** The drill file, opened read-only by the job. */
  file: string
  /** Where the earlier drills of the same scenario are, to compare with. */
  dataDir: string
  meta: DrillMeta
  scenario: Scenario
  history: DrillHistory
  state: DrillState
  scenarioNow: number
  /** ISO time the report is made at, on the drill's clock. */
  generatedAt: string
  /** Given when the report is exported: its HTML is written here too, with these maps. */
  html?: { maps: ReportMap[] }
}

export interface DrillReportJobOutput {
  report: DrillReport
  html?: string
}

/** Reads the team's records, builds the report and, when asked, its HTML. */
export const runDrillReportJob: Job<DrillReportJobInput, DrillReportJobOutput> = (input) => {
  const db = new Database(input.file, { readonly: true, fileMustExist: true })
  let records
  try {
    records = createTeamRecordsReader(db)()
  } finally {
    db.close()
  }
  const report = buildDrillReport({
    meta: input.meta,
    scenario: input.scenario,
    history: input.history,
    records,
    state: input.state,
    scenarioNow: input.scenarioNow,
    earlier: earlierDrills(input.dataDir, input.meta),
    generatedAt: new Date(input.generatedAt),
  })
  return input.html
    ? { report, html: renderReportHtml(report, { maps: input.html.maps }) }
    : { report }
}
