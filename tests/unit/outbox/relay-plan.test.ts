import { describe, expect, it } from 'vitest'
import type { ChannelKind } from '../../../src/shared/channels/kinds'
import type { OptOutScope, Partner } from '../../../src/shared/contacts/types'
import {
  planRelays,
  relayKey,
  relayRequestText,
  type RelayAccount,
  type RelaySource,
} from '../../../src/main/core/alerts/relays'
import type { Alert } from '../../../src/main/core/alerts/types'

const FACEBOOK_TEXT = 'Allerta arancione per neve su Empoli e Vinci. Evitate gli spostamenti.'

function alert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 7,
    identifier: 'vedetta-test',
    kind: 'neve',
    level: 'arancione',
    comuni: [{ name: 'Empoli' }],
    validFrom: '2026-02-07T13:00:00.000Z',
    validTo: '2026-02-08T13:00:00.000Z',
    headline: 'Allerta neve',
    description: '',
    instruction: '',
    msgType: 'Alert',
    referencesAlertId: null,
    texts: {
      sms: 'ALLERTA neve',
      email_subject: 'Allerta',
      email_body: 'Allerta neve',
      telegram: 'Allerta neve',
      facebook: FACEBOOK_TEXT,
      x: 'Allerta neve (X)',
      mastodon: '',
      bluesky: '',
      website: '',
    } as Alert['texts'],
    targets: { accountIds: [1, 2, 3], listIds: [], partnerIds: [10] },
    status: 'draft',
    mode: 'real',
    createdBy: 'Maria',
    createdAt: '2026-02-07T12:00:00.000Z',
    updatedAt: '2026-02-07T12:00:00.000Z',
    confirmedBy: null,
    confirmedAt: null,
    sendAfter: null,
    finishedAt: null,
    callsAtNight: false,
    ...overrides,
  }
}

const accounts: Record<number, RelayAccount> = {
  1: { id: 1, kind: 'sms_gateway', enabled: true, settings: { pricePerSegment: 0.05 } },
  2: { id: 2, kind: 'email_smtp', enabled: true, settings: {} },
  3: { id: 3, kind: 'telegram', enabled: true, settings: {} },
  4: { id: 4, kind: 'facebook_page', enabled: true, settings: {} },
  5: { id: 5, kind: 'facebook_page', enabled: false, settings: {} },
}
const account = (id: number) => accounts[id]

interface Person {
  id: number
  name: string
  mobile?: string
  landline?: string
  email?: string
  telegram?: string
  optOuts?: OptOutScope[]
}

function source(partners: Partial<Partner>[], people: Person[]): RelaySource {
  return {
    ente: () => 'Unione dei Comuni',
    partner: (id) => {
      const p = partners.find((x) => x.id === id)
      return p
        ? {
            id,
            name: p.name ?? `Partner ${id}`,
            relayMode: p.relayMode ?? 'message_admins',
            pages: p.pages ?? [],
            admins: p.admins ?? [],
          }
        : null
    },
    contact: (id) => {
      const c = people.find((x) => x.id === id)
      if (!c) return null
      return {
        id: c.id,
        name: c.name,
        phones: [
          ...(c.landline ? [{ e164: c.landline, type: 'landline' as const }] : []),
          ...(c.mobile ? [{ e164: c.mobile, type: 'mobile' as const }] : []),
        ],
        email: c.email ?? null,
        telegram: c.telegram ?? null,
        activeOptOuts: c.optOuts ?? [],
      }
    },
  }
}

const admins = (...ids: number[]) =>
  ids.map((contactId) => ({ contactId, name: '', email: null, phones: [], telegram: null }))

