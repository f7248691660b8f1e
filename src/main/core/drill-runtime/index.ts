/**
 * Drills end to end: a drill's runtime (its own core with simulated channels
 * only, the timeline, the scenario's world), the rooms that keep drills open
 * beside the real one, the commands, and the report.
 */
export {
  createDrillRuntime,
  type DrillRuntime,
  type DrillRuntimeOptions,
  type OpenDrillCore,
} from './drill-runtime'
export { createDrillRooms, type DrillRooms, type DrillRoomsOptions } from './drill-rooms'
export { drillsHandlers, type DrillsHandlerDeps } from './drills-handlers'
export { createDrillAdapterFactory } from './drill-adapters'
export { markDrillHtml, markDrillMessage, markDrillText } from './drill-marker'
export { renderReportHtml } from './report-html'
export { buildDrillReport, describeEvent, reportFigures } from './report-data'
export { headlessChromiumPrinter, chromiumCandidates, type PdfPrinter } from './report-pdf'
export { createWorkspaceNames } from './workspace-names'
export { attachAutoTrainee, type AutoTrainee } from './auto-trainee'
