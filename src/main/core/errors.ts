import type { FieldIssue } from '../../shared/validation/issues'

/** Errors the core raises on purpose; transports turn them into typed API errors. */
export class CoreError extends Error {
  constructor(
    readonly code: 'invalid_input' | 'not_found' | 'conflict' | 'forbidden' | 'unavailable',
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message)
    this.name = 'CoreError'
  }
}

export const invalid = (issues: FieldIssue[], message = 'Some fields are not valid'): CoreError =>
  new CoreError('invalid_input', message, issues)

export const notFound = (what: string): CoreError => new CoreError('not_found', `${what} not found`)

export const conflict = (message: string): CoreError => new CoreError('conflict', message)
