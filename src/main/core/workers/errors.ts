import Database from 'better-sqlite3'
import type { FieldIssue } from '../../../shared/validation/issues'
import { ImportCancelledError, InputError, InUseError, NotFoundError } from '../contacts/errors'
import { CoreError } from '../errors'
import { FeedError, type FeedErrorCode } from '../feeds/errors'

/**
 * An error as it crosses from the worker thread: structured clone keeps an
 * Error's message but not its class, and the core's handlers tell errors apart
 * by class. Each error the core raises on purpose travels as its kind and
 * fields, and is built again on the other side as the same class.
 */
export type WireError = { stack?: string } & (
  | { kind: 'InputError'; issues: FieldIssue[] }
  | { kind: 'NotFoundError'; entity: string; id: number | string }
  | { kind: 'InUseError'; entity: string; id: number; usedBy: number }
  | { kind: 'ImportCancelledError' }
  | { kind: 'CoreError'; code: CoreError['code']; message: string; issues: FieldIssue[] }
  | { kind: 'SqliteError'; message: string; code: string }
  | { kind: 'FeedError'; code: FeedErrorCode; message: string; extra: FeedError['extra'] }
  | { kind: 'Error'; name: string; message: string }
)

export function toWire(err: unknown): WireError {
  const stack = err instanceof Error ? err.stack : undefined
  if (err instanceof InputError) return { kind: 'InputError', issues: err.issues, stack }
  if (err instanceof NotFoundError)
    return { kind: 'NotFoundError', entity: err.entity, id: err.id, stack }
  if (err instanceof InUseError)
    return { kind: 'InUseError', entity: err.entity, id: err.id, usedBy: err.usedBy, stack }
  if (err instanceof ImportCancelledError) return { kind: 'ImportCancelledError', stack }
  if (err instanceof CoreError)
    return { kind: 'CoreError', code: err.code, message: err.message, issues: err.issues, stack }
  if (err instanceof FeedError)
    return { kind: 'FeedError', code: err.code, message: err.message, extra: err.extra, stack }
  if (err instanceof Database.SqliteError)
    return { kind: 'SqliteError', message: err.message, code: err.code, stack }
  if (err instanceof Error) return { kind: 'Error', name: err.name, message: err.message, stack }
  return { kind: 'Error', name: 'Error', message: String(err) }
}

/** The same class, fields and message as in the worker; the stack is the worker's, where it was thrown. */
export function fromWire(wire: WireError): Error {
  const err = build(wire)
  if (wire.stack) err.stack = wire.stack
  return err
}

function build(wire: WireError): Error {
  switch (wire.kind) {
    case 'InputError':
      return new InputError(wire.issues)
    case 'NotFoundError':
      return new NotFoundError(wire.entity, wire.id)
    case 'InUseError':
      return new InUseError(wire.entity, wire.id, wire.usedBy)
    case 'ImportCancelledError':
      return new ImportCancelledError()
    case 'CoreError':
      return new CoreError(wire.code, wire.message, wire.issues)
    case 'FeedError':
      return new FeedError(wire.code, wire.message, wire.extra)
    case 'SqliteError':
      return new Database.SqliteError(wire.message, wire.code)
    case 'Error': {
      const err = new Error(wire.message)
      err.name = wire.name
      return err
    }
  }
}
