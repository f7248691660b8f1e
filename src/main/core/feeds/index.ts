/** Feeds in: official bulletins (CAP, MeteoAlarm Atom, RSS/Atom news, DPC JSON), polled and stored. */
export type * from './types'
export { FEED_SOURCE_KINDS, WARNING_LEVELS } from './types'
export { FeedError, type FeedErrorCode } from './errors'
export { feedSourceInputSchema, type FeedSourceInput } from './source-schema'
export {
  createFeedsRepository,
  type FeedsRepository,
  type PageQuery,
  type ItemPage,
  type StoreOutcome,
} from './repository'
export {
  createFeedPoller,
  type FeedPoller,
  type FeedPollerOptions,
  type PollReport,
} from './poller'
export {
  ingestBulletins,
  findOurNewOrUpgraded,
  type OurBulletinAlert,
  type IngestResult,
} from './ingest'
export { matchOurZones, type ZoneMatch } from './zones'
export { fetchFeed, type FetchFeedOptions, type FetchFeedResult } from './http/fetch-feed'
export { parseCap } from './parsers/cap'
export { parseAtomCapIndex, type CapIndexEntry } from './parsers/atom-cap-index'
export { parseNewsFeed } from './parsers/news-feed'
export { pollSource } from './poll-source'
