import type { HandlersFor } from '../handlers'
import type { Journal } from '../journal/journal'
import type { createLayoutsRepository } from './layouts-repository'

export function roomHandlers(
  layouts: ReturnType<typeof createLayoutsRepository>,
  now: () => Date,
): HandlersFor<'room'> {
  return {
    'room:getLayout': (_input, ctx) => layouts.get(ctx.operator),
    'room:saveLayout': ({ layout }, ctx) => {
      layouts.put(ctx.operator, layout, now().toISOString())
      return layout
    },
  }
}

export function journalHandlers(journal: Journal): HandlersFor<'journal'> {
  return {
    'journal:list': ({ limit, before }) => journal.list(limit, before),
    'journal:addNote': ({ text }, ctx) => journal.addNote(ctx.operator, text),
    'journal:handover': (input, ctx) => journal.handover(ctx.operator, input),
  }
}
