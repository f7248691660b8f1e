import {
  commands,
  isCommandName,
  type ApiErrorBody,
  type CommandName,
  type Envelope,
} from '../../shared/contract'
import { toFieldIssues } from '../../shared/validation/issues'
import type { CallContext, CommandHandlers } from '../core/handlers'
import { CoreError } from '../core/errors'

export type Dispatch = (name: string, payload: unknown, ctx: CallContext) => Promise<Envelope>

export interface DispatchOptions {
  /** Where unexpected errors go (never to the caller in full: they may hold paths or data). */
  onInternalError?: (command: string, err: unknown) => void
}

/**
 * The one gate between a transport and the core: the command must exist, the
 * payload must match its schema, and every failure becomes a typed error
 * envelope — never a crash, never an exception across the wire.
 */
export function createDispatch(handlers: CommandHandlers, options: DispatchOptions = {}): Dispatch {
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
    try {
      const handler = handlers[name] as (input: unknown, ctx: CallContext) => unknown
      const value = await handler(parsed.data, ctx)
      return { ok: true, value }
    } catch (err) {
      if (err instanceof CoreError)
        return fail({ code: err.code, message: err.message, issues: err.issues })
      options.onInternalError?.(name, err)
      return fail({ code: 'internal', message: `${name} failed unexpectedly; see the log` })
    }
  }
}

const fail = (error: ApiErrorBody): Envelope => ({ ok: false, error })

export type { CommandName }
