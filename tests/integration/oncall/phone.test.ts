import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CoreError } from '../../../src/main/core/errors'
import { lastTo, openNight, type Night } from './support'

let night: Night | undefined
// Every test starts its own night: 03:00 in Rome, Mario first on the chain.
beforeEach(async () => {
  night = await openNight()
})
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

const PIN = '73915'

const status = (n: Night, id: number) =>
  (n.db.prepare('SELECT status FROM alerts WHERE id = ?').get(id) as { status: string }).status
const queued = (n: Night, id: number) =>
  (
    n.db
      .prepare(`SELECT count(*) AS c FROM outbox WHERE alert_id = ? AND state = 'queued'`)
      .get(id) as { c: number }
  ).c
const inbox = (n: Night) =>
  (n.db.prepare('SELECT text FROM citizen_messages ORDER BY id').all() as { text: string }[]).map(
    (r) => r.text,
  )
const pinOf = (n: Night, personId: number) => n.oncall.pins().find((p) => p.personId === personId)
const actions = (n: Night) => n.journal.map((e) => e.action)

describe('the personal PIN', () => {
  it('is set from the room, write-only: the journal names whose PIN, never the PIN', () => {
    const n = night!
    const status = n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    expect(status).toEqual({ personId: n.people.mario, set: true, locked: false })
    expect(pinOf(n, n.people.mario)).toEqual({ personId: n.people.mario, set: true, locked: false })
    expect(pinOf(n, n.people.lucia)).toEqual({
      personId: n.people.lucia,
      set: false,
      locked: false,
    })
    const entry = n.journal.find((e) => e.action === 'oncall.setPin')
    expect(entry).toMatchObject({ actor: 'Giulia', detail: { name: 'Mario Rossi' } })
    expect(JSON.stringify(n.journal)).not.toContain(PIN)
    expect(JSON.stringify(n.oncall.getRoster())).not.toContain(PIN)
    // Stored as a salted hash: two people with the same PIN do not share a hash.
    n.oncall.setPin(n.people.lucia, PIN, 'Giulia')
    const rows = n.db.prepare('SELECT salt, hash FROM oncall_pins').all() as {
      salt: Buffer
      hash: Buffer
    }[]
    expect(rows).toHaveLength(2)
    expect(rows[0]!.hash.equals(rows[1]!.hash)).toBe(false)
    expect(rows[0]!.salt.equals(rows[1]!.salt)).toBe(false)
  })

  it('must be 4 to 8 digits, for a person on the roster', () => {
    const n = night!
    for (const bad of ['123', '12a4', '123456789', ''])
      expect(() => n.oncall.setPin(n.people.mario, bad, 'Giulia')).toThrow(CoreError)
    expect(() => n.oncall.setPin(9999, PIN, 'Giulia')).toThrow(/not found/i)
    expect(pinOf(n, n.people.mario)).toMatchObject({ set: false })
  })
})

