import { afterEach, describe, expect, it } from 'vitest'
import { relayRequestText } from '../../../src/main/core/alerts/relays'
import { createAdapterFactory } from '../../../src/main/core/channels/adapters'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import { createContactsRepository, createContactsService } from '../../../src/main/core/contacts'
import { accountAdapterResolver } from '../../../src/main/core/outbox/account-adapters'
import { createDirectMessages } from '../../../src/main/core/outbox/direct-messages'
import { createDispatcher, type Dispatcher } from '../../../src/main/core/outbox/dispatcher'
import type { RowChange } from '../../../src/main/core/outbox/types'
import { createPartnersRepository } from '../../../src/main/core/partners'
import { startFakeFacebook, type FakeFacebook } from '../../fakes/facebook-fake'
import { startFakeSmsGateway, type FakeSmsGateway } from '../../fakes/sms-gateway-fake'
import { startFakeSmtp, type FakeSmtpServer } from '../../fakes/smtp-server'
import {
  addAccount,
  alertsService,
  draftInput,
  eventLog,
  listsResolver,
  openWorkspace,
  phones,
  type Workspace,
} from './support'

let ws: Workspace | undefined
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
})

const ENTE = 'Unione dei Comuni del Circondario Empolese Valdelsa'
const FACEBOOK_TEXT = 'Allerta arancione per neve su Empoli e Vinci.'
const REQUEST = relayRequestText(ENTE, FACEBOOK_TEXT)

/**
 * The room on the day: an SMS gateway and an e-mail account targeted by the
 * alert, the two partner schools (Checchi asks its admins; Enriques lets us
 * post on its Facebook page), admins as contacts, real adapters on loopback fakes.
 */
async function partnersDay() {
  ws = openWorkspace()
  const w = ws
  const gateway: FakeSmsGateway = await startFakeSmsGateway()
  const smtp: FakeSmtpServer = await startFakeSmtp()
  const facebook: FakeFacebook = await startFakeFacebook({ pageId: '200000000000777' })
  cleanups.push(
    () => gateway.close(),
    () => smtp.close(),
    () => facebook.close(),
  )

  const sms = addAccount(w, 'sms_gateway', 'Gateway scuole', {
    baseUrl: gateway.baseUrl,
    username: gateway.username,
    sender: 'ProtCivile',
    ratePerSecond: 1000,
    pricePerSegment: 0.05,
  })
  const email = addAccount(w, 'email_smtp', 'Posta PC', {
    host: '127.0.0.1',
    port: smtp.port,
    security: 'none',
    fromAddress: 'allerte@empolese.example.it',
  })
  const enriquesPage = addAccount(w, 'facebook_page', 'Pagina Enriques', {
    baseUrl: facebook.url,
    apiVersion: 'v23.0',
    pageId: facebook.pageId,
  })
  const secrets: Record<number, Record<string, string>> = {
    [sms]: { password: gateway.password },
    [email]: {},
    [enriquesPage]: { pageAccessToken: facebook.pageToken },
  }
  const repo = createChannelAccountsRepository(w.db)
  const adapterFor = accountAdapterResolver(
    { get: (id) => repo.get(id), secretsFor: (id) => secrets[id] ?? {} },
    createAdapterFactory('real', { http: { timeoutMs: 5_000 } }),
  )

  const contacts = createContactsService(w.db)
  const person = (name: string, fields: { phones?: string[]; email?: string }) =>
    contacts.create({ name, ...fields }).contact.id
  const anna = person('Anna Bellini', {
    phones: ['+39 333 111 2233'],
    email: 'anna@checchi.example.it',
  })
  const bruno = person('Bruno Conti', {
    phones: ['+39 0571 123456'],
    email: 'bruno@checchi.example.it',
  })
  const carla = person('Carla Dini', {
    phones: ['+39 333 444 5566'],
    email: 'carla@checchi.example.it',
  })
  contacts.recordOptOut(carla, { scope: 'all', reason: 'non vuole messaggi' })
  const dario = person('Dario Esposito', { phones: ['+39 0571 654321'] })

  const partners = createPartnersRepository(w.db)
  const byName = (name: string) => partners.list().find((p) => p.name === name)!
  const checchi = partners.update(byName('Istituto Checchi').id, {
    name: 'Istituto Checchi',
    relayMode: 'message_admins',
    adminContactIds: [anna, bruno, carla, dario],
  })
  const enriques = partners.update(byName('Istituto Enriques').id, {
    name: 'Istituto Enriques',
    relayMode: 'direct_post',
    pages: [
      {
        kind: 'facebook',
        url: 'https://facebook.com/istituto.enriques',
        channelAccountId: enriquesPage,
      },
    ],
    adminContactIds: [anna],
  })

  const contactsRepo = createContactsRepository(w.db)
  const direct = createDirectMessages(w.db, {
    partners,
    contacts: contactsRepo,
    ente: () => ENTE,
    now: w.clock.now,
  })
  const log = eventLog()
  const alerts = alertsService(w, listsResolver({ 1: { sms: phones(3) } }), {
    relays: direct.relays,
    events: log.events,
  })
  const rowChanges: RowChange[][] = []
  const dispatcher: Dispatcher = createDispatcher({
    db: w.db,
    adapterFor,
    now: w.clock.now,
    receipts: { firstPollMs: 3_600_000 },
    onChange: (c) => rowChanges.push(c),
  })
  cleanups.push(() => dispatcher.stop())
  const alert = alerts.createDraft(
    draftInput({
      texts: { ...draftInput().texts, facebook: FACEBOOK_TEXT },
      targets: { accountIds: [sms, email], listIds: [1], partnerIds: [checchi.id, enriques.id] },
    }),
    'Maria',
  )
  return {
    ws: w,
    gateway,
    smtp,
    facebook,
    alerts,
    alert,
    dispatcher,
    rowChanges,
    log,
    ids: {
      sms,
      email,
      enriquesPage,
      anna,
      bruno,
      carla,
      dario,
      checchi: checchi.id,
      enriques: enriques.id,
    },
  }
}

