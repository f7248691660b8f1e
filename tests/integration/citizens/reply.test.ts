import { afterEach, describe, expect, it } from 'vitest'
import type { IncomingCitizenMessage } from '../../../src/main/core/citizens/types'
import {
  createCitizensService,
  type ReplyRequest,
} from '../../../src/main/core/citizens/citizens-service'
import { CoreError } from '../../../src/main/core/errors'
import type { ChannelKind } from '../../../src/shared/channels/kinds'
import { openInbox, type Inbox } from './support'

let inbox: Inbox | undefined
afterEach(() => {
  inbox?.dispose()
  inbox = undefined
})

const KIND_OF: Record<IncomingCitizenMessage['family'], ChannelKind> = {
  sms: 'sms_gateway',
  telegram: 'telegram',
  x: 'x',
  mastodon: 'mastodon',
  facebook: 'facebook_page',
  email: 'email_smtp',
  youtube: 'youtube',
}

/** One received message of a family, through the real ingest. */
function received(box: Inbox, message: Omit<IncomingCitizenMessage, 'accountId' | 'text'>) {
  const accountId = box.addAccount(KIND_OF[message.family])
  const [stored] = box.service.ingest([{ ...message, accountId, text: 'Quando riapre la scuola?' }])
  if (!stored) throw new Error('not stored')
  box.events.length = 0
  return { accountId, id: stored.id }
}

async function rejection(promise: Promise<unknown>, code: CoreError['code']): Promise<CoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(CoreError)
  expect((err as CoreError).code).toBe(code)
  return err as CoreError
}

