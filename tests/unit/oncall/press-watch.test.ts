import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPressWatch } from '../../../src/main/core/oncall/press-watch'

afterEach(() => vi.useRealTimers())

describe('reading the room bot while a page is open', () => {
  it('reads every 5 s while a page waits, never twice at once, and stops when none is open', async () => {
    vi.useFakeTimers()
    let open = true
    let reads = 0
    let inFlight = 0
    let most = 0
    const watch = createPressWatch({
      open: () => open,
      read: async () => {
        reads++
        most = Math.max(most, ++inFlight)
        await new Promise((r) => setTimeout(r, 7_000)) // a slow provider
        inFlight--
      },
      onError: () => {},
    })
    watch.poke()
    watch.poke() // a second change while one is scheduled adds nothing
    await vi.advanceTimersByTimeAsync(5_000)
    expect(reads).toBe(1)
    await vi.advanceTimersByTimeAsync(7_000 + 5_000)
    expect(reads).toBe(2)
    expect(most).toBe(1)
    open = false
    await vi.advanceTimersByTimeAsync(60_000)
    expect(reads).toBe(2)
    watch.stop()
  })

  it('reports a failed read and keeps reading while the page is open', async () => {
    vi.useFakeTimers()
    const errors: unknown[] = []
    let reads = 0
    const watch = createPressWatch({
      open: () => true,
      read: () => (reads++ === 0 ? Promise.reject(new Error('rete giù')) : Promise.resolve()),
      onError: (e) => errors.push(e),
    })
    watch.poke()
    await vi.advanceTimersByTimeAsync(10_001)
    expect(reads).toBe(2)
    expect(errors).toHaveLength(1)
    watch.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(reads).toBe(2)
  })
})
