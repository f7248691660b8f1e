import type { CommandOutput } from '../../../shared/contract'
import type { HandlersFor } from '../handlers'
import type { ChannelAccountsService } from './accounts-service'

export function channelsHandlers(
  service: ChannelAccountsService,
  headroom: () => CommandOutput<'channels:headroom'>,
): HandlersFor<'channels'> {
  return {
    'channels:list': () => service.list(),
    'channels:get': ({ id }) => service.get(id),
    'channels:create': (input, ctx) => service.create(input, ctx.operator),
    'channels:update': (input, ctx) => service.update(input, ctx.operator),
    'channels:delete': ({ id }, ctx) => service.delete(id, ctx.operator),
    'channels:test': ({ id }, ctx) => service.test(id, ctx.operator),
    'channels:headroom': () => headroom(),
  }
}
