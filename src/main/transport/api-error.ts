import { z } from 'zod'
import type { ApiErrorBody } from '../../shared/contract'
import { toFieldIssues } from '../../shared/validation/issues'
import { CoreError } from '../core/errors'

export interface ApiFailure {
  error: ApiErrorBody
  /** True when nothing typed the error: the caller logs it in full (the answer never carries it). */
  unexpected: boolean
}

/**
 * What a transport answers for an error thrown while serving `command`: the core's
 * typed errors keep their code (and field issues), a schema failure is `invalid_input`
 * with its issues, and anything else is `internal` with a sentence that names the
 * command but none of the error's details (they may hold paths or data).
 * Shared by the dispatcher (IPC and WebSocket alike) and the Electron IPC wiring.
 */
export function toApiFailure(err: unknown, command: string): ApiFailure {
  if (err instanceof CoreError) {
    return {
      error: { code: err.code, message: err.message, issues: err.issues },
      unexpected: false,
    }
  }
  if (err instanceof z.ZodError) {
    return {
      error: {
        code: 'invalid_input',
        message: `invalid input for ${command}`,
        issues: toFieldIssues(err),
      },
      unexpected: false,
    }
  }
  return {
    error: { code: 'internal', message: `${command} failed unexpectedly; see the log` },
    unexpected: true,
  }
}
