import type { ListView } from '../../../shared/contract/contacts'
import type { AuditLog } from '../audit/audit-log'
import { createComuniRepository } from '../comuni'
import type { Db } from '../db/open'
import { CoreError, invalid, notFound } from '../errors'
import type { EventBus } from '../events'
import type { HandlersFor } from '../handlers'
import { createAudience, createListsRepository } from '../lists'
import { createPartnersRepository } from '../partners'
import { createContactsService } from './contacts-service'
import { exportContactsCsv } from './csv/export-csv'
import { ImportCancelledError, InputError, InUseError, NotFoundError } from './errors'
import { createImportRunner } from './import-runner'
import { createRolesRepository } from './roles-repository'

type What = 'contacts' | 'lists' | 'partners' | 'comuni' | 'roles'

/** The people side of the workspace over the contract: every change audited and announced. */
export function createContactsHandlers(
  db: Db,
  deps: { events: EventBus; audit: AuditLog; now: () => Date },
) {
  const contacts = createContactsService(db, { now: deps.now })
  const lists = createListsRepository(db, deps.now)
  const audience = createAudience(db)
  const partners = createPartnersRepository(db, deps.now)
  const comuni = createComuniRepository(db, deps.now)
  const roles = createRolesRepository(db, deps.now)
  const imports = createImportRunner(db, {
    now: deps.now,
    onProgress: (progress) => deps.events.emit('contacts:importProgress', progress),
  })
  let importSeq = 0

  /** The contacts area's own errors, as the contract's typed errors. */
  function typed(err: unknown): unknown {
    if (err instanceof InputError) return invalid(err.issues)
    if (err instanceof NotFoundError) return notFound(`${err.entity} ${err.id}`)
    if (err instanceof InUseError)
      return new CoreError('conflict', `${err.entity} is still used by ${err.usedBy} record(s)`)
    if (err instanceof ImportCancelledError) return new CoreError('conflict', err.message)
    return err
  }
  function guard<T>(run: () => T): T {
    try {
      return run()
    } catch (err) {
      throw typed(err)
    }
  }
  const announce = (
    what: What,
    actor: string,
    action: string,
    subject: string | null,
    detail: unknown,
  ) => {
    deps.audit.record(actor, action, subject, detail)
    deps.events.emit('contacts:changed', { what })
  }
  function changed<T>(
    what: What,
    actor: string,
    action: string,
    subject: string | null,
    run: () => T,
    detail?: (r: T) => unknown,
  ): T {
    const result = guard(run)
    announce(what, actor, action, subject, detail?.(result))
    return result
  }
  const listView = (id: number): ListView => {
    const list = lists.get(id)
    if (!list) throw notFound(`list ${id}`)
    return { ...list, reach: audience.listReach(id) }
  }

  const handlers: HandlersFor<'contacts'> &
    HandlersFor<'roles'> &
    HandlersFor<'comuni'> &
    HandlersFor<'lists'> &
    HandlersFor<'partners'> = {
    'contacts:search': ({ listId, ...query }) =>
      guard(() => contacts.search(query, listId ? { listId } : {})),
    'contacts:get': ({ id }) =>
      guard(() => {
        const c = contacts.get(id)
        if (!c) throw notFound(`contact ${id}`)
        return c
      }),
    'contacts:create': ({ contact }, ctx) =>
      changed(
        'contacts',
        ctx.operator,
        'contacts.create',
        null,
        () => contacts.create(contact as never),
        (r) => ({ id: r.contact.id, merged: r.merge !== null }),
      ),
    'contacts:update': ({ id, contact }, ctx) =>
      changed('contacts', ctx.operator, 'contacts.update', `contact:${id}`, () =>
        contacts.update(id, contact as never),
      ),
    'contacts:delete': ({ id }, ctx) =>
      changed('contacts', ctx.operator, 'contacts.delete', `contact:${id}`, () => {
        if (!contacts.remove(id)) throw new NotFoundError('contact', id)
        return { id }
      }),
    'contacts:recordConsent': ({ id, consent }, ctx) =>
      changed(
        'contacts',
        ctx.operator,
        'contacts.consent',
        `contact:${id}`,
        () => contacts.recordConsent(id, consent),
        () => consent,
      ),
    'contacts:recordOptOut': ({ id, optOut }, ctx) =>
      changed(
        'contacts',
        ctx.operator,
        'contacts.optOut',
        `contact:${id}`,
        () => contacts.recordOptOut(id, optOut),
        () => optOut,
      ),
    'contacts:liftOptOut': ({ id, scope, consent }, ctx) =>
      changed(
        'contacts',
        ctx.operator,
        'contacts.liftOptOut',
        `contact:${id}`,
        () => contacts.liftOptOut(id, scope, consent),
        () => ({ scope, consent }),
      ),
    'contacts:import': async (input, ctx) => {
      const importId = input.importId ?? `core-${++importSeq}`
      if (imports.has(importId))
        throw new CoreError('conflict', `import ${importId} is already running`)
      let report
      try {
        report = await imports.run(importId, input.content, {
          fileName: input.fileName,
          mapping: input.mapping,
          dryRun: input.dryRun,
          strict: input.strict,
          list: input.list || undefined,
          sourceKey: input.sourceKey || undefined,
          confirmRemoval: input.confirmRemoval,
        })
      } catch (err) {
        throw typed(err)
      }
      if (input.dryRun) return report
      announce(
        'contacts',
        ctx.operator,
        'contacts.import',
        input.list ? `list:${input.list}` : null,
        {
          file: input.fileName,
          rows: report.rows,
          valid: report.valid,
          invalid: report.invalid.length,
          committed: report.committed,
          // Who confirmed a large sync removal, and of how many, stays in the audit log.
          ...(report.sync ? { disappeared: report.sync.disappeared.length } : {}),
          ...(input.confirmRemoval !== undefined ? { confirmRemoval: input.confirmRemoval } : {}),
        },
      )
      return report
    },
    'contacts:cancelImport': ({ importId }) => ({ cancelled: imports.cancel(importId) }),
    'contacts:export': (_input, ctx) => {
      const { text, contacts: n } = exportContactsCsv(db)
      deps.audit.record(ctx.operator, 'contacts.export', null, { contacts: n })
      return { csv: text, contacts: n }
    },
    'roles:list': () => roles.list(),
    'roles:create': (input, ctx) =>
      changed('roles', ctx.operator, 'roles.create', null, () => roles.create(input)),
    'comuni:list': () => comuni.list(),
    'comuni:create': (input, ctx) =>
      changed('comuni', ctx.operator, 'comuni.create', null, () => comuni.create(input)),
    'comuni:update': ({ id, comune }, ctx) =>
      changed('comuni', ctx.operator, 'comuni.update', `comune:${id}`, () =>
        comuni.update(id, comune),
      ),
    'comuni:delete': ({ id }, ctx) =>
      changed('comuni', ctx.operator, 'comuni.delete', `comune:${id}`, () => {
        if (!comuni.remove(id)) throw new NotFoundError('comune', id)
        return { id }
      }),
    'lists:list': () => lists.list().map((l) => ({ ...l, reach: audience.listReach(l.id) })),
    'lists:get': ({ id }) => guard(() => listView(id)),
    'lists:create': ({ list }, ctx) =>
      changed('lists', ctx.operator, 'lists.create', null, () =>
        listView(lists.create(list as never).id),
      ),
    'lists:update': ({ id, list }, ctx) =>
      changed('lists', ctx.operator, 'lists.update', `list:${id}`, () =>
        listView(lists.update(id, list as never).id),
      ),
    'lists:delete': ({ id }, ctx) =>
      changed('lists', ctx.operator, 'lists.delete', `list:${id}`, () => {
        if (!lists.remove(id)) throw new NotFoundError('list', id)
        return { id }
      }),
    'lists:addMembers': ({ id, contactIds }, ctx) =>
      changed(
        'lists',
        ctx.operator,
        'lists.addMembers',
        `list:${id}`,
        () => {
          lists.addMembers(id, contactIds)
          return listView(id)
        },
        () => ({ contacts: contactIds.length }),
      ),
    'lists:removeMembers': ({ id, contactIds }, ctx) =>
      changed(
        'lists',
        ctx.operator,
        'lists.removeMembers',
        `list:${id}`,
        () => {
          lists.removeMembers(id, contactIds)
          return listView(id)
        },
        () => ({ contacts: contactIds.length }),
      ),
    'partners:list': () => partners.list(),
    'partners:create': ({ partner }, ctx) =>
      changed('partners', ctx.operator, 'partners.create', null, () =>
        partners.create(partner as never),
      ),
    'partners:update': ({ id, partner }, ctx) =>
      changed('partners', ctx.operator, 'partners.update', `partner:${id}`, () =>
        partners.update(id, partner as never),
      ),
    'partners:delete': ({ id }, ctx) =>
      changed('partners', ctx.operator, 'partners.delete', `partner:${id}`, () => {
        if (!partners.remove(id)) throw new NotFoundError('partner', id)
        return { id }
      }),
  }
  return { handlers, audience, lists, partners, comuni }
}
