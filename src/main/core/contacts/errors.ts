import type { z } from 'zod'
import { toFieldIssues, type FieldIssue } from '../../../shared/validation/issues'

/** Input the user can correct: field issues as codes the UI translates. */
export class InputError extends Error {
  override name = 'InputError'
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.path || '(input)'}: ${i.code}`).join('; '))
  }

  static fromZod(error: z.ZodError): InputError {
    return new InputError(toFieldIssues(error))
  }
}

/** The record asked for does not exist (deleted meanwhile, or a wrong id). */
export class NotFoundError extends Error {
  override name = 'NotFoundError'
  constructor(
    readonly entity: string,
    readonly id: number | string,
  ) {
    super(`${entity} ${id} not found`)
  }
}

/** A record other records still point to (a comune with contacts…): deleting it would lose data. */
export class InUseError extends Error {
  override name = 'InUseError'
  constructor(
    readonly entity: string,
    readonly id: number,
    readonly usedBy: number,
  ) {
    super(`${entity} ${id} is used by ${usedBy} record(s)`)
  }
}

/** Parses with a schema, turning its issues into an {@link InputError}. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input)
  if (!result.success) throw InputError.fromZod(result.error)
  return result.data
}

/** The operator stopped an import before it committed: nothing of it was saved. */
export class ImportCancelledError extends Error {
  override name = 'ImportCancelledError'
  constructor() {
    super('import cancelled: nothing was saved')
  }
}
