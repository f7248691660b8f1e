import type { Db } from '../db/open'
import type {
  ContactFamily,
  ListReach,
  OptOutScope,
  Recipient,
  ResolvedRecipients,
  SkippedRecipient,
} from '../../../shared/contacts/types'
import type { PhoneType } from '../../../shared/contacts/phone'
import { listFilterSchema, type ListFilter } from '../../../shared/contacts/schemas'
import { filterParams, type FilterParams } from '../contacts/filter-sql'
import { NotFoundError } from '../contacts/errors'
import { MEMBERS_CTE, OPTED_OUT } from './audience-sql'

interface MemberRow {
  id: number
  name: string
  language: string
  email: string | null
  telegram: string | null
  whatsapp_opt_in_at: string | null
  prefers_call: number
  opted: string | null
}

/** What else the alert does, which changes whom an SMS goes to. */
export interface ResolveOptions {
  /** The alert also calls: people who prefer a call get it instead of the SMS. */
  voiceToo?: boolean
}

interface PhoneRow {
  contact_id: number
  e164: string
  type: PhoneType
}

type AudienceParams = FilterParams & { dynamic: 0 | 1; listId: number; callsOnly: 0 | 1 }

export type Audience = ReturnType<typeof createAudience>

/**
 * Who a list reaches on each family, after opt-outs and duplicates, and the
 * exact recipients for sending with the reason each skipped person is skipped.
 * An opted-out contact is never a recipient on that family, whatever list
 * they are in.
 */
