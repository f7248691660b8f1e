import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import type { BulletinAlertView } from '../../src/shared/contract/feeds'
import type { Db } from '../../src/main/core/db/open'
import { renderReportHtml, type ReportMap } from '../../src/main/core/drill-runtime/report-html'
import { createDrillWorkspace } from '../../tests/integration/drills/drill-workspace'

/** A large drill's history, as the benchmark asks. */
const CITIZENS = 2_000
const OUTBOX = 20_000
const JOURNAL = 500
const RUNS = 5
/** Delay resolution as in responsiveness.bench.ts: finer would measure the timer, not the loop. */
const RESOLUTION_MS = 10

/**
 * How long the end-of-drill report holds the drill core's event loop. A real
 * drill of the snow scenario (the real runtime, its simulated twins), played to
 * T+3:10 with the orange alert and two more confirmed by the team (each one a
 * map card in the report), then grown in its own file to a large exercise:
 * 2,000 citizen messages (a third answered), 20,000 alert outbox rows and 500
 * journal notes, cloned from the rows the drill itself wrote. Then
 * `monitorEventLoopDelay` in this process (where the drill core runs) while
 * `drill:report` and `drill:export html` are asked, five times each; then, in
 * the same run, the same report made in place on this thread as it was before
 * (`runtime.report()` and `renderReportHtml`), for the before/after figures.
 */
