/**
 * Posts with the alert map card beside posts of text only, through the outbox:
 *
 * - `post_fanout_image_ratio_to_text`: posts per second of an alert's fan-out to
 *   10 Mastodon accounts (a loopback instance) with the map card (drawn once per
 *   alert version in the core's worker thread, uploaded to `/api/v2/media` with
 *   its alt text, then the status), over the same fan-out of text only. Median
 *   of 5 alerts each, every alert a new version with its own card and fresh
 *   accounts (so no rate limit paces it);
 * - `post_fanout_image_ms`, `post_fanout_text_ms`: the medians, from confirmation
 *   to the alert done;
 * - `map_card_worker_ms`: median time for one card through the worker thread (a
 *   thread of its own per card: its start, the boundaries and fonts read, the
 *   render), and `map_card_worker_loop_max_ms`, the longest the event loop was held
 *   meanwhile (the render itself, ~70 ms, is off the loop);
 * - `post_fanout_loop_max_ms_with_fake`: the longest the event loop was held while
 *   the image fan-outs ran, with the loopback instance in the same process (it
 *   parses ten 150 kB uploads at once; plain `fetch` of such bodies alone shows
 *   gaps of 10 to 40 ms), so an upper bound of what the core itself holds.
 *
 *   npm run bench -- post-images
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import { createChannelAccountsRepository } from '../../src/main/core/channels/accounts-repository'
import type { ChannelAdapter } from '../../src/main/core/channels/adapter'
import { createMastodonAdapter } from '../../src/main/core/channels/adapters/mastodon'
import { openDatabase } from '../../src/main/core/db/open'
import { createMapImageSource } from '../../src/main/core/maps/alert-card'
import { alertDocument } from '../../src/main/core/outbox/alert-document'
import { createDispatcher } from '../../src/main/core/outbox/dispatcher'
import { startFakeMastodon } from '../../tests/fakes/mastodon-fake'

const ACCOUNTS = 10
const ROUNDS = 5

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits

export async function run({ root }: { root: string }): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-bench-posts-'))
  const fake = await startFakeMastodon()
  const db = openDatabase(join(dir, 'posts.sqlite'))
  const accounts = createChannelAccountsRepository(db)
  const alerts = createAlertsService({
    db,
    audit: createAuditLog(db, () => new Date()),
    resolveRecipients: () => ({ recipients: [], skipped: [] }),
  })
  const adapters = new Map<number, ChannelAdapter>()
  const settings = { baseUrl: fake.url, visibility: 'public' }
  const finished = new Map<number, () => void>()
  const source = createMapImageSource({
    resourcesDir: join(root, 'resources'),
    ente: () => ({ name: 'Protezione civile Empolese Valdelsa', hashtag: '#allertameteoTOS' }),
  })
  const dispatcher = createDispatcher({
    db,
    adapterFor: (id) => adapters.get(id)!,
    mapImage: source,
    onAlertChange: (c) => {
      if (c.status === 'done') finished.get(c.alertId)?.()
    },
  })
  dispatcher.start()

  /** One alert to fresh accounts; ms from confirmation to done. */
  async function fanout(image: boolean, n: number): Promise<number> {
    const ids: number[] = []
    for (let i = 0; i < ACCOUNTS; i++) {
      const id = accounts.create({
        kind: 'mastodon',
        name: `Mastodon ${n}.${i}`,
        enabled: true,
        settings: { ...settings, mapCard: image },
        secrets: {},
        now: new Date().toISOString(),
      })
      adapters.set(
        id,
        createMastodonAdapter(
          { accountId: id, name: `Mastodon ${i}`, settings, secrets: { accessToken: fake.token } },
          { timeoutMs: 10_000 },
        ),
      )
      ids.push(id)
    }
    const alert = alerts.createDraft(
      {
        kind: 'idraulico',
        level: n % 2 ? 'arancione' : 'rosso',
        comuni: [
          { name: 'Empoli', istatCode: '048014' },
          { name: 'Vinci', istatCode: '048050' },
        ],
        validFrom: new Date().toISOString(),
        validTo: new Date(Date.now() + 24 * 3_600_000).toISOString(),
        headline: `Allerta per rischio idraulico n. ${n}`,
        texts: { mastodon: `Allerta per rischio idraulico su Empoli e Vinci (${n}). #allerta` },
        targets: { accountIds: ids, listIds: [] },
      },
      'bench',
    )
    const done = new Promise<void>((resolve) => finished.set(alert.id, resolve))
    const t0 = performance.now()
    alerts.confirm(alert.id, 'bench', { cancelWindowSeconds: 0 })
    dispatcher.wake()
    await done
    return performance.now() - t0
  }

  try {
    // Warm-up, not counted: the worker's script is bundled once per process from source.
    await fanout(true, 0)
    await fanout(false, 1)
    const text: number[] = []
    const images: number[] = []
    const loop = monitorEventLoopDelay({ resolution: 5 })
    for (let r = 0; r < ROUNDS; r++) {
      text.push(await fanout(false, 10 + 2 * r))
      loop.enable()
      images.push(await fanout(true, 11 + 2 * r))
      loop.disable()
    }
    // The card alone, through the worker, as the outbox asks for it.
    const cards: number[] = []
    const cardLoop = monitorEventLoopDelay({ resolution: 5 })
    const sample = alerts.get(Math.max(...finished.keys()))
    cardLoop.enable()
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = performance.now()
      await source(sample, alertDocument(sample, [], 'bench'))
      cards.push(performance.now() - t0)
    }
    cardLoop.disable()
    const uploads = fake.requests.filter((q) => q.path === '/api/v2/media').length
    if (uploads !== (ROUNDS + 1) * ACCOUNTS)
      throw new Error(`expected ${(ROUNDS + 1) * ACCOUNTS} uploads, saw ${uploads}`)
    const textMs = median(text)
    const imageMs = median(images)
    const ratio = round(textMs / imageMs, 3)
    process.stdout.write(
      `  ${ACCOUNTS} posts: text only ${round(textMs)} ms, with the map ${round(imageMs)} ms (ratio ${ratio})\n`,
    )
    return {
      post_fanout_accounts: ACCOUNTS,
      post_fanout_text_ms: round(textMs),
      post_fanout_image_ms: round(imageMs),
      post_fanout_image_ratio_to_text: ratio,
      post_fanout_loop_max_ms_with_fake: round(loop.max / 1e6),
      map_card_worker_ms: round(median(cards)),
      map_card_worker_loop_max_ms: round(cardLoop.max / 1e6),
    }
  } finally {
    await dispatcher.stop()
    db.close()
    await fake.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
