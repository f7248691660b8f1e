import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelKind } from '../../../src/shared/channels/kinds'
import type { IncomingCitizenMessage } from '../../../src/main/core/citizens/types'
import { createAdapterFactory } from '../../../src/main/core/channels/adapters'
import { createChannelAccountsRepository } from '../../../src/main/core/channels/accounts-repository'
import { orderIdFor } from '../../../src/main/core/channels/adapters/sms-gateway'
import {
  createCitizensService,
  type EnqueueReply,
} from '../../../src/main/core/citizens/citizens-service'
import { CoreError } from '../../../src/main/core/errors'
import { accountAdapterResolver } from '../../../src/main/core/outbox/account-adapters'
import { createDirectMessages } from '../../../src/main/core/outbox/direct-messages'
import { createDispatcher } from '../../../src/main/core/outbox/dispatcher'
import type { RowChange } from '../../../src/main/core/outbox/types'
import { startFakeFacebook } from '../../fakes/facebook-fake'
import type { FakeHttpServer } from '../../fakes/http-fake'
import { startFakeMastodon } from '../../fakes/mastodon-fake'
import { startFakeSmsGateway } from '../../fakes/sms-gateway-fake'
import { startFakeTelegram } from '../../fakes/telegram-fake'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  type Workspace,
} from './support'

let ws: Workspace | undefined
const fakes: FakeHttpServer[] = []
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()))
  ws?.dispose()
  ws = undefined
})

function track<T extends FakeHttpServer>(fake: T): T {
  fakes.push(fake)
  return fake
}

/**
 * A workspace whose accounts are real adapters pointed at loopback fakes, the
 * outbox's direct messages, the citizens' inbox wired to them, and a dispatcher.
 */
function room() {
  ws = openWorkspace()
  const w = ws
  const secrets = new Map<number, Record<string, string>>()
  const repo = createChannelAccountsRepository(w.db)
  const adapterFor = accountAdapterResolver(
    { get: (id) => repo.get(id), secretsFor: (id) => secrets.get(id) ?? {} },
    createAdapterFactory('real', { http: { timeoutMs: 5_000 } }),
  )
  const rowEvents: RowChange[][] = []
  let woken = 0
  const direct = createDirectMessages(w.db, {
    partners: { get: () => null },
    contacts: { get: () => null },
    ente: () => 'Protezione civile Empolese Valdelsa',
    onRowsChanged: (changes) => rowEvents.push(changes),
    onQueued: () => woken++,
    now: w.clock.now,
  })
  const citizens = createCitizensService({
    db: w.db,
    enqueueReply: direct.enqueueReply satisfies EnqueueReply,
    now: () => new Date(w.clock.now()),
  })
  const dispatcher = createDispatcher({
    db: w.db,
    adapterFor,
    now: w.clock.now,
    audit: w.audit,
    onChange: (c) => rowEvents.push(c),
    receipts: { firstPollMs: 3_600_000 },
  })
  return {
    ws: w,
    direct,
    citizens,
    dispatcher,
    rowEvents,
    woken: () => woken,
    account(kind: ChannelKind, settings: Record<string, unknown>, secret: Record<string, string>) {
      const id = addAccount(w, kind, `${kind} ${Math.random()}`, settings)
      secrets.set(id, secret)
      return id
    },
    /** One message in the inbox, as its poller would store it; returns its id. */
    receive(message: IncomingCitizenMessage): number {
      const [stored] = citizens.ingest([message])
      if (!stored) throw new Error('message not stored')
      return stored.id
    },
  }
}

const outboxRow = (r: ReturnType<typeof room>, id: number) =>
  r.ws.db
    .prepare<[number], Record<string, unknown>>(
      `SELECT kind, alert_id, state, destination_type, address, text, in_reply_to, citizen_message_id,
         provider_id, last_error_code, last_error FROM outbox WHERE id = ?`,
    )
    .get(id)