describe('STOP from the phone', () => {
  it('stops a confirmed alert with the PIN of a person on the chain, as the room would', async () => {
    const n = night!
    n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    const alert = n.scheduledAlert(40)
    expect(queued(n, alert)).toBe(40)
    n.telegram.say(n.chats.mario, `STOP ${alert} ${PIN}`)
    await n.pollInbox()

    expect(status(n, alert)).toBe('stopped')
    expect(queued(n, alert)).toBe(0)
    expect(lastTo(n, n.chats.mario)?.text).toMatch(
      new RegExp(`^Allerta n\\. ${alert} fermata: 40 messaggi non ancora partiti annullati`),
    )
    expect(n.journal.find((e) => e.action === 'alerts.stop')).toMatchObject({
      actor: 'Mario Rossi (da Telegram)',
      subject: `alert:${alert}`,
    })
    expect(n.journal.find((e) => e.action === 'oncall.phoneStop')).toMatchObject({
      actor: 'Mario Rossi',
      detail: { via: 'Telegram', cancelledRows: 40 },
    })
    // The message with the PIN never reached the citizens' inbox, nor stays on the phone.
    expect(inbox(n)).toEqual([])
    expect(n.telegram.said(n.chats.mario)).toEqual([])
  })

  it('asks for the PIN when it is missing, and answers a STOP for an alert that is not sending', async () => {
    const n = night!
    n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    n.telegram.say(n.chats.mario, 'STOP 41')
    await n.pollInbox()
    expect(lastTo(n, n.chats.mario)?.text).toBe(
      'Per fermare l’allerta n. 41 scrivi STOP 41 seguito da uno spazio e dal tuo PIN.',
    )
    n.telegram.say(n.chats.mario, `stop 41 ${PIN}`)
    await n.pollInbox()
    expect(lastTo(n, n.chats.mario)?.text).toBe('Non fermata: non c’è un’allerta n. 41.')
    expect(n.journal.find((e) => e.action === 'oncall.phoneRefused')).toMatchObject({
      detail: { command: 'stop', reason: 'refused', error: 'not_found' },
    })
    expect(inbox(n)).toEqual([])
  })

  it('locks the PIN after 5 wrong tries, until the room sets a new one', async () => {
    const n = night!
    n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    const alert = n.scheduledAlert(40)
    const answers: string[] = []
    // Words after STOP are not a PIN: a message for the room, and no try counted.
    n.telegram.say(n.chats.mario, `STOP ${alert} grazie`)
    await n.pollInbox()
    expect(inbox(n)).toEqual([`STOP ${alert} grazie`])
    for (let i = 0; i < 5; i++) {
      n.telegram.say(n.chats.mario, `STOP ${alert} 1111${i}`)
      await n.pollInbox()
      answers.push(lastTo(n, n.chats.mario)!.text)
    }
    expect(answers.slice(0, 2)).toEqual([
      'PIN sbagliato: restano 4 tentativi prima del blocco.',
      'PIN sbagliato: restano 3 tentativi prima del blocco.',
    ])
    expect(answers[4]).toMatch(/il PIN è bloccato/)
    expect(pinOf(n, n.people.mario)).toMatchObject({ locked: true })
    // The right PIN no longer opens anything.
    n.telegram.say(n.chats.mario, `STOP ${alert} ${PIN}`)
    await n.pollInbox()
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/bloccato dopo 5 tentativi/)
    expect(status(n, alert)).toBe('scheduled')
    expect(n.logLines.some((l) => l.includes('PIN di Mario Rossi bloccato'))).toBe(true)

    // A new PIN set in the room clears the lock.
    n.oncall.setPin(n.people.mario, '246810', 'Giulia')
    expect(n.journal.filter((e) => e.action === 'oncall.setPin').at(-1)).toMatchObject({
      detail: { name: 'Mario Rossi', unlocked: true },
    })
    n.telegram.say(n.chats.mario, `STOP ${alert} 246810`)
    await n.pollInbox()
    expect(status(n, alert)).toBe('stopped')
    expect(inbox(n)).toEqual([`STOP ${alert} grazie`])
  })

  it('does nothing for a stranger, nor for a person on call writing from a group', async () => {
    const n = night!
    n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    const alert = n.scheduledAlert(40)
    n.telegram.addPerson('555555555', 'Estraneo')
    n.telegram.say('555555555', `STOP ${alert} ${PIN}`)
    n.telegram.pushUpdate({
      message: {
        message_id: 9001,
        from: { id: Number(n.chats.mario), is_bot: false, first_name: 'Mario' },
        chat: { id: -1001234567890, type: 'supergroup', title: 'Volontari' },
        date: 0,
        text: `STOP ${alert} ${PIN}`,
      },
    })
    const sentBefore = n.telegram.messages.length
    await n.pollInbox()
    expect(status(n, alert)).toBe('scheduled')
    expect(n.telegram.messages.length).toBe(sentBefore)
    expect(actions(n).filter((a) => a.startsWith('oncall.phone'))).toEqual([])
    // They are citizens' messages like any other (the inbox decides what to keep).
    expect(inbox(n)).toContain(`STOP ${alert} ${PIN}`)
  })

  it('refuses a replayed message: answered once, counted once', async () => {
    const n = night!
    n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    const alert = n.scheduledAlert(40)
    const wrong = n.telegram.say(n.chats.mario, `STOP ${alert} 99999`)
    await n.pollInbox()
    const right = n.telegram.say(n.chats.mario, `STOP ${alert} ${PIN}`)
    await n.pollInbox()
    expect(status(n, alert)).toBe('stopped')
    const sent = n.telegram.messagesTo(n.chats.mario).length
    // The same two messages delivered again (a new update id, the same message).
    for (const { update } of [wrong, right]) {
      const { update_id: _, ...again } = update
      n.telegram.pushUpdate(again)
    }
    await n.pollInbox()
    expect(n.telegram.messagesTo(n.chats.mario).length).toBe(sent)
    expect(actions(n).filter((a) => a === 'oncall.phoneStop')).toHaveLength(1)
    expect(actions(n).filter((a) => a === 'oncall.phoneRefused')).toHaveLength(1)
    expect(n.logLines.filter((l) => l.includes('già ricevuto'))).toHaveLength(2)
    expect(inbox(n)).toEqual([])
  })

  it('never keeps the PIN: not in the journal, the log, the inbox, the bot’s messages or the file', async () => {
    const n = night!
    n.oncall.setPin(n.people.mario, PIN, 'Giulia')
    const alert = n.scheduledAlert(40)
    n.telegram.say(n.chats.mario, `STOP ${alert} 12345`)
    n.telegram.say(n.chats.mario, `STOP ${alert} ${PIN}`)
    await n.pollInbox()
    expect(status(n, alert)).toBe('stopped')
    expect(JSON.stringify(n.journal)).not.toContain(PIN)
    expect(n.logLines.join('\n')).not.toContain(PIN)
    expect(JSON.stringify(inbox(n))).not.toContain(PIN)
    expect(n.telegram.messages.map((m) => m.text).join('\n')).not.toContain(PIN)
    expect(n.telegram.said(n.chats.mario)).toEqual([])
    expect(JSON.stringify(n.oncall.getRoster())).not.toContain(PIN)
    expect(JSON.stringify(n.escalations)).not.toContain(PIN)
    n.db.pragma('wal_checkpoint(TRUNCATE)')
    for (const f of readdirSync(n.dir))
      expect(readFileSync(join(n.dir, f)).includes(PIN), f).toBe(false)
  })
})
