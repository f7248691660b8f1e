import type { FieldIssue } from '../validation/issues'

/** Why a command failed, as every transport reports it. */
export type ApiErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'unknown_command'
  | 'forbidden'
  | 'unavailable'
  | 'internal'

export interface ApiErrorBody {
  code: ApiErrorCode
  /** A sentence for a person (English); the UI prefers `issues` for field-level text. */
  message: string
  issues?: FieldIssue[]
}

/** The envelope every command answer travels in, over IPC and WebSocket alike. */
export type Envelope<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiErrorBody }

/** Thrown by the renderer's `api` when a command fails: typed, never a bare string. */
export class ApiError extends Error {
  override name = 'ApiError'
  readonly code: ApiErrorCode
  readonly issues: FieldIssue[]
  constructor(body: ApiErrorBody) {
    super(body.message)
    this.code = body.code
    this.issues = body.issues ?? []
  }
}
