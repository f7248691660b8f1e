/** Inbound pollers: what citizens send to our channels, read from each provider. */
export * from './types'
export * from './errors'
export { createInboundPollerFor, hasInbound } from './registry'
export {
  createInboundPoller,
  type InboundPollReport,
  type InboundScheduler,
  type InboundSchedulerOptions,
} from './scheduler'
export {
  createInboundCursorsRepository,
  type InboundCursorState,
  type InboundCursorStore,
} from './cursors-repository'
export { createMastodonInbound } from './mastodon'
export { createXInbound } from './x'
export { createTelegramInbound } from './telegram'
export { createFacebookInbound } from './facebook'
export { createSmsGatewayInbound, formatGatewayDate } from './sms-gateway'
export {
  createSmppInboundAssembler,
  fromSmppDeliver,
  type DeliverSmFields,
  type SmppInboundAssembler,
} from './smpp'
