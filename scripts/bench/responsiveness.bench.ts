import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks'
import { fullSizeGeojson } from './dpc-geojson'
import { createCore, type Core } from '../../src/main/core/app'
import { createSimulatedAdapter } from '../../src/main/core/channels/adapters/simulated'
import { parseCriticitaZonesOffLoop } from '../../src/main/core/workers/dpc-zones'
import {
  generateContacts,
  generatedContactsCsv,
  importContacts,
} from '../../src/main/core/contacts'
import { openDatabase } from '../../src/main/core/db/open'
import { parseCriticitaZones } from '../../src/main/core/feeds/dpc/criticita-zones'
import type { CallContext } from '../../src/main/core/handlers'
import { createKeyFileCipher } from '../../src/main/core/secrets/key-file-cipher'
import { createDispatch } from '../../src/main/transport/dispatch'
import type { CommandName, CommandOutput } from '../../src/shared/contract'

const N = 100_000
/** Delay resolution, as the issue asks: finer would measure the timer, not the loop. */
const RESOLUTION_MS = 10
const IDLE_MS = 3_000
/** How often the core reads the full-size DPC zones while the import runs (a poller would do less). */
const DPC_EVERY_MS = 250
const ctx: CallContext = { operator: 'bench' }

/**
 * The core's event loop under work that used to hold it: `monitorEventLoopDelay`
 * (10 ms resolution) in the core's own process, first idle, then while it imports
 * 100,000 contacts (through the dispatcher, as the window and the host ask:
 * payload check, then the worker thread) and at the same time parses the
 * full-size DPC criticality GeoJSON every 250 ms on its own thread. Beside it:
 * the same file imported the way it was done before, in place and synchronously,
 * in the same run (`contacts_import_worker_ratio_to_sync`); how long one core
 * write waits while the import holds the write lock; and, for the record, how
 * long the fan-out of 100,000 SMS holds the loop.
 */
