import {
  commands,
  isCommandName,
  type ApiErrorBody,
  type CommandName,
  type Envelope,
} from '../../shared/contract'
import { toFieldIssues } from '../../shared/validation/issues'
import type { CallContext, CommandHandlers } from '../core/handlers'
import { toApiFailure } from './api-error'

export type Dispatch = (name: string, payload: unknown, ctx: CallContext) => Promise<Envelope>

export interface DispatchOptions {
  /** Where unexpected errors go (never to the caller in full: they may hold paths or data). */
  onInternalError?: (command: string, err: unknown) => void
  /**
   * Check every answer against its command's output schema; an answer outside the
   * contract becomes an `internal` error naming the command and the field. On by
   * default in tests and development (see {@link checksOutputsByDefault}).
   */
  checkOutputs?: boolean
}

/**
 * Whether answers are checked when the caller does not say: under vitest
 * (`NODE_ENV=test`), in development, or with `VEDETTA_CHECK_OUTPUTS=1`; never in
 * a production run unless asked, where a drifted field must not stop the room.
 */
export function checksOutputsByDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.VEDETTA_CHECK_OUTPUTS !== undefined) return env.VEDETTA_CHECK_OUTPUTS === '1'
  return env.NODE_ENV === 'test' || env.NODE_ENV === 'development'
}

/** An answer that does not match its command's output schema (a bug in the core). */
export class OutputMismatchError extends Error {
  override name = 'OutputMismatchError'
  constructor(
    readonly command: string,
    readonly path: string,
    readonly detail: string,
  ) {
    super(`${command} answered outside its contract at ${path || '(root)'}: ${detail}`)
  }
}

/** Checks `value` against the output schema of `name`; throws {@link OutputMismatchError}. */
export function checkOutput(name: CommandName, value: unknown): void {
  const parsed = commands[name].output.safeParse(value)
  if (parsed.success) return
  const [first] = toFieldIssues(parsed.error)
  const issue = parsed.error.issues[0]
  throw new OutputMismatchError(name, first?.path ?? '', issue?.message ?? 'invalid')
}

/**
 * The one gate between a transport and the core: the command must exist, the
 * payload must match its schema, and every failure becomes a typed error
 * envelope — never a crash, never an exception across the wire.
 */
export function createDispatch(handlers: CommandHandlers, options: DispatchOptions = {}): Dispatch {
  const checkOutputs = options.checkOutputs ?? checksOutputsByDefault()
  return async (name, payload, ctx) => {
    if (typeof name !== 'string' || !isCommandName(name)) {
      return fail({
        code: 'unknown_command',
        message: `unknown command: ${String(name).slice(0, 80)}`,
      })
    }
    const parsed = commands[name].input.safeParse(payload ?? {}, { reportInput: true })
    if (!parsed.success) {
      return fail({
        code: 'invalid_input',
        message: `invalid input for ${name}`,
        issues: toFieldIssues(parsed.error),
      })
    }
    let value: unknown
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown
      value = await handler(parsed.data, ctx)
    } catch (err) {
      const failure = toApiFailure(err, name)
      if (failure.unexpected) options.onInternalError?.(name, err)
      return fail(failure.error)
    }
    if (checkOutputs) {
      try {
        checkOutput(name, value)
      } catch (err) {
        options.onInternalError?.(name, err)
        return fail({ code: 'internal', message: (err as Error).message })
      }
    }
    return { ok: true, value }
  }
}

const fail = (error: ApiErrorBody): Envelope => ({ ok: false, error })

export type { CommandName }
