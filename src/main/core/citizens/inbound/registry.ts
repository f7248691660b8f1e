import type { ChannelKind } from '../../../../shared/channels/kinds'
import { createFacebookInbound } from './facebook'
import { createMastodonInbound } from './mastodon'
import { createSmsGatewayInbound } from './sms-gateway'
import { createTelegramInbound } from './telegram'
import type { InboundAccount, InboundContext, InboundPoller } from './types'
import { createXInbound } from './x'
import { createYoutubeInbound } from './youtube'

type Factory = (account: InboundAccount, ctx: InboundContext) => InboundPoller

/** Kinds whose citizens' messages are polled (SMPP pushes them on its session instead). */
const FACTORIES: Partial<Record<ChannelKind, Factory>> = {
  mastodon: createMastodonInbound,
  x: createXInbound,
  telegram: createTelegramInbound,
  facebook_page: createFacebookInbound,
  sms_gateway: createSmsGatewayInbound,
  youtube: createYoutubeInbound,
}

/** True when Vedetta can read replies from accounts of this kind by polling. */
export function hasInbound(kind: ChannelKind): boolean {
  return FACTORIES[kind] !== undefined
}

/**
 * The inbound poller of an account, or undefined for kinds without one. Never
 * call it for drill workspaces with real accounts: drills inject messages instead.
 */
export function createInboundPollerFor(
  account: InboundAccount,
  ctx: InboundContext,
): InboundPoller | undefined {
  return FACTORIES[account.kind]?.(account, ctx)
}