export async function run(): Promise<Record<string, number>> {
  const ws = await createDrillWorkspace()
  try {
    const item = await ws.call(ws.real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
    const runtime = ws.rooms.open(item.id)
    const alerts: BulletinAlertView[] = []
    runtime.core.events.on('feeds:alert', (a) => alerts.push(a))
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    await ws.call(runtime.handlers, 'drill:jump', { to: 'T+3:10' })
    await runtime.idle()
    const [lists, partners, accounts] = await Promise.all([
      ws.call(runtime.handlers, 'lists:list', {}),
      ws.call(runtime.handlers, 'partners:list', {}),
      ws.call(runtime.handlers, 'channels:list', {}),
    ])
    const drafts = alerts.map((a) => a.draft)
    if (drafts.length === 0) throw new Error('the scenario brought no bulletin')
    // Three confirmed alerts, each with its map card in the report.
    for (let i = 0; i < 3; i++) {
      const d = drafts[i % drafts.length]!
      const alert = await ws.call(
        runtime.handlers,
        'alerts:createDraft',
        {
          draft: {
            kind: d.kind,
            level: d.level,
            comuni: d.comuni.map((name) => ({ name })),
            validFrom: d.validFrom,
            validTo: d.validTo,
            headline: d.headline,
            targets: {
              accountIds: accounts
                .filter((a) => ['SMS Circondario', 'Email Protezione Civile'].includes(a.name))
                .map((a) => a.id),
              listIds: lists.map((l) => l.id),
              partnerIds: partners.map((p) => p.id),
            },
          },
        },
        'Allievo',
      )
      if (d.templateId)
        await ws.call(
          runtime.handlers,
          'alerts:applyTemplate',
          { id: alert.id, templateId: d.templateId },
          'Allievo',
        )
      await ws.call(
        runtime.handlers,
        'alerts:confirm',
        { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 },
        'Allievo',
      )
    }
    await until(() => runtime.registry.sent().length >= 6, 'the alerts sent')
    await ws.call(runtime.handlers, 'drill:stop', {})
    await runtime.idle()

    const sizes = grow(runtime.core.db)

    // Warm once (prepared statements, the map renderer's fonts).
    await ws.call(runtime.handlers, 'drill:report', {})
    await ws.call(runtime.handlers, 'drill:export', { format: 'html' })

    // For comparison, in the same run: the idle drill core, and the three map cards
    // alone (the export asks for them; they are drawn in the worker since maps:card).
    const idle = await sample(() => new Promise((r) => setTimeout(r, 1_000)))
    const confirmed = (await ws.call(runtime.handlers, 'alerts:list', { limit: 1000 })).filter(
      (a) => a.confirmedAt !== null,
    )
    const maps = await sample(async () => {
      for (const a of confirmed)
        await ws.call(runtime.handlers, 'maps:alert', { id: a.id, variant: 'card' })
    })

    // The report as the room asks for it now (worker), then as it was made before, in
    // place on this thread (the same functions): RUNS times each, one histogram for the
    // whole series (its p99), the largest single block (its max) and each call's median.
    const ask = async () => {
      const report = await ws.call(runtime.handlers, 'drill:report', {})
      const html = await ws.call(runtime.handlers, 'drill:export', { format: 'html' })
      return { report, bytes: Buffer.from(html.base64, 'base64').length }
    }
    const inPlace = async () => {
      const report = runtime.report()
      await new Promise((r) => setTimeout(r, 50))
      // As drill:export made it: the report, then the map cards, then the HTML.
      const again = runtime.report()
      const html = renderReportHtml(again, { maps: await alertMaps() })
      return { report, bytes: Buffer.byteLength(html, 'utf8') }
    }
    const alertMaps = async () => {
      const out: ReportMap[] = []
      for (const a of confirmed) {
        const m = await ws.call(runtime.handlers, 'maps:alert', { id: a.id, variant: 'card' })
        out.push({ alertId: a.id, msgType: a.msgType, confirmedAt: null, ...pick(m) })
      }
      return out
    }
    const series = async (work: typeof ask) => {
      const maxes: number[] = []
      let last: Awaited<ReturnType<typeof ask>> | undefined
      const h = await sample(async () => {
        for (let i = 0; i < RUNS; i++) {
          const one = await sample(async () => {
            last = await work()
          })
          maxes.push(one.max)
          await new Promise((r) => setTimeout(r, 200))
        }
      })
      return { h, medianMax: median(maxes), last: last! }
    }
    const worker = await series(ask)
    const before = await series(inPlace)
    return {
      drill_report_block_max_ms: ms(worker.h.max),
      drill_report_block_p99_ms: ms(worker.h.percentile(99)),
      drill_report_block_median_max_ms: ms(worker.medianMax),
      drill_report_in_place_block_max_ms: ms(before.h.max),
      drill_report_in_place_block_p99_ms: ms(before.h.percentile(99)),
      drill_report_in_place_block_median_max_ms: ms(before.medianMax),
      drill_report_idle_block_max_ms: ms(idle.max),
      drill_report_maps_block_max_ms: ms(maps.max),
      drill_report_citizen_messages: sizes.citizens,
      drill_report_outbox_rows: sizes.outbox,
      drill_report_journal_notes: sizes.journal,
      drill_report_alerts_with_map: confirmed.length,
      drill_report_timeline_entries: worker.last.report.timeline.length,
      drill_report_html_kib: Math.round(worker.last.bytes / 1024),
      drill_report_in_place_html_kib: Math.round(before.last.bytes / 1024),
    }
  } finally {
    await ws.dispose()
  }
}

const ms = (ns: number) => Number((ns / 1e6).toFixed(1))

const median = (values: number[]): number => {
  const sorted = [...values].sort((x, y) => x - y)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const pick = (m: { svg: string; width: number; height: number; alt: string }) => ({
  svg: m.svg,
  width: m.width,
  height: m.height,
  alt: m.alt,
})

async function sample(work: () => Promise<unknown>): Promise<IntervalHistogram> {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
  h.enable()
  try {
    // The histogram's first tick only starts its clock: a block before it would go unseen.
    await new Promise((r) => setTimeout(r, 3 * RESOLUTION_MS))
    await work()
    // One more turn of the timer, so a block at the very end is recorded too.
    await new Promise((r) => setTimeout(r, 2 * RESOLUTION_MS))
  } finally {
    h.disable()
  }
  return h
}

async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800; i++) {
    if (probe()) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Copies of one table's rows, `unique` columns suffixed so each copy is a new row. */
function clone(db: Db, table: string, unique: string[], target: number, where = '1 = 1'): number {
  const cols = db
    .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
    .all(table)
    .map((c) => c.name)
    .filter((c) => c !== 'id')
  const count = () =>
    (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n
  const seeds = db.prepare(`SELECT id FROM ${table} WHERE ${where}`).pluck().all() as number[]
  if (seeds.length === 0) throw new Error(`no ${table} row to grow from`)
  const select = cols.map((c) => (unique.includes(c) ? `${c} || '-' || @n` : c)).join(', ')
  const insert = db.prepare(
    `INSERT INTO ${table} (${cols.join(', ')}) SELECT ${select} FROM ${table} WHERE id = @id`,
  )
  db.transaction(() => {
    let n = count()
    for (let i = 0; n < target; i++, n++) insert.run({ id: seeds[i % seeds.length], n: i })
  })()
  return count()
}

function grow(db: Db): { citizens: number; outbox: number; journal: number } {
  const outbox = clone(
    db,
    'outbox',
    ['idempotency_key'],
    OUTBOX,
    "alert_id IS NOT NULL AND kind = 'alert'",
  )
  const citizens = clone(db, 'citizen_messages', ['external_id'], CITIZENS)
  // A third of them answered (marked «risposto»), as a team would.
  db.prepare(
    `INSERT INTO citizen_triage_history (message_id, at, actor, action, from_value, to_value)
     SELECT id, strftime('%Y-%m-%dT%H:%M:%fZ', received_at, '+4 minutes'), 'Allievo', 'state', 'nuovo', 'risposto'
     FROM citizen_messages WHERE id % 3 = 0`,
  ).run()
  const note = db.prepare(
    "INSERT INTO journal_notes (at, actor, kind, text) VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now', @offset), 'Allievo', 'note', @text)",
  )
  db.transaction(() => {
    for (let i = 0; i < JOURNAL; i++)
      note.run({
        offset: `-${JOURNAL - i} seconds`,
        text: `Nota ${i}: sentito il COC di Empoli, strade in collina percorribili con catene; la squadra ${i % 7} resta a Vinci.`,
      })
  })()
  const journal = (db.prepare('SELECT count(*) AS n FROM journal_notes').get() as { n: number }).n
  return { citizens, outbox, journal }
}
