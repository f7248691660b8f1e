import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Through the real core and dispatcher; only the saved layout's answer is held back, as a
// slow link would, to see who wins when the operator acts before it arrives.
let t: TestCore
/** Lets the held-back read answer (set while one is held). */
const gate: { release?: () => void } = {}
/** Answers the read held back now, if any (a function: TypeScript does not narrow it away). */
const release = (): void => gate.release?.()
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, { operator: 'test' })
  const read = bridge['room:getLayout'] as (i: unknown) => Promise<unknown>
  bridge['room:getLayout'] = async (input: unknown) => {
    const answer = await read(input)
    await new Promise<void>((r) => (gate.release = r))
    return answer
  }
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

describe('the room layout', () => {
  it('keeps the operator’s choice when the saved layout arrives after it', async () => {
    const { useRoomStore } = await import('../../src/renderer/src/stores/room')
    const room = useRoomStore()
    const reading = room.load()
    await flushPromises()
    await room.usePreset('parete')
    release()
    await reading
    expect(room.layout.preset).toBe('parete')
    expect(room.loaded).toBe(true)
    // And it is what the workspace keeps.
    gate.release = undefined
    const again = room.load()
    await flushPromises()
    release()
    await again
    expect(room.layout.preset).toBe('parete')
  })
})