export async function run({ root }: { root: string }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-bench-responsiveness-'))
  try {
    const csv = Buffer.from(generatedContactsCsv(generateContacts(N, 42)), 'utf8')
    const content = csv.toString('base64')
    const zones = fullSizeGeojson(join(root, '..', 'shared', 'specs'))
    const core = openCore(root, dir)
    const dispatch = createDispatch(core.handlers)
    const call = async <K extends CommandName>(name: K, input: unknown) => {
      const answer = await dispatch(name, input, ctx)
      if (!answer.ok) throw new Error(`${name}: ${answer.error.message}`)
      return answer.value as CommandOutput<K>
    }
    core.start()
    // Warm the worker's path once (its bundle, the thread's start) on a small file.
    await call('contacts:import', {
      fileName: 'warm.csv',
      content: Buffer.from(generatedContactsCsv(generateContacts(200, 1)), 'utf8').toString(
        'base64',
      ),
      dryRun: false,
    })
    for (let i = 0; i < 3; i++) parseCriticitaZones(zones)

    // Idle: the started core with nothing to do.
    const idle = await sample(() => new Promise((done) => setTimeout(done, IDLE_MS)))

    // Under load: the import in the worker, the DPC zones read as the core reads them now.
    let parses = 0
    const parsing: Promise<unknown>[] = []
    let imported: CommandOutput<'contacts:import'> | undefined
    let importSeconds = 0
    const load = await sample(async () => {
      const timer = setInterval(() => {
        parsing.push(parseCriticitaZonesOffLoop(zones).then(() => parses++))
      }, DPC_EVERY_MS)
      try {
        const t0 = performance.now()
        imported = await call('contacts:import', {
          importId: 'bench',
          fileName: 'famiglie.csv',
          content,
          dryRun: false,
          list: 'Famiglie',
        })
        importSeconds = (performance.now() - t0) / 1000
      } finally {
        clearInterval(timer)
      }
      await Promise.all(parsing)
    })
    if (!imported?.committed || imported.created !== N)
      throw new Error('the benchmark import did not commit its 100,000 contacts')
    const workerRate = N / importSeconds

    // Today's import: the same bytes, in place, in one synchronous call, on a fresh workspace.
    const syncDb = openDatabase(join(dir, 'sync.sqlite'))
    const t1 = performance.now()
    const syncReport = importContacts(syncDb, csv, { fileName: 'famiglie.csv', list: 'Famiglie' })
    const syncSeconds = (performance.now() - t1) / 1000
    syncDb.close()
    if (!syncReport.committed) throw new Error('the synchronous import did not commit')
    const syncRate = N / syncSeconds

    const { writeWaitMs, parseInPlaceMs } = await duringSecondImport(core, call, zones)
    const fanoutMs = await fanOutBlock(call)
    await core.shutdown()

    return {
      loop_delay_p99_ms: ms(load.percentile(99)),
      loop_delay_max_ms: ms(load.max),
      idle_loop_delay_p99_ms: ms(idle.percentile(99)),
      idle_loop_delay_max_ms: ms(idle.max),
      responsiveness_import_rows_per_s: Math.round(workerRate),
      responsiveness_sync_import_rows_per_s: Math.round(syncRate),
      contacts_import_worker_ratio_to_sync: Number((workerRate / syncRate).toFixed(3)),
      responsiveness_dpc_parses: parses,
      responsiveness_dpc_parse_in_place_max_ms: Number(parseInPlaceMs.toFixed(1)),
      responsiveness_core_write_wait_ms: Number(writeWaitMs.toFixed(1)),
      responsiveness_fanout_100k_block_ms: Math.round(fanoutMs),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const ms = (ns: number) => Number((ns / 1e6).toFixed(1))

async function sample(work: () => Promise<unknown>): Promise<IntervalHistogram> {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  h.enable()
  try {
    await work()
  } finally {
    h.disable()
  }
  return h
}

function openCore(root: string, dir: string): Core {
  return createCore({
    dataDir: dir,
    cipher: createKeyFileCipher(dir),
    shell: 'host',
    version: 'bench',
    resourcesDir: join(root, 'resources'),
    // Simulated twins: nothing leaves this machine, whatever the accounts say.
    adapters: (kind) => {
      const twin = createSimulatedAdapter(kind, { latencyMs: 5 })
      return {
        kind,
        simulated: true,
        idempotent: twin.idempotent,
        limits: twin.limits,
        send: twin.send,
        testConnection: twin.testConnection,
      }
    },
  })
}

type Call = <K extends CommandName>(name: K, input: unknown) => Promise<CommandOutput<K>>

/**
 * Two figures taken on a second import of 100,000 other people, outside the
 * loop-delay sample. The price of one transaction: while the import writes,
 * the worker holds the workspace's write lock, and a write on the core's
 * thread (a journal note) waits for it; the longest wait. And why the DPC zones
 * moved to the worker: the longest parse of the full-size file on the core's
 * thread while the import keeps the other core busy.
 */
async function duringSecondImport(
  core: Core,
  call: Call,
  zones: Uint8Array,
): Promise<{ writeWaitMs: number; parseInPlaceMs: number }> {
  const other = Buffer.from(generatedContactsCsv(generateContacts(N, 43)), 'utf8')
  let writing = false
  const off = core.events.on('contacts:importProgress', (p) => {
    if (p.phase === 'writing') writing = true
  })
  const waits: number[] = []
  const parses: number[] = []
  const timer = setInterval(() => {
    let t = performance.now()
    if (!writing) {
      parseCriticitaZones(zones)
      parses.push(performance.now() - t)
      return
    }
    t = performance.now()
    core.handlers['journal:addNote']({ text: 'Nota durante l’importazione' }, ctx)
    waits.push(performance.now() - t)
  }, DPC_EVERY_MS)
  try {
    await call('contacts:import', {
      fileName: 'altre.csv',
      content: other.toString('base64'),
      dryRun: false,
    })
  } finally {
    clearInterval(timer)
    off()
  }
  return {
    writeWaitMs: waits.length ? Math.max(...waits) : 0,
    parseInPlaceMs: parses.length ? Math.max(...parses) : 0,
  }
}

/** How long confirming an SMS alert to the 100,000 imported families holds the core's loop. */
async function fanOutBlock(call: Call): Promise<number> {
  const account = await call('channels:create', {
    kind: 'sms_gateway',
    name: 'SMS famiglie',
    settings: {
      baseUrl: 'https://gateway.example/API/v1.0/REST/',
      username: 'pc-empolese',
      sender: 'ProtCiv',
      messageType: 'GP',
      pricePerSegment: '0,05',
    },
    secrets: { password: 'gateway-password-1' },
  })
  const list = (await call('lists:list', {})).find((l) => l.name === 'Famiglie')!
  const alert = await call('alerts:createDraft', {
    draft: {
      kind: 'neve',
      level: 'arancione',
      comuni: [{ name: 'Empoli' }],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Allerta arancione per neve',
      texts: { sms: 'Allerta ARANCIONE neve su Empoli: evitate gli spostamenti.' },
      targets: { accountIds: [account.id], listIds: [list.id] },
    },
  })
  const t = performance.now()
  // A long cancel window: rows are written, none is sent before the alert is cancelled.
  await call('alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 600 })
  const blocked = performance.now() - t
  await call('alerts:cancel', { id: alert.id })
  return blocked
}