describe('replies to citizens through the outbox and real adapters', () => {
  it('answers a Telegram message in its chat, as a reply to it', async () => {
    const r = room()
    const telegram = track(await startFakeTelegram())
    telegram.addChat({ id: '5550001', title: 'Mario', type: 'private' })
    telegram.messages.push({ chatId: '5550001', messageId: 42, text: 'Albero caduto in via Roma' })
    const account = r.account(
      'telegram',
      { baseUrl: telegram.url, chatId: '@pc_empolese' },
      { botToken: telegram.token },
    )
    const messageId = r.receive({
      family: 'telegram',
      accountId: account,
      externalId: '5550001:42',
      authorName: 'Mario',
      text: 'Albero caduto in via Roma',
      flags: { chatId: '5550001' },
    })

    const { outboxId, message } = await r.citizens.reply(
      messageId,
      'Grazie, arriva una squadra',
      'Luca',
    )
    expect(message).toMatchObject({ state: 'risposto', replyOutboxId: outboxId })
    expect(r.woken()).toBe(1)
    expect(outboxRow(r, outboxId)).toMatchObject({
      kind: 'reply',
      alert_id: null,
      state: 'queued',
      citizen_message_id: messageId,
    })

    expect(await r.dispatcher.tick()).toMatchObject({ claimed: 1, sent: 1 })
    expect(telegram.messages.at(-1)).toMatchObject({
      chatId: '5550001',
      text: 'Grazie, arriva una squadra',
      replyTo: 42,
    })
    const sendReq = telegram.requests.find((q) => q.path.endsWith('/sendMessage'))
    expect(sendReq?.body).toMatchObject({ reply_parameters: { message_id: 42 } })
    // The inbox hears of it: queued when written, then sending and sent, with the message answered.
    const mine = r.rowEvents.flat().filter((c) => c.id === outboxId)
    expect(mine.map((c) => c.state)).toEqual(['queued', 'sending', 'sent'])
    for (const c of mine)
      expect(c).toMatchObject({ kind: 'reply', alertId: null, citizenMessageId: messageId })
  })

  it('answers a Mastodon mention in the thread, mentioning the author', async () => {
    const r = room()
    const mastodon = track(await startFakeMastodon())
    mastodon.statuses.push({
      id: '9001',
      text: '@pcempolese strada allagata',
      visibility: 'public',
    })
    const account = r.account(
      'mastodon',
      { baseUrl: mastodon.url, visibility: 'public' },
      { accessToken: mastodon.token },
    )
    const messageId = r.receive({
      family: 'mastodon',
      accountId: account,
      externalId: '9001',
      authorHandle: '@mario@social.example',
      text: '@pcempolese strada allagata',
      flags: { acct: 'mario@social.example' },
    })
    await r.citizens.reply(messageId, 'Grazie, la chiudiamo subito.', 'Luca')
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    expect(mastodon.statuses.at(-1)).toMatchObject({
      inReplyTo: '9001',
      text: '@mario@social.example Grazie, la chiudiamo subito.',
    })
  })

  it('texts an SMS answer to the citizen’s own number through the gateway', async () => {
    const r = room()
    const gateway = track(await startFakeSmsGateway())
    const account = r.account(
      'sms_gateway',
      {
        baseUrl: gateway.baseUrl,
        username: gateway.username,
        sender: 'ProtCivile',
        messageType: 'GP',
        ratePerSecond: 1000,
      },
      { password: gateway.password },
    )
    const messageId = r.receive({
      family: 'sms',
      accountId: account,
      externalId: 'mo-1',
      authorHandle: '+393471234567',
      text: 'Domani le scuole sono aperte?',
    })
    const { outboxId } = await r.citizens.reply(messageId, 'Sì, domani sono aperte.', 'Luca')
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    expect(gateway.orders).toEqual([
      expect.objectContaining({
        recipients: ['+393471234567'],
        message: 'Sì, domani sono aperte.',
      }),
    ])
    const row = outboxRow(r, outboxId)
    expect(row).toMatchObject({ state: 'sent', address: '+393471234567' })
    expect(gateway.orders[0]?.orderId).toBe(
      orderIdFor(
        String(
          r.ws.db
            .prepare('SELECT idempotency_key AS k FROM outbox WHERE id = ?')
            .pluck()
            .get(outboxId),
        ),
      ),
    )
  })

  it('answers a Facebook comment as the page, under that comment; a deleted comment fails with the reason', async () => {
    const r = room()
    const facebook = track(await startFakeFacebook())
    const account = r.account(
      'facebook_page',
      { baseUrl: facebook.url, apiVersion: 'v23.0', pageId: facebook.pageId },
      { pageAccessToken: facebook.pageToken },
    )
    const postId = `${facebook.pageId}_100000`
    facebook.posts.push({ id: postId, message: 'Allerta arancione per neve' })
    const commentId = facebook.addComment(postId, 'A che ora riaprono le scuole?', 'Mario Rossi')
    const messageId = r.receive({
      family: 'facebook',
      accountId: account,
      externalId: commentId,
      threadId: postId,
      authorName: 'Mario Rossi',
      text: 'A che ora riaprono le scuole?',
    })
    const { outboxId } = await r.citizens.reply(messageId, 'Domani alle 8.', 'Luca')
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    const reply = facebook.comments.at(-1)
    expect(reply).toMatchObject({ parentId: commentId, message: 'Domani alle 8.', from: 'page' })
    expect(facebook.posts).toHaveLength(1)
    const req = facebook.requests.at(-1)
    expect(req?.path).toBe(`/v23.0/${commentId}/comments`)
    expect(req?.query).toEqual({})
    expect(req?.body).toEqual({ message: 'Domani alle 8.', access_token: facebook.pageToken })
    expect(outboxRow(r, outboxId)).toMatchObject({ state: 'sent', provider_id: reply?.id })

    // A comment removed before the answer leaves: no retry, the operator reads why.
    const gone = r.receive({
      family: 'facebook',
      accountId: account,
      externalId: `${facebook.pageId}_999999`,
      text: 'Commento poi cancellato',
    })
    const failed = await r.citizens.reply(gone, 'Risposta', 'Luca')
    expect(await r.dispatcher.tick()).toMatchObject({ failed: 1, retried: 0 })
    expect(outboxRow(r, failed.outboxId)).toMatchObject({
      state: 'failed',
      last_error_code: 'reply_target_missing',
      last_error: expect.stringContaining('non esiste più'),
    })
    expect(r.rowEvents.flat().at(-1)).toMatchObject({
      id: failed.outboxId,
      kind: 'reply',
      citizenMessageId: gone,
      state: 'failed',
      lastErrorCode: 'reply_target_missing',
    })
  })

  it('retries a reply after a transient error instead of dropping it: it belongs to no alert that could stop it', async () => {
    const r = room()
    const gateway = track(await startFakeSmsGateway())
    const account = r.account(
      'sms_gateway',
      {
        baseUrl: gateway.baseUrl,
        username: gateway.username,
        sender: 'ProtCivile',
        ratePerSecond: 1000,
      },
      { password: gateway.password },
    )
    const messageId = r.receive({
      family: 'sms',
      accountId: account,
      externalId: 'mo-2',
      authorHandle: '+393471234568',
      text: 'Serve aiuto',
    })
    const { outboxId } = await r.citizens.reply(messageId, 'Vi chiamiamo subito', 'Luca')
    gateway.failNext(1, 503)
    expect(await r.dispatcher.tick()).toMatchObject({ retried: 1, sent: 0 })
    expect(outboxRow(r, outboxId)).toMatchObject({ state: 'queued' })
    r.ws.clock.advance(10 * 60_000)
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    expect(gateway.orders.map((o) => o.recipients[0])).toEqual(['+393471234568'])
  })
})

