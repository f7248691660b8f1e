import type { HandlersFor } from '../handlers'
import type { FeedsService } from './feeds-service'

export function feedsHandlers(service: FeedsService): HandlersFor<'feeds'> {
  return {
    'feeds:sources': () => service.sources(),
    'feeds:createSource': (input, ctx) => service.createSource(input, ctx.operator),
    'feeds:updateSource': ({ id, source }, ctx) => service.updateSource(id, source, ctx.operator),
    'feeds:deleteSource': ({ id }, ctx) => service.deleteSource(id, ctx.operator),
    'feeds:pollNow': ({ id }) => service.pollNow(id),
    'feeds:items': (q) => service.items(q),
    'feeds:draftFor': ({ itemId, group }) => service.draftFor(itemId, group),
    'feeds:pendingAlerts': () => service.pendingAlerts(),
    'feeds:acknowledgeAlert': ({ itemId }, ctx) => service.acknowledgeAlert(itemId, ctx.operator),
  }
}
