import { afterEach, describe, expect, it } from 'vitest'
import { lastTo, openNight, type Night } from './support'

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

/** The update Telegram would deliver for a press, as the fake queued it (to forge or replay). */
function pressUpdate(n: Night, chat: string, messageId: number, button: string) {
  const before = n.telegram.pending()
  const id = n.telegram.press(chat, messageId, button)
  expect(n.telegram.pending()).toBe(before + 1)
  return id
}

async function pagedTwice(n: Night) {
  await n.bulletin('rosso')
  n.clock.advanceMinutes(10)
  await n.oncall.tick()
  return {
    mario: n.telegram.messagesTo(n.chats.mario)[0]!,
    lucia: n.telegram.messagesTo(n.chats.lucia)[0]!,
  }
}

describe('button presses from Telegram', () => {
  it('do nothing at all when they come from a chat that is not on the roster', async () => {
    const n = (night = await openNight())
    const { mario } = await pagedTwice(n)
    const journalBefore = n.journal.length
    const sentBefore = n.telegram.messages.length
    // A stranger's press of a forwarded page: same message and data, another chat.
    n.telegram.pushUpdate({
      callback_query: {
        id: '9000000000000000001',
        from: { id: 555555555, is_bot: false, first_name: 'Estraneo' },
        message: {
          message_id: mario.messageId,
          chat: { id: 555555555, type: 'private' },
          date: 0,
          text: mario.text,
        },
        chat_instance: 'x',
        data: mario.keyboard![0]![0]!.callbackData,
      },
    })
    // And Mario's own account pressing in a chat that is not his private chat with the bot.
    n.telegram.pushUpdate({
      callback_query: {
        id: '9000000000000000002',
        from: { id: Number(n.chats.mario), is_bot: false, first_name: 'Mario' },
        message: {
          message_id: mario.messageId,
          chat: { id: -1001234567890, type: 'supergroup' },
          date: 0,
        },
        chat_instance: 'x',
        data: mario.keyboard![0]![0]!.callbackData,
      },
    })
    await n.pollInbox()
    expect(n.oncall.escalations(1)[0]?.state).toBe('open')
    expect(n.telegram.answers).toEqual([])
    expect(n.telegram.messages.length).toBe(sentBefore)
    expect(n.journal.length).toBe(journalBefore)
    expect(n.logLines.join('')).toContain('non è in Reperibilità')
    // Paging goes on as if nothing happened.
    n.clock.advanceMinutes(10)
    await n.oncall.tick()
    expect(lastTo(n, n.chats.paolo)?.text).toContain('Sei il coordinatore')
  })

  it('refuse a replayed press (same callback_query id) without answering it twice', async () => {
    const n = (night = await openNight())
    const { mario } = await pagedTwice(n)
    const id = pressUpdate(n, n.chats.mario, mario.messageId, 'Non è per noi')
    await n.pollInbox()
    expect(n.oncall.escalations(1)[0]).toMatchObject({
      state: 'dismissed',
      closedBy: 'Mario Rossi',
    })
    const journalBefore = n.journal.length
    // The same update again (a re-read after a crash, or someone replaying it).
    n.telegram.pushUpdate({
      callback_query: {
        id,
        from: { id: Number(n.chats.mario), is_bot: false, first_name: 'Mario' },
        message: {
          message_id: mario.messageId,
          chat: { id: Number(n.chats.mario), type: 'private' },
          date: 0,
        },
        chat_instance: 'x',
        data: mario.keyboard?.[0]?.[0]?.callbackData ?? 'oc:1:take',
      },
    })
    await n.pollInbox()
    expect(n.telegram.answers.map((a) => a.callbackQueryId)).toEqual([id])
    expect(n.journal.length).toBe(journalBefore)
    expect(n.oncall.escalations(1)[0]?.state).toBe('dismissed')
    expect(n.logLines.join('')).toContain('pulsante già ricevuto')
  })

  it('refuse «Prendo io» on an escalation already taken, saying by whom', async () => {
    const n = (night = await openNight())
    const { mario, lucia } = await pagedTwice(n)
    n.clock.advanceMinutes(2) // 03:12
    pressUpdate(n, n.chats.lucia, lucia.messageId, 'Prendo io')
    await n.pollInbox()
    // Mario's buttons are gone on his phone, but an old client may still send the press.
    n.telegram.pushUpdate({
      callback_query: {
        id: '9000000000000000010',
        from: { id: Number(n.chats.mario), is_bot: false, first_name: 'Mario' },
        message: {
          message_id: mario.messageId,
          chat: { id: Number(n.chats.mario), type: 'private' },
          date: 0,
        },
        chat_instance: 'x',
        data: `oc:${n.oncall.escalations(1)[0]!.id}:take`,
      },
    })
    await n.pollInbox()
    const view = n.oncall.escalations(1)[0]!
    expect(view).toMatchObject({ state: 'acknowledged', closedBy: 'Lucia Bianchi' })
    // The late press is not answered by Telegram (the fake does not know the query: too old),
    // so Mario reads why in the chat instead.
    expect(lastTo(n, n.chats.mario)?.text).toBe('Già presa in carico da Lucia Bianchi alle 03:12.')
    expect(n.journal.filter((e) => e.action === 'oncall.refused')).toEqual([
      expect.objectContaining({
        actor: 'Mario Rossi',
        detail: { reason: 'closed', closedBy: 'Lucia Bianchi' },
      }),
    ])
    expect(n.logLines.join('')).toContain('query is too old')
  })

  it('refuse a press whose data points at another escalation than its message', async () => {
    const n = (night = await openNight())
    const { mario } = await pagedTwice(n)
    n.telegram.pushUpdate({
      callback_query: {
        id: '9000000000000000020',
        from: { id: Number(n.chats.mario), is_bot: false, first_name: 'Mario' },
        message: {
          message_id: mario.messageId,
          chat: { id: Number(n.chats.mario), type: 'private' },
          date: 0,
        },
        chat_instance: 'x',
        data: 'oc:999:take',
      },
    })
    await n.pollInbox()
    expect(n.oncall.escalations(1)[0]?.state).toBe('open')
    expect(n.journal.at(-1)).toMatchObject({
      action: 'oncall.refused',
      detail: { reason: 'not_this_page' },
    })
  })

  it('«Apri bozza» sends the draft to that chat and keeps paging the others', async () => {
    const n = (night = await openNight())
    const { mario } = await pagedTwice(n)
    const id = pressUpdate(n, n.chats.mario, mario.messageId, 'Apri bozza')
    await n.pollInbox()
    expect(n.telegram.answers).toEqual([
      { callbackQueryId: id, text: 'Ti mando la bozza qui in chat.', showAlert: false },
    ])
    const draft = lastTo(n, n.chats.mario)!.text
    expect(draft).toContain('Bozza proposta (Rosso')
    expect(draft).toContain('Nevicate anche a quote di pianura')
    expect(n.oncall.escalations(1)[0]?.state).toBe('open')
  })

  it('answer a fresh press within the Bot API limits, and the inbox still gets its messages', async () => {
    const n = (night = await openNight())
    const { mario } = await pagedTwice(n)
    const message = n.telegram.pushUpdate({
      message: {
        message_id: 1,
        from: { id: 4242, is_bot: false, first_name: 'Anna' },
        chat: { id: 4242, type: 'private', first_name: 'Anna' },
        date: 1_770_000_000,
        text: 'Via Roma è allagata',
      },
    })
    pressUpdate(n, n.chats.mario, mario.messageId, 'Prendo io')
    await n.pollInbox()
    // answerCallbackQuery took the call (the fake refuses a missing id, a second answer, >200 chars).
    const answer = n.telegram.requests.find((r) => r.path.endsWith('/answerCallbackQuery'))
    expect(answer?.body).toEqual({
      callback_query_id: expect.any(String),
      text: 'Presa in carico.',
    })
    // The citizen's message reached the inbox, and the next poll confirms both updates.
    const count = n.db.prepare('SELECT count(*) AS n FROM citizen_messages').get() as { n: number }
    expect(count.n).toBe(1)
    await n.pollInbox()
    expect(
      n.telegram.requests.filter((r) => r.path.endsWith('/getUpdates')).at(-1)?.query.offset,
    ).toBe(String(message + 2))
    expect(n.telegram.pending()).toBe(0)
  })
})
