import { existsSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { DrillExport } from '../../shared/contract/drills'
import type { Scenario } from '../../shared/drills/scenario'
import { formatScenarioTime } from '../../shared/drills/time'
import { createCore } from '../core/app'
import {
  attachAutoTrainee,
  createDrillRuntime,
  createWorkspaceNames,
  describeEvent,
  reportFigures,
  type DrillRuntime,
} from '../core/drill-runtime'
import { createDrill, drillsDir } from '../core/drills/drill-files'
import { loadScenarioFolder } from '../core/drills/scenario-library'
import {
  loadScenarioFile,
  scenarioIssueLines,
  type ScenarioLoad,
} from '../core/drills/scenario-loader'
import { CoreError } from '../core/errors'
import { createKeyFileCipher } from '../core/secrets/key-file-cipher'
import { appVersion, dataDirFrom, openCore, resourcesDir } from './context'
import { UsageError } from './usage'

/** How long, after the last event, the outbox may take to empty before the report is written. */
const DRAIN_LIMIT_MS = 15_000

function parseSpeed(value: string | undefined): number {
  if (value === undefined) return 60
  const n = Number(value)
  if (!/^\d+(\.\d+)?$/.test(value) || n < 1 || n > 60)
    throw new UsageError(`--speed must be a number from 1 to 60, not "${value}"`)
  return n
}

/** A scenario file, or the id (or file name) of a shipped one. */
function loadScenario(
  arg: string,
  known: ReturnType<ReturnType<typeof createWorkspaceNames>>,
): ScenarioLoad {
  const path = resolve(arg)
  if (existsSync(path)) return loadScenarioFile(path, known)
  const shipped = loadScenarioFolder(join(resourcesDir(), 'scenarios'), known).find(
    (l) =>
      l.fileName === arg ||
      (l.ok && l.scenario.id === arg) ||
      l.fileName.replace(/\.\w+$/, '') === arg,
  )
  if (!shipped) {
    throw new UsageError(`no scenario file or shipped scenario named "${arg}"`)
  }
  return shipped
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

async function drainOutbox(runtime: DrillRuntime): Promise<void> {
  const active = runtime.core.db.prepare<[], { n: number }>(
    "SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sending')",
  )
  const until = Date.now() + DRAIN_LIMIT_MS
  while ((active.get()?.n ?? 0) > 0 && Date.now() < until) await sleep(100)
}

async function writeReport(runtime: DrillRuntime, file: string): Promise<string> {
  let doc: DrillExport
  let target = file
  if (file.toLowerCase().endsWith('.json')) {
    writeFileSync(target, JSON.stringify(reportFigures(runtime.report()), null, 2) + '\n')
    return target
  }
  if (file.toLowerCase().endsWith('.pdf')) {
    try {
      doc = await runtime.exportReport('pdf')
    } catch (err) {
      if (!(err instanceof CoreError && err.code === 'unavailable')) throw err
      target = file.replace(/\.pdf$/i, '.html')
      process.stderr.write(`vedetta: ${err.message}; writing ${target} instead\n`)
      doc = await runtime.exportReport('html')
    }
  } else {
    doc = await runtime.exportReport('html')
  }
  writeFileSync(target, Buffer.from(doc.base64, 'base64'))
  return target
}

/** Makes a drill of the scenario from the workspace; bad scenarios exit 2 with their lines. */
async function prepareDrill(
  dataDir: string,
  scenarioArg: string,
): Promise<{ id: string } | { issues: string[] }> {
  const real = openCore(dataDir)
  try {
    const load = loadScenario(scenarioArg, createWorkspaceNames(real.scenario)())
    if (!load.ok) return { issues: scenarioIssueLines(load) }
    const scenario: Scenario = load.scenario
    const info = await createDrill({
      dataDir,
      workspace: real.db,
      scenario,
      createdBy: 'vedetta drill run',
    })
    return { id: info.id }
  } finally {
    real.close()
  }
}

/** `vedetta drill run SCENARIO [--speed N] [--report FILE] [--auto]`: a drill with no one at the keyboard. */
async function drillRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      speed: { type: 'string' },
      report: { type: 'string' },
      auto: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length !== 1) throw new UsageError('vedetta drill run needs exactly one SCENARIO')
  const speed = parseSpeed(values.speed)
  const dataDir = dataDirFrom(values['data-dir'])
  const prepared = await prepareDrill(dataDir, positionals[0]!)
  if ('issues' in prepared) {
    for (const line of prepared.issues) process.stderr.write(line + '\n')
    return 2
  }
  const runtime = createDrillRuntime({
    dataDir,
    id: prepared.id,
    openCore: (o) =>
      createCore({
        dataDir,
        cipher: createKeyFileCipher(dataDir),
        shell: 'host',
        version: appVersion,
        resourcesDir: resourcesDir(),
        mode: 'drill',
        ...o,
      }),
  })
  const say = (line: string) => process.stdout.write(line + '\n')
  runtime.core.events.on('drill:fired', (f) => {
    if (f.outcome === 'pending' && f.part === 1)
      // A burst spread over time is announced once, whole.
      say(
        `${formatScenarioTime(f.firedAt)}  ${describeEvent(f.event, f.parts > 1 ? undefined : f.messageCount)}`,
      )
    if (f.outcome === 'failed') say(`${formatScenarioTime(f.firedAt)}  failed: ${f.error ?? ''}`)
  })
  const trainee = values.auto ? attachAutoTrainee(runtime, { log: say }) : undefined
  // Ctrl-C ends the drill early; the report is still written.
  let interrupt = () => {}
  const interrupted = new Promise<void>((r) => (interrupt = r))
  process.once('SIGINT', interrupt)
  try {
    say(`drill ${prepared.id}: ${runtime.status().scenarioTitle}, at ${speed}×`)
    runtime.start(speed)
    await Promise.race([runtime.timelineDone(), interrupted])
    await trainee?.idle()
    await drainOutbox(runtime)
    const final = runtime.stop()
    const file = resolve(values.report ?? join(drillsDir(dataDir), `${prepared.id}.report.html`))
    const written = await writeReport(runtime, file)
    const met = final.checkpoints.filter((c) => c.status === 'met').length
    say(`checkpoints met: ${met} of ${final.checkpoints.length}`)
    for (const c of final.checkpoints) say(`  ${c.status.padEnd(11)} ${c.description}`)
    say(`report: ${written}`)
    return 0
  } finally {
    process.off('SIGINT', interrupt)
    trainee?.detach()
    await runtime.close()
  }
}

/** `vedetta drill run …` */
export async function drillCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  if (verb === 'run') return drillRun(rest)
  throw new UsageError('usage: vedetta drill run SCENARIO [--speed N] [--report FILE] [--auto]')
}