const relayRows = (w: Workspace, alertId: number) =>
  w.db
    .prepare<
      [number],
      {
        partner_id: number
        account_id: number
        destination_type: string
        address: string
        recipient_name: string | null
        text: string
        subject: string | null
        state: string
      }
    >(
      `SELECT partner_id, account_id, destination_type, address, recipient_name, text, subject, state
       FROM outbox WHERE alert_id = ? AND kind = 'relay' ORDER BY id`,
    )
    .all(alertId)

async function sendAll(d: Dispatcher, expected: number) {
  let sent = 0
  for (let i = 0; i < 10 && sent < expected; i++) sent += (await d.tick()).sent
  return sent
}

describe('relay requests to partner schools', () => {
  it('fans out with the confirmation: admins get the ready-to-post text, opted-out ones are skipped, a direct-post page is posted on', async () => {
    const day = await partnersDay()
    const { ids } = day

    const preview = day.alerts.preview(day.alert.id)
    expect(preview.relays).toEqual([
      expect.objectContaining({
        partnerName: 'Istituto Checchi',
        mode: 'message_admins',
        text: REQUEST,
        messages: [
          expect.objectContaining({ name: 'Anna Bellini', address: '+393331112233' }),
          expect.objectContaining({ name: 'Bruno Conti', address: 'bruno@checchi.example.it' }),
        ],
        skipped: [
          { contactId: ids.carla, name: 'Carla Dini', reason: 'opted_out' },
          { contactId: ids.dario, name: 'Dario Esposito', reason: 'no_address' },
        ],
      }),
      expect.objectContaining({ partnerName: 'Istituto Enriques', mode: 'direct_post' }),
    ])
    // Three list members on SMS, two e-mails (none here), and the three relay requests.
    expect(preview.totals.messages).toBe(3 + 3)

    const { rows } = day.alerts.confirm(day.alert.id, 'Maria', { cancelWindowSeconds: 30 })
    expect(rows).toBe(6)
    expect(relayRows(day.ws, day.alert.id)).toEqual([
      {
        partner_id: ids.checchi,
        account_id: ids.sms,
        destination_type: 'person',
        address: '+393331112233',
        recipient_name: 'Anna Bellini',
        text: REQUEST,
        subject: null,
        state: 'queued',
      },
      {
        partner_id: ids.checchi,
        account_id: ids.email,
        destination_type: 'person',
        address: 'bruno@checchi.example.it',
        recipient_name: 'Bruno Conti',
        text: REQUEST,
        subject: 'Richiesta di rilancio: Allerta arancione per neve',
        state: 'queued',
      },
      {
        partner_id: ids.enriques,
        account_id: ids.enriquesPage,
        destination_type: 'page',
        address: '',
        recipient_name: null,
        text: FACEBOOK_TEXT,
        subject: null,
        state: 'queued',
      },
    ])
    // The relay requests of the old model are still kept for the follow-up by phone.
    expect(day.alerts.relays(day.alert.id).map((r) => r.status)).toEqual(['requested', 'requested'])

    // Nothing leaves in the cancel window, relays included.
    expect((await day.dispatcher.tick()).claimed).toBe(0)
    day.ws.clock.advance(30_000)
    expect(await sendAll(day.dispatcher, 6)).toBe(6)

    const annaSms = day.gateway.orders.find((o) => o.recipients[0] === '+393331112233')
    expect(annaSms?.message).toBe(REQUEST)
    expect(day.gateway.orders).toHaveLength(4)
    expect(day.smtp.messages).toEqual([
      expect.objectContaining({
        to: ['bruno@checchi.example.it'],
        subject: 'Richiesta di rilancio: Allerta arancione per neve',
      }),
    ])
    expect(day.smtp.messages[0]?.text.replace(/\r\n/g, '\n').trim()).toBe(REQUEST)
    // Posted on the partner's own page (an account the alert does not target) with the alert's text.
    expect(day.facebook.posts).toEqual([expect.objectContaining({ message: FACEBOOK_TEXT })])

    const relayEvents = day.rowChanges
      .flat()
      .filter((c) => c.kind === 'relay' && c.state === 'sent')
    expect(relayEvents.map((c) => c.partnerId).sort()).toEqual(
      [ids.checchi, ids.checchi, ids.enriques].sort(),
    )
    expect(relayEvents.every((c) => c.alertId === day.alert.id)).toBe(true)

    const progress = day.alerts.progress(day.alert.id)
    expect(progress.status).toBe('done')
    expect(progress.totals).toMatchObject({ total: 6, sent: 6 })
    // The accounts show the alert's own audience; the requests are counted under each partner.
    expect(progress.accounts.map((a) => [a.accountName, a.counts.total])).toEqual([
      ['Gateway scuole', 3],
      ['Posta PC', 0],
    ])
    expect(progress.relays.map((p) => [p.partnerName, p.counts.total, p.counts.sent])).toEqual([
      ['Istituto Checchi', 2, 2],
      ['Istituto Enriques', 1, 1],
    ])
  })

  it('cancels the relay requests with the alert inside the cancel window', async () => {
    const day = await partnersDay()
    day.alerts.confirm(day.alert.id, 'Maria', { cancelWindowSeconds: 30 })
    day.alerts.cancel(day.alert.id, 'Maria')
    day.ws.clock.advance(60_000)
    expect((await day.dispatcher.tick()).claimed).toBe(0)
    expect(relayRows(day.ws, day.alert.id).map((r) => r.state)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ])
    expect(day.alerts.progress(day.alert.id).relays.map((p) => p.counts.cancelled)).toEqual([2, 1])
    expect(day.facebook.posts).toEqual([])
  })

  it('keeps the alert sending until its relay requests are final, and retries them with the alert', async () => {
    const day = await partnersDay()
    day.alerts.confirm(day.alert.id, 'Maria', { cancelWindowSeconds: 0 })
    day.facebook.failNext(1, 503)
    expect(await sendAll(day.dispatcher, 5)).toBe(5)
    // The page post waits for its retry: the alert is not done yet.
    expect(day.alerts.get(day.alert.id).status).toBe('sending')
    expect(day.alerts.progress(day.alert.id).relays[1]?.counts).toMatchObject({ queued: 1 })

    day.facebook.revokePermission()
    day.ws.clock.advance(10 * 60_000)
    expect(await day.dispatcher.tick()).toMatchObject({ failed: 1 })
    const progress = day.alerts.progress(day.alert.id)
    expect(progress.status).toBe('done')
    expect(progress.relays[1]?.counts).toMatchObject({ failed: 1, total: 1 })
    expect(progress.failures).toEqual([
      expect.objectContaining({ accountId: day.ids.enriquesPage, code: 'permission' }),
    ])

    // The school grants the permission again: the operator retries the failed rows.
    day.facebook.restorePermission()
    expect(day.alerts.retryFailed(day.alert.id, 'Luca').requeued).toBe(1)
    expect(await sendAll(day.dispatcher, 1)).toBe(1)
    expect(day.facebook.posts).toEqual([expect.objectContaining({ message: FACEBOOK_TEXT })])
    expect(day.alerts.get(day.alert.id).status).toBe('done')
  })

  it('asks nobody when the alert has no text to relay, and says so in the preview', async () => {
    const day = await partnersDay()
    const noPageText = day.alerts.createDraft(
      draftInput({
        texts: { ...draftInput().texts, facebook: '', x: '' },
        targets: { accountIds: [day.ids.sms], listIds: [1], partnerIds: [day.ids.checchi] },
      }),
      'Maria',
    )
    const preview = day.alerts.preview(noPageText.id)
    expect(preview.ok).toBe(true)
    expect(preview.relays[0]?.warnings).toEqual([{ code: 'relay_no_text', severity: 'warning' }])
    expect(day.alerts.confirm(noPageText.id, 'Maria', { cancelWindowSeconds: 0 }).rows).toBe(3)
    expect(relayRows(day.ws, noPageText.id)).toEqual([])
    expect(day.alerts.relays(noPageText.id)).toHaveLength(1)
  })
})
