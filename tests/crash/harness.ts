/**
 * The outbox crash test: the sending process is killed with SIGKILL at random
 * (seeded) moments during fan-out and dispatch, restarted each time, and at
 * the end every row must be final, none lost, and nobody texted twice where
 * the provider honours an idempotency key. The loopback providers live in this
 * (parent) process, so they survive the kills and count what they received.
 *
 * Used by the vitest test next to it and by the benchmark script, which merges
 * the figures into bench-results.json.
 */

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { build } from 'esbuild'
import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import { createChannelAccountsRepository } from '../../src/main/core/channels/accounts-repository'
import { orderIdFor } from '../../src/main/core/channels/adapters/sms-gateway'
import { openDatabase } from '../../src/main/core/db/open'
import { startFakeSmsGateway, type FakeSmsGateway } from '../fakes/sms-gateway-fake'
import { startFakeTwilio, type FakeTwilio } from '../fakes/twilio-fake'
import {
  CONFIG_ENV,
  GATEWAY_LIST,
  scenarioNumbers,
  scenarioRecipients,
  TWILIO_LIST,
  type ChildConfig,
} from './scenario'

export interface CrashOptions {
  /** SIGKILLs to deliver before the last, uninterrupted run. Default 20. */
  kills?: number
  /** Rows through the idempotent SMS gateway. Default 4000. */
  gatewayRows?: number
  /** Rows through Twilio (not idempotent). Default 600. */
  twilioRows?: number
  /** Seed of the kill moments. Default 20260207. */
  seed?: number
  /** Kills aimed at the fan-out (the first ones). Default 4. */
  fanoutKills?: number
  /** The child's lease. Default 1500 ms (its HTTP deadline is 1000 ms). */
  leaseMs?: number
  /** The repository root (where `tests/crash/crash-child.ts` is). Default: from this file. */
  repoRoot?: string
  /** Where to write the figures as JSON, if anywhere. */
  outputFile?: string
  log?: (line: string) => void
}

/** The figures, named as bench-results.json wants them. */
export interface CrashFigures {
  crash_kills: number
  /** Kills that left at least one alert unconfirmed: its fan-out was rolled back whole. */
  crash_kills_during_fanout: number
  /** Kills after which a fan-out was found half-written (must be 0). */
  crash_partial_fanouts: number
  crash_rows: number
  /** Rows missing, not final at the end, or recorded as sent but never received by the provider. */
  crash_lost: number
  /** Extra messages a recipient received beyond the first. */
  crash_duplicates: number
  /** Rows marked uncertain for the operator (non-idempotent channel, interrupted mid-send). */
  crash_uncertain: number
  /** Of those, how many the provider had in fact received. */
  crash_uncertain_received: number
  /** Resends the gateway refused as a known order id (the idempotency key at work). */
  crash_resends_refused: number
  crash_failed: number
  crash_runs: number
}

/** Small seedable PRNG (mulberry32): the same seed aims the same kills. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function bundleChild(repoRoot: string, outDir: string): Promise<string> {
  const outfile = join(outDir, 'crash-child.js')
  await build({
    entryPoints: [join(repoRoot, 'tests/crash/crash-child.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['better-sqlite3'],
    logLevel: 'error',
  })
  return outfile
}

interface Run {
  child: ChildProcess
  /** Resolves when the child prints `line`; rejects if it exits first. */
  reached(line: string): Promise<void>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