describe('relay planning', () => {
  it('asks each admin on the first family that reaches them: SMS, then e-mail, then Telegram', () => {
    const people: Person[] = [
      { id: 1, name: 'Anna', mobile: '+393331111111', email: 'anna@example.org' },
      { id: 2, name: 'Bruno', landline: '+390571000000', email: 'bruno@example.org' },
      { id: 3, name: 'Carla', telegram: 'carla_t' },
      {
        id: 4,
        name: 'Dario',
        mobile: '+393332222222',
        email: 'dario@example.org',
        optOuts: ['sms'],
      },
    ]
    const plan = planRelays(
      alert(),
      account,
      source([{ id: 10, name: 'Istituto Checchi', admins: admins(1, 2, 3, 4) }], people),
    )
    const text = relayRequestText('Unione dei Comuni', FACEBOOK_TEXT)
    expect(text).toBe(
      'Richiesta di rilancio da Unione dei Comuni: per favore pubblicate sulle vostre pagine il testo seguente:\n\n' +
        FACEBOOK_TEXT,
    )
    expect(plan.rows.map((r) => [r.recipientName, r.accountId, r.address])).toEqual([
      ['Anna', 1, '+393331111111'],
      ['Bruno', 2, 'bruno@example.org'],
      ['Carla', 3, 'carla_t'],
      // Opted out of SMS only: the e-mail still reaches them.
      ['Dario', 2, 'dario@example.org'],
    ])
    expect(plan.rows.every((r) => r.text === text && r.partnerId === 10)).toBe(true)
    expect(plan.rows[1]).toMatchObject({ subject: 'Richiesta di rilancio: Allerta neve' })
    expect(plan.rows[0]).toMatchObject({
      subject: null,
      idempotencyKey: relayKey('vedetta-test', 10, 1, '+393331111111'),
    })
    expect(plan.previews).toEqual([
      expect.objectContaining({ partnerName: 'Istituto Checchi', mode: 'message_admins' }),
    ])
    // One SMS of a long text: its parts are counted and priced.
    expect(plan.totals.messages).toBe(4)
    expect(plan.totals.smsSegments).toBe(2)
    expect(plan.totals.estimatedCost).toBeCloseTo(0.1)
  })

  it('skips opted-out admins and admins without an address, saying why', () => {
    const people: Person[] = [
      { id: 1, name: 'Elena', mobile: '+393331111111', optOuts: ['all'] },
      { id: 2, name: 'Fabio', landline: '+390571000000' },
      { id: 3, name: 'Gina', mobile: '+393333333333' },
    ]
    const plan = planRelays(
      alert({ targets: { accountIds: [1], listIds: [], partnerIds: [10] } }),
      account,
      source([{ id: 10, admins: admins(1, 2, 3) }], people),
    )
    expect(plan.rows.map((r) => r.recipientName)).toEqual(['Gina'])
    expect(plan.previews[0]?.skipped).toEqual([
      { contactId: 1, name: 'Elena', reason: 'opted_out' },
      { contactId: 2, name: 'Fabio', reason: 'no_address' },
    ])
  })

  it('asks a person who administers two partners only once', () => {
    const people: Person[] = [{ id: 1, name: 'Anna', mobile: '+393331111111' }]
    const plan = planRelays(
      alert({ targets: { accountIds: [1], listIds: [], partnerIds: [10, 11] } }),
      account,
      source(
        [
          { id: 10, admins: admins(1) },
          { id: 11, admins: admins(1) },
        ],
        people,
      ),
    )
    expect(plan.rows).toHaveLength(1)
    expect(plan.previews[1]?.skipped).toEqual([{ contactId: 1, name: 'Anna', reason: 'duplicate' }])
  })

  it('posts on a direct-post partner’s page with the alert’s own text, and asks the admins when the page account is off', () => {
    const people: Person[] = [{ id: 1, name: 'Anna', mobile: '+393331111111' }]
    const page = (id: number, channelAccountId: number) => ({
      id,
      kind: 'facebook' as const,
      url: 'https://facebook.com/scuola',
      channelAccountId,
    })
    const plan = planRelays(
      alert({ targets: { accountIds: [1], listIds: [], partnerIds: [10, 11] } }),
      account,
      source(
        [
          { id: 10, relayMode: 'direct_post', pages: [page(1, 4)], admins: admins(1) },
          { id: 11, relayMode: 'direct_post', pages: [page(2, 5)], admins: admins(1) },
        ],
        people,
      ),
    )
    expect(plan.previews.map((p) => p.mode)).toEqual(['direct_post', 'message_admins'])
    expect(plan.rows).toEqual([
      expect.objectContaining({
        partnerId: 10,
        accountId: 4,
        destinationType: 'page',
        address: '',
        text: FACEBOOK_TEXT,
        idempotencyKey: relayKey('vedetta-test', 10, 4, null),
      }),
      expect.objectContaining({ partnerId: 11, accountId: 1, address: '+393331111111' }),
    ])
  })

  it('plans nothing it cannot send, with a warning: no page text, no people channel, unknown partner', () => {
    const people: Person[] = [{ id: 1, name: 'Anna', mobile: '+393331111111' }]
    const src = source([{ id: 10, admins: admins(1) }], people)
    const noText = planRelays(
      alert({ texts: { ...alert().texts, facebook: '  ', x: '' } }),
      account,
      src,
    )
    expect(noText.rows).toEqual([])
    expect(noText.previews[0]?.warnings).toEqual([{ code: 'relay_no_text', severity: 'warning' }])

    // Falls back to the X text when there is no Facebook text.
    const xOnly = planRelays(alert({ texts: { ...alert().texts, facebook: '' } }), account, src)
    expect(xOnly.rows[0]?.text).toMatch(/\n\nAllerta neve \(X\)$/)

    const pagesOnly = planRelays(
      alert({ targets: { accountIds: [4], listIds: [], partnerIds: [10, 99] } }),
      account,
      src,
    )
    expect(pagesOnly.rows).toEqual([])
    expect(pagesOnly.previews.map((p) => p.warnings.map((w) => w.code))).toEqual([
      ['relay_unreachable'],
      ['partner_missing'],
    ])
    expect(planRelays(alert(), account, undefined).previews).toEqual([])
  })

  it('ignores disabled accounts when choosing how to reach admins', () => {
    const disabled: Record<number, RelayAccount> = {
      ...accounts,
      1: { id: 1, kind: 'sms_gateway' as ChannelKind, enabled: false, settings: {} },
    }
    const people: Person[] = [{ id: 1, name: 'Anna', mobile: '+393331111111', email: 'a@e.org' }]
    const plan = planRelays(
      alert(),
      (id) => disabled[id],
      source([{ id: 10, admins: admins(1) }], people),
    )
    expect(plan.rows.map((r) => r.accountId)).toEqual([2])
  })
})
