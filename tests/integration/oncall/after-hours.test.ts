import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_ONCALL_SETTINGS } from '../../../src/shared/contract/oncall'
import { citizenSms, openNight, type Night } from './support'

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

const TEXT = 'Questo canale non è presidiato 24 ore su 24: per emergenze chiama il 112.'
const enabled = { afterHours: { ...DEFAULT_ONCALL_SETTINGS.afterHours, enabled: true } }

function sms(n: Night, from: string, receivedAt: string, text = 'C’è acqua in strada') {
  n.clock.set(receivedAt)
  return citizenSms(n, from, text, receivedAt)
}

const replies = (n: Night) =>
  n.db
    .prepare(
      `SELECT kind, address, text, in_reply_to AS inReplyTo, state FROM outbox
       WHERE idempotency_key LIKE 'after-hours:%' ORDER BY id`,
    )
    .all() as { kind: string; address: string; text: string; inReplyTo: string | null }[]

describe('the automatic answer outside staffed hours (Monday–Friday 08:00–18:00)', () => {
  it('answers a citizen once per period, and again after the room was staffed', async () => {
    const n = (night = await openNight({ settings: enabled }))
    // Saturday 23:00 and 23:30 in Rome: one answer for the same number.
    const [first] = sms(n, '+393470000001', '2026-02-07T22:00:00.000Z')
    sms(n, '+393470000001', '2026-02-07T22:30:00.000Z', 'Ci siete?')
    sms(n, '+393470000002', '2026-02-07T22:31:00.000Z')
    expect(replies(n)).toEqual([
      { kind: 'reply', address: '+393470000001', text: TEXT, inReplyTo: null, state: 'queued' },
      { kind: 'reply', address: '+393470000002', text: TEXT, inReplyTo: null, state: 'queued' },
    ])
    // Monday 09:30, staffed: none. Monday 19:30, a new period: the first number again.
    sms(n, '+393470000001', '2026-02-09T08:30:00.000Z')
    expect(replies(n)).toHaveLength(2)
    sms(n, '+393470000001', '2026-02-09T18:30:00.000Z')
    expect(replies(n).map((r) => r.address)).toEqual([
      '+393470000001',
      '+393470000002',
      '+393470000001',
    ])
    // The message is still the room's to triage: an automatic answer is not an answer.
    expect(n.citizens.get(first!.id)).toMatchObject({ state: 'nuovo', replyOutboxId: null })
    expect(n.journal.filter((e) => e.action === 'oncall.afterHoursReply')).toHaveLength(3)
  })

  it('goes by when the citizen wrote, not when the message was read', async () => {
    const n = (night = await openNight({ settings: enabled }))
    n.citizens.ingest([
      {
        family: 'sms',
        accountId: n.smsAccountId,
        externalId: 'late-1',
        threadId: null,
        inReplyTo: null,
        authorName: null,
        authorHandle: '+393470000003',
        text: 'Scritto venerdì mattina',
        receivedAt: '2026-02-06T09:00:00.000Z', // Friday 10:00, staffed
        flags: {},
      },
    ])
    expect(replies(n)).toEqual([])
  })

  it('answers a private chat with the bot in its thread, and never a group', async () => {
    const n = (night = await openNight({ settings: enabled }))
    n.telegram.pushUpdate({
      message: {
        message_id: 7,
        from: { id: 4242, is_bot: false, first_name: 'Anna' },
        chat: { id: 4242, type: 'private', first_name: 'Anna' },
        date: Math.floor(n.clock.now().getTime() / 1000),
        text: 'Il sottopasso è allagato',
      },
    })
    n.telegram.pushUpdate({
      message: {
        message_id: 8,
        from: { id: 4343, is_bot: false, first_name: 'Bruno' },
        chat: { id: -100777, type: 'supergroup', title: 'Quartiere' },
        date: Math.floor(n.clock.now().getTime() / 1000),
        text: 'Anche qui',
      },
    })
    await n.pollInbox()
    expect(replies(n)).toEqual([
      { kind: 'reply', address: '4242', text: TEXT, inReplyTo: '7', state: 'queued' },
    ])
  })

  it('answers nobody while it is switched off (the default)', async () => {
    const n = (night = await openNight())
    sms(n, '+393470000001', '2026-02-07T22:00:00.000Z')
    expect(replies(n)).toEqual([])
  })
})
