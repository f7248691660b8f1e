/** Alerts from draft to delivery: schemas, the service, previews and progress. */
export {
  alertDraftPatchSchema,
  alertDraftSchema,
  alertTargetsSchema,
  comuneRefSchema,
  type AlertDraft,
  type AlertDraftInput,
  type AlertDraftPatch,
  type AlertTargets,
  type AlertTexts,
  type ComuneRef,
} from './alert-schema'
export { createAlertsRepository, type RelayRequest, type RelayStatus } from './alerts-repository'
export {
  createAlertsService,
  DEFAULT_CANCEL_WINDOW_SECONDS,
  MAX_CANCEL_WINDOW_SECONDS,
  type AlertsService,
  type AlertsServiceDeps,
  type ConfirmOptions,
  type ConfirmResult,
  type FollowUpInput,
} from './alerts-service'
export type { SendingEvents } from './events'
export type {
  AccountHealth,
  AccountPreview,
  AlertPreview,
  PreviewWarning,
  PreviewWarningCode,
  RelayPreview,
  SkippedSummary,
} from './preview'
export { alertTemplateValues, renderAlertTexts, type ExtraTemplateValues } from './template-texts'
export type { AccountProgress, AlertProgress, PartnerProgress, StateCounts } from './progress'
export {
  planRelays,
  relayBody,
  relayKey,
  relayRequestText,
  type RelayAccount,
  type RelayPlan,
  type RelaySource,
} from './relays'
export * from './types'
