import type { HandlersFor } from '../handlers'
import type { CitizensService } from './citizens-service'

export function citizensHandlers(service: CitizensService): HandlersFor<'citizens'> {
  return {
    'citizens:page': (query) => service.page(query),
    'citizens:counts': ({ family }) => service.counts(family),
    'citizens:get': ({ id }) => service.get(id),
    'citizens:setState': ({ ids, state }, ctx) => service.setState(ids, state, ctx.operator),
    'citizens:assign': ({ ids, operator }, ctx) => service.assign(ids, operator, ctx.operator),
    'citizens:categorise': ({ ids, category }, ctx) =>
      service.categorise(ids, category, ctx.operator),
    'citizens:linkAlert': ({ ids, alertId }, ctx) => service.linkAlert(ids, alertId, ctx.operator),
    'citizens:reply': ({ id, text }, ctx) => service.reply(id, text, ctx.operator),
  }
}
