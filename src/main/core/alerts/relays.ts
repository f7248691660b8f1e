import { priceOf } from './account-price'
/**
 * Relay requests to partner schools, planned with the rest of an alert's
 * sending: each admin of a partner gets a ready-to-post request on the first
 * people channel of the alert that reaches them (SMS, then e-mail, then
 * Telegram); a partner that lets us post on its page (`direct_post`, with a
 * channel account holding the page token) gets the alert posted there instead.
 */

import {
  CHANNEL_KIND_DESCRIPTORS,
  type ChannelAudience,
  type ChannelFamily,
  type ChannelKind,
} from '../../../shared/channels/kinds'
import type { ContactPhone, OptOutScope, Partner } from '../../../shared/contacts/types'
import { countFor, smsCost } from '../../../shared/text'
import type {
  PreviewWarning,
  RelayMessagePreview,
  RelayPreview,
  RelaySkipReason,
} from '../../../shared/alerts/views'
import type { NewRelayRow } from '../outbox/outbox-repository'
import { channelText } from './channel-texts'
import type { Alert, PeopleFamily } from './types'

/** What relay planning reads from the partners and contacts areas, and the workspace settings. */
export interface RelaySource {
  partner(id: number): Pick<Partner, 'id' | 'name' | 'relayMode' | 'pages' | 'admins'> | null
  /** An admin as a contact today: numbers with their type, addresses, active opt-outs. */
  contact(id: number): {
    id: number
    name: string
    phones: Pick<ContactPhone, 'e164' | 'type'>[]
    email: string | null
    telegram: string | null
    activeOptOuts: OptOutScope[]
  } | null
  /** The authority asking (workspace settings `ente`). */
  ente(): string
}

/** The account facts planning needs. */
export interface RelayAccount {
  id: number
  kind: ChannelKind
  enabled: boolean
  settings: Record<string, unknown>
}

/** A relay row before it knows its alert id. */
export type PlannedRelayRow = Omit<NewRelayRow, 'alertId'>

export interface RelayPlan {
  previews: RelayPreview[]
  rows: PlannedRelayRow[]
  /** What the relay requests add to the preview's totals. */
  totals: { messages: number; smsSegments: number; estimatedCost: number }
}

/** Families tried for an admin, in this order. */
const ADMIN_FAMILIES: readonly PeopleFamily[] = ['sms', 'email', 'telegram']

const isAdminFamily = (f: ChannelFamily): f is PeopleFamily =>
  (ADMIN_FAMILIES as readonly ChannelFamily[]).includes(f)

const warning = (code: PreviewWarning['code'], params?: PreviewWarning['params']) => ({
  code,
  severity: 'warning' as const,
  ...(params ? { params } : {}),
})

/** The page text partners are asked to post: the alert's Facebook text, or its X text. */
export function relayBody(alert: Pick<Alert, 'texts'>): string {
  const facebook = alert.texts.facebook?.trim() ?? ''
  return facebook !== '' ? alert.texts.facebook : (alert.texts.x ?? '').trim()
}

/** The request an admin receives, ready to copy onto the school's pages. */
export function relayRequestText(ente: string, body: string): string {
  return `Richiesta di rilancio da ${ente}: per favore pubblicate sulle vostre pagine il testo seguente:\n\n${body}`
}

/** The idempotency key of one relay request: `identifier:relay:partner:account:address|page`. */
export function relayKey(
  alertIdentifier: string,
  partnerId: number,
  accountId: number,
  address: string | null,
): string {
  return `${alertIdentifier}:relay:${partnerId}:${accountId}:${address ?? 'page'}`
}

function usable(account: RelayAccount | undefined, audience: ChannelAudience) {
  return account?.enabled === true && CHANNEL_KIND_DESCRIPTORS[account.kind].audience === audience
}

/** The admin's address on a family, if the contact has one that family can use. */
function addressOn(
  contact: NonNullable<ReturnType<RelaySource['contact']>>,
  family: PeopleFamily,
): string | null {
  if (family === 'sms') return contact.phones.find((p) => p.type === 'mobile')?.e164 ?? null
  if (family === 'email') return contact.email
  return contact.telegram
}

/**
 * Plans the relay requests of an alert: preview per partner, and the rows the
 * confirmation writes. Without partners (or without a source) it plans nothing.
 */
