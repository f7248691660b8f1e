import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import {
  ImportCancelledError,
  InputError,
  InUseError,
  NotFoundError,
} from '../../../src/main/core/contacts/errors'
import { CoreError } from '../../../src/main/core/errors'
import { FeedError } from '../../../src/main/core/feeds/errors'
import { fromWire, toWire } from '../../../src/main/core/workers/errors'

/** As a worker's message crosses to the core's thread: structured clone, which drops classes. */
const across = (err: unknown) => fromWire(structuredClone(toWire(err)))

describe('errors from the worker thread', () => {
  it('come back as the same classes with the same fields, which a bare structured clone loses', () => {
    const input = new InputError([{ path: 'confirmRemoval', code: 'number' }])
    expect(structuredClone(input)).not.toBeInstanceOf(InputError)

    const back = across(input)
    expect(back).toBeInstanceOf(InputError)
    expect(back).toMatchObject({ issues: input.issues, message: input.message })
    expect(across(new NotFoundError('contact', 7))).toMatchObject({ entity: 'contact', id: 7 })
    expect(across(new NotFoundError('contact', 7))).toBeInstanceOf(NotFoundError)
    expect(across(new InUseError('comune', 3, 12))).toMatchObject({ id: 3, usedBy: 12 })
    expect(across(new InUseError('comune', 3, 12))).toBeInstanceOf(InUseError)
    expect(across(new ImportCancelledError())).toBeInstanceOf(ImportCancelledError)
    const core = across(new CoreError('conflict', 'già in corso', [{ path: 'x', code: 'invalid' }]))
    expect(core).toBeInstanceOf(CoreError)
    expect(core).toMatchObject({
      code: 'conflict',
      message: 'già in corso',
      issues: [{ path: 'x' }],
    })
    const feed = across(new FeedError('invalid_json', 'JSON troncato', { details: ['riga 1'] }))
    expect(feed).toBeInstanceOf(FeedError)
    expect(feed).toMatchObject({
      code: 'invalid_json',
      message: 'JSON troncato',
      extra: { details: ['riga 1'] },
    })
  })

  it('keep SQLite’s code, and the stack of where they were thrown in the worker', () => {
    let sqlite: unknown
    try {
      new Database(':memory:').exec('SELEC 1')
    } catch (err) {
      sqlite = err
    }
    const back = across(sqlite)
    expect(back).toBeInstanceOf(Database.SqliteError)
    expect(back).toMatchObject({ code: 'SQLITE_ERROR', message: (sqlite as Error).message })
    expect(back.stack).toBe((sqlite as Error).stack)
  })

  it('any other error keeps its name and message; a thrown non-error becomes one', () => {
    const type = across(new TypeError('x is not a function'))
    expect(type).toMatchObject({ name: 'TypeError', message: 'x is not a function' })
    expect(across('boom')).toMatchObject({ name: 'Error', message: 'boom' })
  })
})