export function createAudience(db: Db) {
  const s = {
    list: db.prepare('SELECT id, kind, filter, calls_only FROM lists WHERE id = ?'),
    // A list for calls only reaches its members by call and nothing else.
    reach: db.prepare(`
      WITH ${MEMBERS_CTE}
      SELECT
        (SELECT count(*) FROM m) AS members,
        (SELECT count(DISTINCT p.e164) FROM m JOIN contact_phones p ON p.contact_id = m.id
          WHERE @callsOnly = 0 AND p.type = 'mobile' AND NOT ${OPTED_OUT('sms')}) AS sms,
        (SELECT count(DISTINCT c.email) FROM m JOIN contacts c ON c.id = m.id
          WHERE @callsOnly = 0 AND c.email IS NOT NULL AND NOT ${OPTED_OUT('email')}) AS email,
        (SELECT count(DISTINCT lower(c.telegram)) FROM m JOIN contacts c ON c.id = m.id
          WHERE @callsOnly = 0 AND c.telegram IS NOT NULL AND NOT ${OPTED_OUT('telegram')})
          AS telegram,
        (SELECT count(DISTINCT (SELECT p.e164 FROM contact_phones p
            WHERE p.contact_id = m.id AND p.type IN ('mobile', 'landline')
            ORDER BY p.position LIMIT 1))
          FROM m WHERE NOT ${OPTED_OUT('voice')}) AS voice,
        (SELECT count(DISTINCT (SELECT p.e164 FROM contact_phones p
            WHERE p.contact_id = m.id AND p.type = 'mobile' ORDER BY p.position LIMIT 1))
          FROM m JOIN contacts c ON c.id = m.id
          WHERE @callsOnly = 0 AND c.whatsapp_opt_in_at IS NOT NULL
            AND NOT ${OPTED_OUT('whatsapp')}) AS whatsapp`),
    members: db.prepare(`
      WITH ${MEMBERS_CTE}
      SELECT c.id, c.name, c.language, c.email, c.telegram, c.whatsapp_opt_in_at, c.prefers_call,
        (SELECT group_concat(scope) FROM opt_outs o
          WHERE o.contact_id = c.id AND o.lifted_at IS NULL) AS opted
      FROM m JOIN contacts c ON c.id = m.id ORDER BY c.id`),
    phones: db.prepare(`
      WITH ${MEMBERS_CTE}
      SELECT p.contact_id, p.e164, p.type FROM m JOIN contact_phones p ON p.contact_id = m.id
      ORDER BY p.contact_id, p.position`),
  }

  const paramsOf = (listId: number): AudienceParams => {
    const row = s.list.get(listId) as
      { id: number; kind: string; filter: string | null; calls_only: number } | undefined
    if (!row) throw new NotFoundError('list', listId)
    const filter: ListFilter | null =
      row.filter === null ? null : listFilterSchema.parse(JSON.parse(row.filter))
    return {
      ...filterParams(filter),
      dynamic: row.kind === 'dynamic' ? 1 : 0,
      listId,
      callsOnly: row.calls_only === 1 ? 1 : 0,
    }
  }

  const resolve = (
    listIds: readonly number[],
    family: ContactFamily,
    options: ResolveOptions = {},
  ): ResolvedRecipients => {
    const recipients: Recipient[] = []
    const skipped: SkippedRecipient[] = []
    const seenContacts = new Set<number>()
    const usedAddresses = new Set<string>()
    const skip = (
      m: MemberRow,
      reason: SkippedRecipient['reason'],
      address: string | null = null,
    ) => skipped.push({ contactId: m.id, name: m.name, reason, address })
    const take = (m: MemberRow, address: string) => {
      const key = address.toLowerCase()
      if (usedAddresses.has(key)) return skip(m, 'duplicate', address)
      usedAddresses.add(key)
      recipients.push({ contactId: m.id, name: m.name, address, language: m.language })
    }

    // Lists for calls only come last: someone also on an ordinary list is reached through it.
    const ordered = [...new Set(listIds)].map(paramsOf).sort((a, b) => a.callsOnly - b.callsOnly)
    for (const params of ordered) {
      const members = s.members.all(params) as MemberRow[]
      const phones = new Map<number, PhoneRow[]>()
      if (family === 'sms' || family === 'voice' || family === 'whatsapp') {
        for (const p of s.phones.all(params) as PhoneRow[]) {
          const own = phones.get(p.contact_id)
          if (own) own.push(p)
          else phones.set(p.contact_id, [p])
        }
      }
      for (const m of members) {
        if (seenContacts.has(m.id)) {
          skip(m, 'duplicate')
          continue
        }
        seenContacts.add(m.id)
        if (params.callsOnly && family !== 'voice') {
          skip(m, 'calls_only')
          continue
        }
        const opted = (m.opted?.split(',') ?? []) as OptOutScope[]
        // Voice and WhatsApp have no opt-out of their own: "all" covers them (WhatsApp
        // also needs a yes of its own, below).
        if ((opted as string[]).includes(family) || opted.includes('all')) {
          skip(m, 'opted_out')
          continue
        }
        if (family === 'email') {
          if (m.email) take(m, m.email)
          else skip(m, 'no_address')
        } else if (family === 'telegram') {
          if (m.telegram) take(m, m.telegram)
          else skip(m, 'no_address')
        } else if (family === 'voice') {
          // One call per person, to the first number they gave that rings: a landline
          // is as good as a mobile here (often better: the elderly living alone).
          const own = phones.get(m.id) ?? []
          const first = own.find((p) => p.type === 'landline' || p.type === 'mobile')
          if (first) take(m, first.e164)
          else skip(m, own.length === 0 ? 'no_address' : 'not_mobile', own[0]?.e164 ?? null)
        } else if (family === 'whatsapp') {
          // One message per person, to their first mobile (WhatsApp lives on one phone).
          const mobile = (phones.get(m.id) ?? []).find((p) => p.type === 'mobile')
          if (!m.whatsapp_opt_in_at) skip(m, 'no_whatsapp_consent')
          else if (mobile) take(m, mobile.e164)
          else skip(m, 'no_address')
        } else {
          const own = phones.get(m.id) ?? []
          // They asked for a call, and this alert calls: the call reaches them, not the SMS.
          const rings = own.some((p) => p.type === 'mobile' || p.type === 'landline')
          if (options.voiceToo && m.prefers_call === 1 && rings) {
            skip(m, 'prefers_call')
            continue
          }
          if (own.length === 0) skip(m, 'no_address')
          for (const p of own) {
            if (p.type === 'mobile') take(m, p.e164)
            else skip(m, p.type === 'landline' ? 'landline' : 'not_mobile', p.e164)
          }
        }
      }
    }
    return { family, recipients, skipped }
  }

  return {
    /** How many addresses one list reaches per family (what the lists page shows). */
    listReach(listId: number): ListReach {
      return s.reach.get(paramsOf(listId)) as ListReach
    },

    /**
     * The addresses to send to for these lists on one family, each once, and
     * everyone skipped with the reason (landline, opted out, no address, duplicate, a call
     * instead, a list for calls only).
     */
    resolveRecipients: resolve,

    /** Reach of several lists together (the composer's audience), duplicates counted once. */
    reachOfLists(listIds: readonly number[]): ListReach {
      const sms = resolve(listIds, 'sms')
      const people = new Set<number>()
      for (const r of sms.recipients) people.add(r.contactId)
      for (const r of sms.skipped) people.add(r.contactId)
      return {
        members: people.size,
        sms: sms.recipients.length,
        email: resolve(listIds, 'email').recipients.length,
        telegram: resolve(listIds, 'telegram').recipients.length,
        voice: resolve(listIds, 'voice').recipients.length,
        whatsapp: resolve(listIds, 'whatsapp').recipients.length,
      }
    },
  }
}
