import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runOutboxCrashTest } from './harness'

describe('outbox under SIGKILL', () => {
  it('loses nothing and texts nobody twice when the sending process is killed at random, many times', async () => {
    const results = resolve(__dirname, '../../.test-results')
    mkdirSync(results, { recursive: true })
    const figures = await runOutboxCrashTest({ outputFile: join(results, 'outbox-crash.json') })

    expect(figures.crash_kills).toBe(20)
    // Some kills landed inside the fan-out; each one rolled back whole.
    expect(figures.crash_kills_during_fanout).toBeGreaterThan(0)
    expect(figures.crash_partial_fanouts).toBe(0)
    expect(figures.crash_rows).toBe(4600)
    expect(figures.crash_lost).toBe(0)
    expect(figures.crash_duplicates).toBe(0)
    expect(figures.crash_failed).toBe(0)
    // Kills mid-dispatch made the gateway see resends it refused by order id.
    expect(figures.crash_resends_refused).toBeGreaterThan(0)
  }, 120_000)
})
