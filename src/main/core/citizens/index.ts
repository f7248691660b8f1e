/** The citizens' inbox: storage, triage, search, replies and inbound pollers. */
export {
  createCitizensService,
  type CitizensEmit,
  type CitizensService,
  type CitizensServiceOptions,
  type EnqueueReply,
  type ReplyRequest,
} from './citizens-service'
export { createCitizensRepository, type CitizensRepository } from './citizens-repository'
export { boundText, TRUNCATION_MARKER } from './bound-text'
export type { IncomingCitizenMessage } from './types'
export * from './inbound'
