import type { HandlersFor } from '../handlers'
import type { Oncall } from './oncall'

/** Configurazione → Reperibilità, who is on call, and the room taking charge of an escalation. */
export function oncallHandlers(oncall: Oncall): HandlersFor<'oncall'> {
  const { roster } = oncall
  return {
    'oncall:roster': () => oncall.getRoster(),
    'oncall:savePerson': (input, ctx) => roster.savePerson(input, ctx.operator),
    'oncall:deletePerson': ({ id }, ctx) => roster.deletePerson(id, ctx.operator),
    'oncall:setPin': ({ personId, pin }, ctx) => oncall.setPin(personId, pin, ctx.operator),
    'oncall:pins': () => oncall.pins(),
    'oncall:saveShift': (input, ctx) => roster.saveShift(input, ctx.operator),
    'oncall:deleteShift': ({ id }, ctx) => roster.deleteShift(id, ctx.operator),
    'oncall:saveException': (input, ctx) => roster.saveException(input, ctx.operator),
    'oncall:deleteException': ({ id }, ctx) => roster.deleteException(id, ctx.operator),
    'oncall:updateSettings': (patch, ctx) => roster.updateSettings(patch, ctx.operator),
    'oncall:now': ({ at }) => oncall.now(at),
    'oncall:escalations': ({ limit }) => oncall.escalations(limit),
    'oncall:acknowledge': ({ id }, ctx) => oncall.acknowledge(id, ctx.operator),
    'oncall:present': () => oncall.present(),
  }
}