describe('enqueueing a reply', () => {
  const request = (accountId: number, over: Record<string, unknown> = {}) => ({
    messageId: 1,
    family: 'sms' as const,
    accountId,
    destination: { type: 'person' as const, address: '+393471234567' },
    text: 'Grazie della segnalazione',
    idempotencyKey: 'citizen-reply:1:abc',
    ...over,
  })

  it('writes one row for one key, however often it is asked, and tells the UI once', () => {
    const r = room()
    const account = r.account('sms_gateway', { baseUrl: 'http://127.0.0.1:9' }, {})
    const first = r.direct.enqueueReply(request(account))
    const again = r.direct.enqueueReply(request(account))
    expect(again.outboxId).toBe(first.outboxId)
    expect(r.ws.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1)
    expect(r.rowEvents).toEqual([
      [
        expect.objectContaining({
          id: first.outboxId,
          kind: 'reply',
          alertId: null,
          citizenMessageId: 1,
          state: 'queued',
          attempts: 0,
        }),
      ],
    ])
    expect(r.woken()).toBe(1)
    // The same key for another message is a mistake, not the same reply.
    expect(() => r.direct.enqueueReply(request(account, { messageId: 2 }))).toThrow(
      /belongs to another message/,
    )
  })

  it('refuses what it could never send, writing nothing', () => {
    const r = room()
    const sms = r.account('sms_gateway', { baseUrl: 'http://127.0.0.1:9' }, {})
    const off = addAccount(r.ws, 'sms_gateway', 'Spento', {}, false)
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return err instanceof CoreError ? [err.code, err.issues.map((i) => i.path)] : String(err)
      }
      return 'accepted'
    }
    expect(code(() => r.direct.enqueueReply(request(sms, { text: '   ' })))).toEqual([
      'invalid_input',
      ['text'],
    ])
    expect(
      code(() =>
        r.direct.enqueueReply(request(sms, { destination: { type: 'person', address: '' } })),
      ),
    ).toEqual(['invalid_input', ['destination.address']])
    expect(code(() => r.direct.enqueueReply(request(sms, { idempotencyKey: '' })))).toEqual([
      'invalid_input',
      ['idempotencyKey'],
    ])
    expect(code(() => r.direct.enqueueReply(request(sms, { family: 'fax' })))).toEqual([
      'invalid_input',
      ['family'],
    ])
    expect(code(() => r.direct.enqueueReply(request(999)))).toEqual(['conflict', []])
    expect(code(() => r.direct.enqueueReply(request(off)))).toEqual(['conflict', []])
    // An SMS account cannot carry a Facebook answer.
    expect(
      code(() =>
        r.direct.enqueueReply(
          request(sms, { family: 'facebook', destination: { type: 'page' }, inReplyTo: '1_2' }),
        ),
      ),
    ).toEqual(['invalid_input', ['accountId']])
    expect(r.ws.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(0)
    expect(r.rowEvents).toEqual([])
  })

  it('gives the same row when the operator clicks twice on the same answer', async () => {
    const r = room()
    const account = r.account('sms_gateway', { baseUrl: 'http://127.0.0.1:9' }, {})
    const messageId = r.receive({
      family: 'sms',
      accountId: account,
      externalId: 'mo-3',
      authorHandle: '+393471234569',
      text: 'Ciao',
    })
    const a = await r.citizens.reply(messageId, 'Risposta', 'Luca')
    const b = await r.citizens.reply(messageId, 'Risposta', 'Luca')
    expect(b.outboxId).toBe(a.outboxId)
    expect(r.ws.db.prepare('SELECT count(*) FROM outbox').pluck().get()).toBe(1)
  })
})