function startRun(bundle: string, repoRoot: string, config: ChildConfig): Run {
  const child = spawn(process.execPath, [bundle], {
    env: {
      ...process.env,
      [CONFIG_ENV]: JSON.stringify(config),
      NODE_PATH: join(repoRoot, 'node_modules'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const seen = new Set<string>()
  const waiters = new Map<string, () => void>()
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  createInterface({ input: child.stdout! }).on('line', (line) => {
    seen.add(line)
    waiters.get(line)?.()
  })
  const exited = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    stderr: string
  }>((done) => {
    child.on('exit', (code, signal) => done({ code, signal, stderr }))
  })
  return {
    child,
    exited,
    reached: (line) =>
      new Promise<void>((resolveLine, reject) => {
        if (seen.has(line)) return resolveLine()
        waiters.set(line, resolveLine)
        void exited.then((e) =>
          reject(new Error(`child exited (${e.code ?? e.signal}) before "${line}": ${e.stderr}`)),
        )
      }),
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Prepares the workspace the runs share: two accounts and two draft alerts. */
function prepareWorkspace(
  dbFile: string,
  gateway: FakeSmsGateway,
  twilio: FakeTwilio,
  rows: { gateway: number; twilio: number },
  leaseMs: number,
): ChildConfig {
  const db = openDatabase(dbFile)
  try {
    const now = new Date().toISOString()
    const repo = createChannelAccountsRepository(db)
    const gatewayAccount = repo.create({
      kind: 'sms_gateway',
      name: 'Gateway',
      enabled: true,
      settings: {},
      secrets: {},
      now,
    })
    const twilioAccount = repo.create({
      kind: 'sms_twilio',
      name: 'Twilio',
      enabled: true,
      settings: {},
      secrets: {},
      now,
    })
    const partial = {
      gateway: {
        accountId: gatewayAccount,
        alertId: 0,
        baseUrl: gateway.baseUrl,
        username: gateway.username,
        password: gateway.password,
        rows: rows.gateway,
      },
      twilio: {
        accountId: twilioAccount,
        alertId: 0,
        baseUrl: twilio.url,
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        rows: rows.twilio,
      },
    }
    const alerts = createAlertsService({
      db,
      audit: createAuditLog(db, () => new Date()),
      resolveRecipients: scenarioRecipients(partial),
    })
    const draft = (accountId: number, listId: number) =>
      alerts.createDraft(
        {
          kind: 'neve',
          level: 'arancione',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-02-07T14:00:00+01:00',
          validTo: '2026-02-08T14:00:00+01:00',
          headline: 'Allerta neve',
          texts: { sms: 'ALLERTA ARANCIONE neve: evita gli spostamenti. Info https://example.org' },
          targets: { accountIds: [accountId], listIds: [listId] },
        },
        'crash-test',
      ).id
    partial.gateway.alertId = draft(gatewayAccount, GATEWAY_LIST)
    partial.twilio.alertId = draft(twilioAccount, TWILIO_LIST)
    return { dbFile, leaseMs, ...partial }
  } finally {
    db.close()
  }
}

interface RowFact {
  alert_id: number
  address: string
  idempotency_key: string
  state: string
}

/** Runs the whole crash test and returns its figures. */
export async function runOutboxCrashTest(options: CrashOptions = {}): Promise<CrashFigures> {
  const kills = options.kills ?? 20
  const rows = { gateway: options.gatewayRows ?? 4000, twilio: options.twilioRows ?? 600 }
  const fanoutKills = options.fanoutKills ?? 4
  const random = seeded(options.seed ?? 20260207)
  const repoRoot = options.repoRoot ?? resolve(__dirname, '../..')
  const log = options.log ?? (() => undefined)
  const work = mkdtempSync(join(tmpdir(), 'vedetta-crash-'))
  const gateway = await startFakeSmsGateway()
  const twilio = await startFakeTwilio()
  try {
    const bundle = await bundleChild(repoRoot, work)
    const config = prepareWorkspace(
      join(work, 'workspace.sqlite'),
      gateway,
      twilio,
      rows,
      options.leaseMs ?? 1_500,
    )
    const expected = {
      [config.gateway.alertId]: rows.gateway,
      [config.twilio.alertId]: rows.twilio,
    }

    let delivered = 0
    let duringFanout = 0
    let partial = 0
    let runs = 0
    let finishedEarly = false

    /** After each kill: a fan-out is all or nothing, and an unconfirmed alert has no rows. */
    const checkFanout = () => {
      const db = openDatabase(config.dbFile)
      try {
        let unconfirmed = false
        for (const [alertId, want] of Object.entries(expected)) {
          const n =
            db
              .prepare<[number], { n: number }>(
                'SELECT count(*) AS n FROM outbox WHERE alert_id = ?',
              )
              .get(Number(alertId))?.n ?? 0
          const status = db
            .prepare<[number], { status: string }>('SELECT status FROM alerts WHERE id = ?')
            .get(Number(alertId))?.status
          if (status === 'draft') unconfirmed = true
          if (!((status === 'draft' && n === 0) || (status !== 'draft' && n === want))) partial++
        }
        if (unconfirmed) duringFanout++
      } finally {
        db.close()
      }
    }

    for (let k = 0; k < kills; k++) {
      const aimAtFanout = k < fanoutKills
      const run = startRun(bundle, repoRoot, config)
      runs++
      // Fan-out of a few thousand rows takes milliseconds: aim inside it; dispatch runs longer.
      const delay = aimAtFanout ? Math.floor(random() * 12) : 20 + Math.floor(random() * 120)
      await run.reached(aimAtFanout ? 'phase fanout' : 'phase dispatch')
      const early = await Promise.race([
        sleep(delay).then(() => false),
        run.exited.then(() => true),
      ])
      if (early) {
        const e = await run.exited
        if (e.code !== 0) throw new Error(`child failed (${e.code ?? e.signal}): ${e.stderr}`)
        finishedEarly = true
        break
      }
      run.child.kill('SIGKILL')
      const e = await run.exited
      if (e.signal !== 'SIGKILL')
        throw new Error(`child ended on its own (${e.code}) instead of being killed: ${e.stderr}`)
      delivered++
      checkFanout()
      log(`kill ${delivered}: after ${delay} ms of ${aimAtFanout ? 'fan-out' : 'dispatch'}`)
    }

    if (!finishedEarly) {
      const last = startRun(bundle, repoRoot, config)
      runs++
      const timeout = sleep(60_000).then(() => 'timeout' as const)
      const outcome = await Promise.race([last.exited, timeout])
      if (outcome === 'timeout') {
        last.child.kill('SIGKILL')
        throw new Error('the last run did not finish within 60 s')
      }
      if (outcome.code !== 0)
        throw new Error(`last run failed (${outcome.code ?? outcome.signal}): ${outcome.stderr}`)
    }

    // What the providers received, per recipient and per order id.
    const gatewayOrders = new Set(gateway.orders.map((o) => o.orderId))
    const perNumber = new Map<string, number>()
    for (const o of gateway.orders)
      for (const r of o.recipients) perNumber.set(r, (perNumber.get(r) ?? 0) + 1)
    for (const m of twilio.messages) perNumber.set(m.to, (perNumber.get(m.to) ?? 0) + 1)
    const duplicates = [...perNumber.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0)
    const gatewayPosts = gateway.requests.filter((r) => r.method === 'POST').length

    const db = openDatabase(config.dbFile)
    let facts: RowFact[]
    try {
      facts = db
        .prepare<[], RowFact>('SELECT alert_id, address, idempotency_key, state FROM outbox')
        .all()
    } finally {
      db.close()
    }
    const received = (f: RowFact) =>
      f.alert_id === config.gateway.alertId
        ? gatewayOrders.has(orderIdFor(f.idempotency_key))
        : (perNumber.get(f.address) ?? 0) > 0
    const everyone = [
      ...scenarioNumbers(GATEWAY_LIST, rows.gateway),
      ...scenarioNumbers(TWILIO_LIST, rows.twilio),
    ]
    const inOutbox = new Set(facts.map((f) => f.address))
    const missing = everyone.filter((n) => !inOutbox.has(n)).length
    const notFinal = facts.filter((f) => f.state === 'queued' || f.state === 'sending').length
    const sentButNotReceived = facts.filter(
      (f) => (f.state === 'sent' || f.state === 'delivered') && !received(f),
    ).length
    const uncertain = facts.filter((f) => f.state === 'uncertain')

    const figures: CrashFigures = {
      crash_kills: delivered,
      crash_kills_during_fanout: duringFanout,
      crash_partial_fanouts: partial,
      crash_rows: facts.length,
      crash_lost: missing + notFinal + sentButNotReceived,
      crash_duplicates: duplicates,
      crash_uncertain: uncertain.length,
      crash_uncertain_received: uncertain.filter(received).length,
      crash_resends_refused: gatewayPosts - gateway.orders.length,
      crash_failed: facts.filter((f) => f.state === 'failed').length,
      crash_runs: runs,
    }
    if (options.outputFile)
      writeFileSync(options.outputFile, `${JSON.stringify(figures, null, 2)}\n`)
    return figures
  } finally {
    await gateway.close()
    await twilio.close()
    rmSync(work, { recursive: true, force: true })
  }
}
