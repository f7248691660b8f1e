import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { CoreError, invalid, notFound } from '../../../src/main/core/errors'
import { toApiFailure } from '../../../src/main/transport/api-error'
import {
  checkOutput,
  checksOutputsByDefault,
  createDispatch,
  OutputMismatchError,
} from '../../../src/main/transport/dispatch'
import type { CommandHandlers } from '../../../src/main/core/handlers'

describe('errors crossing a transport keep their typed code', () => {
  it('keeps not_found, conflict, forbidden and unavailable from the core', () => {
    expect(toApiFailure(notFound('drill "x"'), 'drill x')).toEqual({
      error: { code: 'not_found', message: 'drill "x" not found', issues: [] },
      unexpected: false,
    })
    for (const code of ['conflict', 'forbidden', 'unavailable'] as const) {
      const f = toApiFailure(new CoreError(code, 'no'), 'alerts:confirm')
      expect(f.error.code).toBe(code)
      expect(f.unexpected).toBe(false)
    }
  })

  it('keeps the field issues of invalid_input', () => {
    const f = toApiFailure(invalid([{ path: 'name', code: 'required' }]), 'channels:create')
    expect(f.error).toEqual({
      code: 'invalid_input',
      message: 'Some fields are not valid',
      issues: [{ path: 'name', code: 'required' }],
    })
  })

  it('turns a schema failure into invalid_input with its issues', () => {
    const parsed = z.object({ port: z.number() }).safeParse({})
    if (parsed.success) throw new Error('expected a failure')
    const f = toApiFailure(parsed.error, 'settings:update')
    expect(f.error.code).toBe('invalid_input')
    expect(f.error.issues).toEqual([{ path: 'port', code: 'required' }])
  })

  it('reports anything else as internal, naming the command and none of the details', () => {
    const f = toApiFailure(new Error('SQLITE_CORRUPT at /home/ops/vedetta.db'), 'drill 7')
    expect(f).toEqual({
      error: { code: 'internal', message: 'drill 7 failed unexpectedly; see the log' },
      unexpected: true,
    })
    expect(toApiFailure('a string', 'x').error.code).toBe('internal')
  })
})

describe('answers checked against the contract', () => {
  it('is on in tests and development, off in production unless asked', () => {
    expect(checksOutputsByDefault({ NODE_ENV: 'test' })).toBe(true)
    expect(checksOutputsByDefault({ NODE_ENV: 'development' })).toBe(true)
    expect(checksOutputsByDefault({ NODE_ENV: 'production' })).toBe(false)
    expect(checksOutputsByDefault({})).toBe(false)
    expect(checksOutputsByDefault({ NODE_ENV: 'production', VEDETTA_CHECK_OUTPUTS: '1' })).toBe(
      true,
    )
    expect(checksOutputsByDefault({ NODE_ENV: 'test', VEDETTA_CHECK_OUTPUTS: '0' })).toBe(false)
  })

  it('names the command and the field of an answer outside the contract', () => {
    expect(() => checkOutput('system:info', { version: 1 })).toThrow(OutputMismatchError)
    try {
      checkOutput('templates:list', [{ id: 'a', name: 'x' }])
    } catch (err) {
      expect(err).toBeInstanceOf(OutputMismatchError)
      expect((err as OutputMismatchError).command).toBe('templates:list')
      expect((err as OutputMismatchError).path).toBe('0.kind')
    }
    expect(() =>
      checkOutput('system:info', {
        version: '1',
        mode: 'real',
        shell: 'host',
        workspaceName: 'Comune',
      }),
    ).not.toThrow()
  })

  it('turns a drifted answer into an internal error, logged, when checking is on', async () => {
    const handlers = {
      'system:info': () => ({ version: 3, mode: 'real', shell: 'host', workspaceName: 'C' }),
    } as unknown as CommandHandlers
    const logged: unknown[] = []
    const on = createDispatch(handlers, {
      checkOutputs: true,
      onInternalError: (_c, e) => logged.push(e),
    })
    const r = await on('system:info', {}, { operator: 't' })
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('internal')
      expect(r.error.message).toMatch(/^system:info answered outside its contract at version/)
    }
    expect(logged).toHaveLength(1)
    const off = createDispatch(handlers, { checkOutputs: false })
    expect((await off('system:info', {}, { operator: 't' })).ok).toBe(true)
  })
})
