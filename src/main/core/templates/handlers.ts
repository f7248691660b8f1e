import type { HandlersFor } from '../handlers'
import type { TemplatesService } from './templates-service'

export function templatesHandlers(service: TemplatesService): HandlersFor<'templates'> {
  return {
    'templates:list': () => service.list(),
    'templates:get': ({ id }) => service.get(id),
    'templates:save': (input, ctx) => service.save(input, ctx.operator),
    'templates:delete': ({ id }, ctx) => service.delete(id, ctx.operator),
  }
}
