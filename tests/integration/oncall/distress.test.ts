import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_ONCALL_SETTINGS } from '../../../src/shared/contract/oncall'
import { citizenSms, lastTo, openNight, type Night } from './support'

/**
 * A citizen writes for help while nobody reads the room: the person on call is paged,
 * once while it is open, with the citizen's words; a question about schools pages nobody,
 * nor does a cry for help while an operator is at the desk in staffed hours.
 */

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

const sms = (n: Night, text: string, from = '+393470000001') => citizenSms(n, from, text)

/** Sunday 00:00–08:00 staffed: the night of the test (03:00) is inside it. */
const staffedTonight = {
  afterHours: {
    ...DEFAULT_ONCALL_SETTINGS.afterHours,
    staffed: [{ weekday: 7, starts: '00:00', ends: '08:00' }],
  },
}

describe('a citizen asking for help while nobody reads the room', () => {
  it('pages the person on call outside staffed hours, with the words, once while it is open', async () => {
    const n = (night = await openNight()) // Sunday 03:00: Monday–Friday 08–18 is staffed
    n.oncall.present() // someone is even at the desk: off hours, it pages all the same
    sms(n, 'Domani le scuole sono aperte?')
    await n.oncall.idle()
    expect(n.telegram.messagesTo(n.chats.mario)).toEqual([])

    sms(n, "AIUTO siamo bloccati al primo piano, l'acqua sale", '+393479999999')
    await n.oncall.idle()
    const page = lastTo(n, n.chats.mario)?.text ?? ''
    expect(page).toContain('Possibile richiesta di aiuto da un cittadino (SMS)')
    expect(page).toContain('Da +393479999999, alle ')
    expect(page).toContain("«AIUTO siamo bloccati al primo piano, l'acqua sale»")
    expect(page).toContain('Parole: aiuto, bloccat.')
    expect(page).toContain('Fuori dall’orario presidiato')
    expect(n.gateway.orders.flatMap((o) => o.recipients)).toContain('+393471111111')

    // A second cry while the first is open does not page again: the page said more may wait.
    sms(n, 'Via Roma allagata', '+393478888888')
    await n.oncall.idle()
    expect(n.telegram.messagesTo(n.chats.mario)).toHaveLength(1)
    const [open] = n.oncall.escalations(5)
    expect(open).toMatchObject({ state: 'open', trigger: { kind: 'distress' } })
    expect(n.journal.some((e) => e.action === 'oncall.triggered')).toBe(true)

    // Taken: the next one pages again.
    n.oncall.acknowledge(open!.id, 'Giulia')
    sms(n, 'Mio padre anziano solo non risponde, aiutateci', '+393477777777')
    await n.oncall.idle()
    expect(n.oncall.escalations(5).map((e) => e.trigger.kind)).toEqual(['distress', 'distress'])
  })

  it('in staffed hours, waits while someone uses the room, and pages once nobody has for the set minutes', async () => {
    const n = (night = await openNight({ settings: staffedTonight }))
    n.oncall.present()
    n.clock.advanceMinutes(5)
    sms(n, 'Aiuto, strada allagata a Spicchio')
    await n.oncall.idle()
    expect(n.oncall.escalations(5)).toEqual([]) // the operator at the desk reads it

    n.clock.advanceMinutes(15) // nobody has touched the room for 20 minutes
    sms(n, 'Aiuto, strada allagata a Spicchio, ci siete?')
    await n.oncall.idle()
    expect(lastTo(n, n.chats.mario)?.text).toContain('Nessuno usa la sala da almeno 15 minuti.')
  })

  it('pages nobody when it is switched off, or for a message written hours ago that the inbox reads late', async () => {
    const off = { triggers: { ...DEFAULT_ONCALL_SETTINGS.triggers, distress: false } }
    const n = (night = await openNight({ settings: off }))
    sms(n, 'Aiuto!')
    await n.oncall.idle()
    expect(n.oncall.escalations(5)).toEqual([])

    n.oncall.roster.updateSettings({ triggers: DEFAULT_ONCALL_SETTINGS.triggers }, 'Giulia')
    n.citizens.ingest([
      {
        family: 'sms',
        accountId: n.smsAccountId,
        externalId: 'old-1',
        threadId: null,
        inReplyTo: null,
        authorName: null,
        authorHandle: '+393470000005',
        text: 'Aiuto, cantina allagata',
        receivedAt: new Date(n.clock.now().getTime() - 7 * 3_600_000).toISOString(),
        flags: {},
      },
    ])
    await n.oncall.idle()
    expect(n.oncall.escalations(5)).toEqual([])
  })

  it('refuses a word list that would page for anything', () => {
    return openNight().then((n) => {
      night = n
      expect(() =>
        n.oncall.roster.updateSettings(
          { triggers: { ...DEFAULT_ONCALL_SETTINGS.triggers, distressWords: ['a'] } },
          'Giulia',
        ),
      ).toThrow()
      expect(() =>
        n.oncall.roster.updateSettings(
          { triggers: { ...DEFAULT_ONCALL_SETTINGS.triggers, distressWords: [] } },
          'Giulia',
        ),
      ).toThrow()
    })
  })
})
