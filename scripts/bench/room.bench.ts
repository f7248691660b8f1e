import { chromium } from '@playwright/test'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { createCore } from '../../src/main/core/app'
import { createCitizensService } from '../../src/main/core/citizens'
import { generateContacts, generatedContactsCsv } from '../../src/main/core/contacts'
import { createFeedsRepository } from '../../src/main/core/feeds'
import { createKeyFileCipher } from '../../src/main/core/secrets/key-file-cipher'
import { startHost } from '../../src/main/host/server'
import type { Bulletin } from '../../src/shared/feeds/types'

const FEED_ITEMS = 100_000
const RATE_PER_S = 200
const SECONDS = 30
/** Families imported through the host while the room is open (the import). */
const IMPORT_ROWS = 100_000
const CHROMIUM = process.env.VEDETTA_CHROMIUM ?? '/usr/bin/chromium'

/**
 * The room under pressure, in Debian's Chromium: 100,000 stored bulletins and
 * 200 citizen messages a second for 30 s, against the same page idle in the
 * same run. Then, the room still open, a 100,000-contact CSV import sent over
 * the host's WebSocket as another window would send it (the core runs it in
 * its worker thread and broadcasts its progress to every page): frames are
 * counted from the request until its answer. Frame times come from
 * requestAnimationFrame; long tasks from the Long Tasks API.
 */
export async function run({ root }: { root: string }): Promise<Record<string, number>> {
  if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
    const built = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], {
      cwd: root,
      stdio: 'inherit',
    })
    if (built.status !== 0) throw new Error('the renderer could not be built')
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'vedetta-bench-room-'))
  const core = createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'bench',
    resourcesDir: join(root, 'resources'),
  })
  seedBulletins(core.db, FEED_ITEMS)
  // The same path the inbound pollers use: ingest, then the core's events reach the page.
  const citizens = createCitizensService({
    db: core.db,
    emit: (n, p) => core.events.emit(n, p as never),
  })
  const host = await startHost({ core, rendererDir: join(root, 'out', 'renderer') })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${host.url}#/sala`)
    await page.locator('[data-panel="bollettini"] .bulletin').first().waitFor({ timeout: 30_000 })
    await page.locator('[data-panel="cittadini"]').waitFor()

    const idle = await measure(page, SECONDS * 1000, async () => {})
    let n = 0
    const load = await measure(page, SECONDS * 1000, async (stopAt) => {
      // 20 messages every 100 ms = 200 per second.
      while (Date.now() < stopAt) {
        const batch = Array.from({ length: RATE_PER_S / 10 }, () => {
          n++
          return {
            family: 'telegram' as const,
            accountId: null,
            externalId: `bench-${n}`,
            authorName: `Cittadino ${n}`,
            text: `Messaggio ${n}: la strada per Sovigliana è allagata? 🌊 https://example.org/foto/${n}`,
          }
        })
        citizens.ingest(batch)
        await new Promise((r) => setTimeout(r, 100))
      }
    })
    // Proof the events reached the page: the inbox counts what arrived.
    await page.waitForTimeout(1500)
    const tab = await page.locator('[data-panel="cittadini"] [role="tab"]').first().textContent()
    const shown = Number(/(\d+)\s*$/.exec(tab ?? '')?.[1] ?? 0)

    const csv = generatedContactsCsv(generateContacts(IMPORT_ROWS, 7))
    const content = Buffer.from(csv, 'utf8').toString('base64')
    const socket = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      maxPayload: 64 * 1024 * 1024,
    })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
    })
    let imported: { ok: boolean; value?: { committed: boolean; created: number } } | undefined
    let importSeconds = 0
    const during = await measure(
      page,
      10 * 60_000,
      async () => {
        const t0 = Date.now()
        imported = await ask(socket, 1, 'contacts:import', {
          importId: 'bench-room',
          fileName: 'famiglie.csv',
          content,
          dryRun: false,
          list: 'Famiglie',
        })
        importSeconds = (Date.now() - t0) / 1000
      },
      { untilDriveEnds: true },
    )
    socket.close()
    if (!imported?.ok || !imported.value?.committed || imported.value.created !== IMPORT_ROWS)
      throw new Error('the import through the host did not commit its 100,000 contacts')
    return {
      room_feed_items: FEED_ITEMS,
      room_citizen_messages_shown: shown,
      room_events_per_s: RATE_PER_S,
      room_events_sent: n,
      room_frame_p95_ms_idle: idle.p95,
      room_frame_p95_ms_load: load.p95,
      room_frame_p50_ms_load: load.p50,
      room_long_tasks_idle: idle.longTasks,
      room_long_tasks_load: load.longTasks,
      room_frames_load: load.frames,
      room_import_rows: IMPORT_ROWS,
      room_import_seconds: Number(importSeconds.toFixed(1)),
      room_frame_p95_ms_import: during.p95,
      room_frame_p50_ms_import: during.p50,
      room_frame_max_ms_import: during.max,
      room_long_tasks_import: during.longTasks,
      room_frames_import: during.frames,
    }
  } finally {
    await browser.close()
    await host.close()
    await core.shutdown()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>

async function measure(
  page: Page,
  ms: number,
  drive: (stopAt: number) => Promise<void>,
  options: { untilDriveEnds?: boolean } = {},
) {
  await page.evaluate((duration) => {
    const w = window as unknown as {
      __bench: { frames: number[]; longTasks: number; done: Promise<void>; stop: boolean }
    }
    const frames: number[] = []
    let longTasks = 0
    const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length))
    observer.observe({ type: 'longtask', buffered: false })
    const end = performance.now() + duration
    w.__bench = { frames, longTasks: 0, done: Promise.resolve(), stop: false }
    w.__bench.done = new Promise<void>((resolve) => {
      let last = performance.now()
      const tick = (t: number) => {
        frames.push(t - last)
        last = t
        if (t < end && !w.__bench.stop) requestAnimationFrame(tick)
        else {
          observer.disconnect()
          w.__bench.longTasks = longTasks
          resolve()
        }
      }
      requestAnimationFrame(tick)
    })
  }, ms)
  await drive(Date.now() + ms)
  // A drive that ends before its time (the import's answer) ends the count with it.
  if (options.untilDriveEnds)
    await page.evaluate(() => {
      ;(window as unknown as { __bench: { stop: boolean } }).__bench.stop = true
    })
  const result = await page.evaluate(async () => {
    const w = window as unknown as {
      __bench: { frames: number[]; longTasks: number; done: Promise<void>; stop: boolean }
    }
    await w.__bench.done
    return { frames: w.__bench.frames.slice(1), longTasks: w.__bench.longTasks }
  })
  const sorted = [...result.frames].sort((a, b) => a - b)
  const pct = (p: number) =>
    Number((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2))
  return {
    p50: pct(0.5),
    p95: pct(0.95),
    max: Number((sorted[sorted.length - 1] ?? 0).toFixed(2)),
    longTasks: result.longTasks,
    frames: sorted.length,
  }
}