describe('replies after a crash', () => {
  /** What a process killed mid-send leaves: the row leased to it, no result. */
  function crashWhileSending(r: ReturnType<typeof room>, id: number, leaseMs = 60_000) {
    const t = r.ws.clock.now()
    r.ws.db
      .prepare(
        `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?, updated_at = ?
         WHERE id = ?`,
      )
      .run(t + leaseMs, t, id)
    return r.ws.db
      .prepare<[number], { idempotency_key: string }>(
        'SELECT idempotency_key FROM outbox WHERE id = ?',
      )
      .get(id)!.idempotency_key
  }

  it('resends with the same key where the gateway drops duplicates: the citizen gets one SMS', async () => {
    const r = room()
    const gateway = track(await startFakeSmsGateway())
    const settings = {
      baseUrl: gateway.baseUrl,
      username: gateway.username,
      sender: 'ProtCivile',
      ratePerSecond: 1000,
    }
    const account = r.account('sms_gateway', settings, { password: gateway.password })
    const messageId = r.receive({
      family: 'sms',
      accountId: account,
      externalId: 'mo-4',
      authorHandle: '+393471234570',
      text: 'Aiuto',
    })
    const { outboxId } = await r.citizens.reply(messageId, 'Arriviamo', 'Luca')
    const key = crashWhileSending(r, outboxId)
    // It reached the gateway just before the power cut.
    const adapter = createAdapterFactory('real', { http: { timeoutMs: 5_000 } })('sms_gateway', {
      accountId: account,
      name: 'gateway',
      settings,
      secrets: { password: gateway.password },
    })
    await adapter.send({
      idempotencyKey: key,
      destination: { type: 'person', address: '+393471234570' },
      text: 'Arriviamo',
    })

    // Its lease is still valid: a process that may be alive keeps it.
    expect(await r.dispatcher.tick()).toMatchObject({ requeued: 0, uncertain: 0, sent: 0 })
    r.ws.clock.advance(60_001)
    expect(await r.dispatcher.tick()).toMatchObject({ requeued: 1, sent: 1 })
    expect(gateway.orders).toHaveLength(1)
    expect(gateway.requests.filter((q) => q.method === 'POST').length).toBe(2)
    expect(outboxRow(r, outboxId)).toMatchObject({ state: 'sent' })
    expect(r.ws.audit.recent(5).find((e) => e.action === 'outbox.recover')).toMatchObject({
      actor: 'dispatcher',
      subject: `outbox:${outboxId}`,
      detail: { kind: 'reply', citizenMessageId: messageId, state: 'queued' },
    })
    expect(
      r.rowEvents.flat().find((c) => c.id === outboxId && c.lastErrorCode === 'interrupted'),
    ).toMatchObject({ kind: 'reply', citizenMessageId: messageId, state: 'queued' })
  })

  it('leaves a Telegram reply uncertain (a resend could arrive twice); the operator resends it', async () => {
    const r = room()
    const telegram = track(await startFakeTelegram())
    telegram.addChat({ id: '5550002', title: 'Anna', type: 'private' })
    const account = r.account(
      'telegram',
      { baseUrl: telegram.url, chatId: '@pc_empolese' },
      { botToken: telegram.token },
    )
    const messageId = r.receive({
      family: 'telegram',
      accountId: account,
      externalId: '5550002:7',
      text: 'Ci sono alberi caduti?',
      flags: { chatId: '5550002' },
    })
    const { outboxId } = await r.citizens.reply(messageId, 'Sì, in via Verdi', 'Luca')
    crashWhileSending(r, outboxId)
    r.ws.clock.advance(60_001)
    expect(await r.dispatcher.tick()).toMatchObject({ uncertain: 1, sent: 0 })
    expect(telegram.messages).toHaveLength(0)
    expect(outboxRow(r, outboxId)).toMatchObject({
      state: 'uncertain',
      last_error: expect.stringMatching(/non si sa se il messaggio sia partito/),
    })

    // The operator's answer goes through the same command as an alert's rows.
    const alerts = alertsService(r.ws, listsResolver({}))
    expect(alerts.resolveUncertain(outboxId, 'resend', 'Luca')).toMatchObject({
      kind: 'reply',
      alertId: null,
      state: 'queued',
    })
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    expect(telegram.messages).toEqual([
      expect.objectContaining({ chatId: '5550002', text: 'Sì, in via Verdi', replyTo: 7 }),
    ])
    expect(r.ws.audit.recent(5).find((e) => e.action === 'outbox.resend')).toMatchObject({
      subject: `outbox:${outboxId}`,
      detail: { alertId: null, kind: 'reply' },
    })
  })
})

describe('alert follow-ups on Facebook', () => {
  it('posts an update as a post of its own, not as a comment folded under the original', async () => {
    const r = room()
    const facebook = track(await startFakeFacebook())
    const page = r.account(
      'facebook_page',
      { baseUrl: facebook.url, apiVersion: 'v23.0', pageId: facebook.pageId },
      { pageAccessToken: facebook.pageToken },
    )
    const alerts = alertsService(r.ws, listsResolver({}))
    const original = alerts.createDraft(
      draftInput({ texts: { facebook: 'Allerta neve' }, targets: { accountIds: [page] } }),
      'Maria',
    )
    alerts.confirm(original.id, 'Maria', { cancelWindowSeconds: 0 })
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    const update = alerts.createFollowUp(
      original.id,
      { msgType: 'Update', changes: { texts: { facebook: 'Allerta neve: aggiornamento' } } },
      'Maria',
    )
    alerts.confirm(update.id, 'Maria', { cancelWindowSeconds: 0 })
    expect(await r.dispatcher.tick()).toMatchObject({ sent: 1 })
    expect(facebook.posts.map((p) => p.message)).toEqual([
      'Allerta neve',
      'Allerta neve: aggiornamento',
    ])
    expect(facebook.comments).toEqual([])
  })
})