export function planRelays(
  alert: Alert,
  account: (id: number) => RelayAccount | undefined,
  source: RelaySource | undefined,
): RelayPlan {
  const plan: RelayPlan = {
    previews: [],
    rows: [],
    totals: { messages: 0, smsSegments: 0, estimatedCost: 0 },
  }
  if (!source || alert.targets.partnerIds.length === 0) return plan

  const body = relayBody(alert)
  const text = body === '' ? '' : relayRequestText(source.ente(), body)
  const subject = `Richiesta di rilancio: ${alert.headline}`
  // The first account of each people family among the alert's targets, in the operator's order.
  const familyAccount = new Map<PeopleFamily, RelayAccount>()
  for (const id of alert.targets.accountIds) {
    const a = account(id)
    if (!a?.enabled) continue
    const family = CHANNEL_KIND_DESCRIPTORS[a.kind].family
    // A Telegram bot posts on its channel, and can also write to a person by chat.
    const reachesPeople = usable(a, 'people') || family === 'telegram'
    if (reachesPeople && isAdminFamily(family) && !familyAccount.has(family))
      familyAccount.set(family, a)
  }
  // One request per address and account, however many partners share an admin or a page.
  const used = new Set<string>()

  for (const partnerId of alert.targets.partnerIds) {
    const partner = source.partner(partnerId)
    const preview: RelayPreview = {
      partnerId,
      partnerName: partner?.name ?? `#${partnerId}`,
      mode: 'message_admins',
      messages: [],
      skipped: [],
      text,
      warnings: [],
    }
    plan.previews.push(preview)
    if (!partner) {
      preview.warnings.push(warning('partner_missing', { partnerId }))
      continue
    }
    const add = (
      m: RelayMessagePreview,
      family: ChannelFamily,
      row: Omit<PlannedRelayRow, 'partnerId' | 'accountId' | 'idempotencyKey' | 'address'>,
    ) => {
      preview.messages.push(m)
      plan.rows.push({
        ...row,
        partnerId,
        accountId: m.accountId,
        address: m.address,
        idempotencyKey: relayKey(alert.identifier, partnerId, m.accountId, m.address || null),
      })
      if (family === 'sms') {
        const segments = countFor('sms', row.text).sms?.segments ?? 0
        const a = account(m.accountId)
        plan.totals.smsSegments += segments
        plan.totals.estimatedCost += a ? smsCost(segments, 1, priceOf(a)) : 0
      }
    }

    if (partner.relayMode === 'direct_post') {
      for (const page of partner.pages) {
        if (page.channelAccountId === null) continue
        const a = account(page.channelAccountId)
        if (!a || !usable(a, 'page')) continue
        const family = CHANNEL_KIND_DESCRIPTORS[a.kind].family
        const own = channelText(alert.texts, family).text
        const pageText = own.trim() === '' ? body : own
        if (pageText === '' || used.has(`${a.id}:page`)) continue
        used.add(`${a.id}:page`)
        add(
          {
            accountId: a.id,
            family,
            destinationType: 'page',
            contactId: null,
            name: null,
            address: '',
          },
          family,
          {
            contactId: null,
            destinationType: 'page',
            recipientName: null,
            text: pageText,
            subject: null,
          },
        )
      }
      if (preview.messages.length > 0) {
        preview.mode = 'direct_post'
        continue
      }
      // No page we can post on: the admins are asked instead.
    }

    if (text === '') {
      preview.warnings.push(warning('relay_no_text'))
      continue
    }
    if (familyAccount.size === 0) {
      preview.warnings.push(warning('relay_unreachable'))
      continue
    }
    for (const admin of partner.admins) {
      const contact = source.contact(admin.contactId)
      if (!contact) continue
      const optedOut = (f: PeopleFamily) =>
        (contact.activeOptOuts as string[]).includes(f) || contact.activeOptOuts.includes('all')
      let reason: RelaySkipReason = 'no_address'
      let sent = false
      for (const family of ADMIN_FAMILIES) {
        const a = familyAccount.get(family)
        const address = a ? addressOn(contact, family) : null
        if (!a || address === null || address === '') continue
        if (optedOut(family)) {
          reason = 'opted_out'
          continue
        }
        const key = `${a.id}:${address.toLowerCase()}`
        if (used.has(key)) {
          reason = 'duplicate'
          break
        }
        used.add(key)
        add(
          {
            accountId: a.id,
            family,
            destinationType: 'person',
            contactId: contact.id,
            name: contact.name,
            address,
          },
          family,
          {
            contactId: contact.id,
            destinationType: 'person',
            recipientName: contact.name,
            text,
            subject: family === 'email' ? subject : null,
          },
        )
        sent = true
        break
      }
      if (!sent) preview.skipped.push({ contactId: contact.id, name: contact.name, reason })
    }
    if (preview.messages.length === 0) preview.warnings.push(warning('relay_unreachable'))
    const sms = familyAccount.get('sms')
    const count = countFor('sms', text)
    if (sms && count.over && preview.messages.some((m) => m.accountId === sms.id))
      preview.warnings.push(
        warning('over_limit', { length: count.length, limit: count.limit ?? 0 }),
      )
  }
  plan.totals.messages = plan.rows.length
  plan.totals.estimatedCost = Math.round(plan.totals.estimatedCost * 1e6) / 1e6
  return plan
}