/** One command over the host's socket, as the page's bridge sends it; its answer by id. */
function ask<T>(socket: WebSocket, id: number, command: string, payload: unknown): Promise<T> {
  return new Promise<T>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { id?: number }
      if (message.id !== id) return
      socket.off('message', onMessage)
      resolve(message as T)
    }
    socket.on('message', onMessage)
    socket.send(JSON.stringify({ id, command, payload }))
  })
}

function seedBulletins(db: Parameters<typeof createFeedsRepository>[0], count: number) {
  const repo = createFeedsRepository(db)
  const source = repo.createSource({
    name: 'Archivio bollettini',
    kind: 'rss',
    url: 'https://example.org/feed.xml',
    enabled: false,
  })
  const start = Date.parse('2024-01-01T00:00:00Z')
  const levels = ['verde', 'giallo', 'arancione', 'rosso'] as const
  for (let from = 0; from < count; from += 5000) {
    const entries = Array.from({ length: Math.min(5000, count - from) }, (_, k) => {
      const i = from + k
      const sent = new Date(start + i * 600_000).toISOString()
      const bulletin: Bulletin = {
        sourceId: source.id,
        externalId: `archivio-${i}`,
        capIdentifier: null,
        sender: 'cfr',
        sent,
        msgType: 'Alert',
        status: 'Actual',
        references: [],
        event: 'Pioggia',
        severity: null,
        urgency: null,
        certainty: null,
        onset: sent,
        effective: null,
        expires: null,
        headline: `Bollettino ${i}: criticità per rischio idrogeologico`,
        description: 'Piogge diffuse, localmente intense, sul Valdarno inferiore.',
        instruction: null,
        web: 'https://example.org/bollettini',
        areas: [{ name: 'Valdarno inferiore', geocodes: [] }],
        level: levels[i % 4],
        levelKind: 'criticita',
        language: 'it',
        rawKind: 'rss',
      }
      return { bulletin, isOurs: i % 3 === 0 }
    })
    repo.storeItems(source.id, entries, new Date())
  }
}
