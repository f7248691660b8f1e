import type { HandlersFor } from '../handlers'
import type { NoticesService } from './notices-service'

export function noticesHandlers(service: NoticesService): HandlersFor<'notices'> {
  return {
    'notices:getMailbox': () => service.getMailbox(),
    'notices:saveMailbox': (input, ctx) => service.saveMailbox(input, ctx.operator),
    'notices:testMailbox': ({ mailbox }) => service.testMailbox(mailbox),
    'notices:pollNow': () => service.pollNow(),
    'notices:list': ({ limit, cursor }) => service.list(limit, cursor),
    'notices:openAttachment': ({ id }, ctx) => service.openAttachment(id, ctx.operator),
    'notices:createAvviso': (input, ctx) => service.createAvviso(input, ctx.operator),
  }
}
