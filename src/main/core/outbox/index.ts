/** The durable outbox: rows, the dispatcher that sends them, and its building blocks. */
export { accountAdapterResolver, type AccountSource } from './account-adapters'
export {
  createDirectMessages,
  type DirectMessages,
  type DirectMessagesDeps,
} from './direct-messages'
export { MAX_REPLY_LENGTH, replyRequestSchema } from './reply-request'
export { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff'
export {
  createDispatcher,
  type AccountHeadroom,
  type Dispatcher,
  type DispatcherOptions,
  type TickSummary,
} from './dispatcher'
export { idempotencyKeyFor, nextGenerationKey } from './idempotency'
export { alertDocument } from './message-builder'
export {
  createOutboxRepository,
  type FailureGroup,
  type OutboxRepository,
  type StateCount,
} from './outbox-repository'
export { DEFAULT_RECEIPTS } from './outcome'
export { createTokenBucket, type TokenBucket } from './token-bucket'
export {
  FINAL_STATES,
  OUTBOX_KINDS,
  OUTBOX_STATES,
  type OutboxKind,
  type OutboxRow,
  type OutboxState,
  type RowChange,
} from './types'