describe('replying to citizens through the outbox', () => {
  it('answers each family on its own channel, to the right destination', async () => {
    const box = (inbox = openInbox())
    const cases: [Omit<IncomingCitizenMessage, 'accountId' | 'text'>, Partial<ReplyRequest>][] = [
      [
        { family: 'sms', externalId: 'g-77', authorHandle: '+393471234567', authorName: null },
        { destination: { type: 'person', address: '+393471234567' } },
      ],
      [
        {
          family: 'telegram',
          externalId: '-100123:42',
          authorHandle: 'mario_r',
          flags: { chatId: '-100123' },
        },
        { destination: { type: 'person', address: '-100123' }, inReplyTo: '42' },
      ],
      [
        { family: 'x', externalId: '1890000000000000001', authorHandle: '@giulia' },
        { destination: { type: 'page' }, inReplyTo: '1890000000000000001' },
      ],
      [
        { family: 'facebook', externalId: '123_456', authorName: 'Rosa Verdi' },
        { destination: { type: 'page' }, inReplyTo: '123_456' },
      ],
      // A reply inside a YouTube thread is answered under the thread's top comment.
      [
        {
          family: 'youtube',
          externalId: 'UgzTop0001.AaReply0002',
          threadId: 'UgzTop0001',
          authorName: 'Luca Neri',
        },
        { destination: { type: 'page' }, inReplyTo: 'UgzTop0001' },
      ],
      [
        {
          family: 'email',
          externalId: '<a@b>',
          authorHandle: 'rosa@example.org',
          authorName: 'Rosa',
        },
        { destination: { type: 'person', address: 'rosa@example.org', name: 'Rosa' } },
      ],
    ]
    for (const [message, expected] of cases) {
      const { accountId, id } = received(box, message)
      const { message: updated, outboxId } = await box.service.reply(id, 'Domani alle 8.', 'Anna')
      expect(box.replies.at(-1)).toEqual({
        messageId: id,
        family: message.family,
        accountId,
        text: 'Domani alle 8.',
        idempotencyKey: expect.stringMatching(new RegExp(`^citizen-reply:${id}:[0-9a-f]{16}$`)),
        ...expected,
      })
      expect(updated).toMatchObject({ state: 'risposto', replyOutboxId: outboxId })
    }
  })

  it('mentions the Mastodon author so the reply reaches them, once', async () => {
    const box = (inbox = openInbox())
    const { id } = received(box, {
      family: 'mastodon',
      externalId: '113000000000000777',
      authorHandle: '@luca@mastodon.uno',
      flags: { acct: 'luca@mastodon.uno' },
    })
    await box.service.reply(id, 'Sì, la strada è riaperta.', 'Anna')
    await box.service.reply(id, '@Luca@mastodon.uno grazie a te!', 'Anna')
    expect(box.replies.map((r) => [r.destination, r.inReplyTo, r.text])).toEqual([
      [{ type: 'page' }, '113000000000000777', '@luca@mastodon.uno Sì, la strada è riaperta.'],
      [{ type: 'page' }, '113000000000000777', '@Luca@mastodon.uno grazie a te!'],
    ])
  })

  it('marks the message answered, records it in the history and announces it', async () => {
    const box = (inbox = openInbox())
    const { id } = received(box, { family: 'sms', externalId: 's1', authorHandle: '+393331112222' })
    box.service.setState([id], 'da_rispondere', 'Bruno')
    box.events.length = 0
    const { outboxId } = await box.service.reply(id, 'Ci stiamo occupando della frana.', 'Anna')
    const detail = box.service.get(id)
    expect(detail).toMatchObject({ state: 'risposto', replyOutboxId: outboxId })
    expect(detail.history.at(-1)).toMatchObject({
      action: 'reply',
      actor: 'Anna',
      from: 'da_rispondere',
      to: 'risposto',
      outboxId,
    })
    expect(box.events).toEqual([
      {
        name: 'citizens:changed',
        payload: { ids: [id], actor: 'Anna', state: 'risposto', replyOutboxId: outboxId },
      },
    ])
  })

  it('gives the same idempotency key to the same answer, so a double click sends once', async () => {
    const box = (inbox = openInbox())
    const { id } = received(box, { family: 'x', externalId: '99', authorHandle: '@a' })
    await box.service.reply(id, 'Grazie della segnalazione', 'Anna')
    await box.service.reply(id, 'Grazie della segnalazione', 'Anna')
    await box.service.reply(id, 'Altro testo', 'Anna')
    const [a, b, c] = box.replies.map((r) => r.idempotencyKey)
    expect(a).toBe(b)
    expect(c).not.toBe(a)
  })

  it('leaves the message untouched when the outbox refuses the reply', async () => {
    const box = (inbox = openInbox({
      enqueueReply: async () => {
        await Promise.resolve()
        throw new CoreError('unavailable', 'outbox closed')
      },
    }))
    const { id } = received(box, { family: 'x', externalId: '5', authorHandle: '@a' })
    await rejection(box.service.reply(id, 'Risposta', 'Anna'), 'unavailable')
    expect(box.service.get(id)).toMatchObject({ state: 'nuovo', replyOutboxId: null, history: [] })
    expect(box.events).toEqual([])
  })

  it('refuses replies that cannot be sent, before anything reaches the outbox', async () => {
    const box = (inbox = openInbox())
    const x = received(box, { family: 'x', externalId: '6', authorHandle: '@a' })
    const tooLong = await rejection(
      box.service.reply(x.id, 'a'.repeat(281), 'Anna'),
      'invalid_input',
    )
    expect(tooLong.issues).toEqual([
      { path: 'text', code: 'over_limit', params: { length: 281, limit: 280 } },
    ])
    await rejection(box.service.reply(x.id, '   ', 'Anna'), 'invalid_input')
    await rejection(box.service.reply(x.id, 'ok', ''), 'invalid_input')
    await rejection(box.service.reply(424242, 'ok', 'Anna'), 'not_found')
    const noNumber = received(box, { family: 'sms', externalId: 's', authorHandle: 'ANONIMO' })
    await rejection(box.service.reply(noNumber.id, 'ok', 'Anna'), 'conflict')
    box.db.prepare('DELETE FROM channel_accounts WHERE id = ?').run(x.accountId)
    await rejection(box.service.reply(x.id, 'ok', 'Anna'), 'conflict')
    expect(box.replies).toEqual([])
  })

  it('refuses replies where no outbox was wired (e.g. a read-only viewer)', async () => {
    const box = (inbox = openInbox())
    const { id } = received(box, { family: 'x', externalId: '7', authorHandle: '@a' })
    const readOnly = createCitizensService({ db: box.db })
    await rejection(readOnly.reply(id, 'ok', 'Anna'), 'unavailable')
    expect(readOnly.get(id).state).toBe('nuovo')
  })
})
