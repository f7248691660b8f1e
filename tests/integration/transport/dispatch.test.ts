import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatch } from '../../../src/main/transport/dispatch'
import { commandNames } from '../../../src/shared/contract'
import { createTestCore, type TestCore } from '../../support/test-core'

let t: TestCore
beforeEach(() => (t = createTestCore()))
afterEach(() => t.dispose())
const ctx = { operator: 'test' }

describe('the dispatcher between transports and the core', () => {
  it('has a handler for every command of the contract', () => {
    for (const name of commandNames) expect(typeof t.core.handlers[name]).toBe('function')
  })

  it('answers an unknown command with a typed error', async () => {
    const r = await createDispatch(t.core.handlers)('channels:explode', {}, ctx)
    expect(r).toEqual({
      ok: false,
      error: { code: 'unknown_command', message: 'unknown command: channels:explode' },
    })
  })

  it('refuses malformed payloads before they reach the core', async () => {
    const dispatch = createDispatch(t.core.handlers)
    for (const payload of [null, 42, 'x', { id: 'one' }, { id: -1 }, { id: 1, extra: true }]) {
      const r = await dispatch('channels:get', payload, ctx)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('invalid_input')
    }
  })

  it('turns an unexpected failure into an internal error without its details', async () => {
    const logged: unknown[] = []
    const handlers = {
      ...t.core.handlers,
      'channels:list': () => {
        throw new Error('SQLITE_CORRUPT at /secret/path')
      },
    }
    const r = await createDispatch(handlers, { onInternalError: (_c, e) => logged.push(e) })(
      'channels:list',
      {},
      ctx,
    )
    expect(r).toEqual({
      ok: false,
      error: { code: 'internal', message: 'channels:list failed unexpectedly; see the log' },
    })
    expect(logged).toHaveLength(1)
  })
})
