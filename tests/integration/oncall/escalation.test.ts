import { afterEach, describe, expect, it } from 'vitest'
import { lastTo, openNight, type Night } from './support'

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

const rome = (iso: string) =>
  new Date(iso).toLocaleTimeString('it-IT', {
    timeZone: 'Europe/Rome',
    hour: '2-digit',
    minute: '2-digit',
  })

describe('a red bulletin at 03:00 with nobody at the desk', () => {
  it('pages the first on call, escalates at 03:10 and 03:20, and stops when someone takes it', async () => {
    const n = (night = await openNight())
    await n.bulletin('rosso')

    // 03:00: Mario, first on call, gets the page with its three buttons, and an SMS.
    const page = lastTo(n, n.chats.mario)!
    expect(page.text).toContain('Allerta rossa')
    expect(page.text).toContain('Sei il 1° reperibile del turno «Notte»')
    expect(page.text).toContain('avviso Lucia Bianchi')
    expect(page.keyboard?.flat().map((b) => b.text)).toEqual([
      'Prendo io',
      'Apri bozza',
      'Non è per noi',
    ])
    expect(n.gateway.orders.map((o) => o.recipients)).toEqual([['+393471111111']])
    expect(n.telegram.messagesTo(n.chats.lucia)).toEqual([])

    // Nothing moves before ten minutes.
    n.clock.set('2026-02-08T02:09:59.000Z')
    await n.oncall.tick()
    expect(n.telegram.messagesTo(n.chats.lucia)).toEqual([])

    n.clock.set('2026-02-08T02:10:00.000Z')
    await n.oncall.tick()
    expect(lastTo(n, n.chats.lucia)?.text).toContain('Sei il 2° reperibile')
    expect(n.telegram.messagesTo(n.chats.paolo)).toEqual([])

    n.clock.set('2026-02-08T02:20:00.000Z')
    await n.oncall.tick()
    expect(lastTo(n, n.chats.paolo)?.text).toContain('Sei il coordinatore')
    expect(n.gateway.orders.map((o) => o.recipients[0])).toEqual([
      '+393471111111',
      '+393472222222',
      '+393473333333',
    ])

    // 03:23: Lucia presses «Prendo io»; the press comes with the inbox's next getUpdates.
    n.clock.set('2026-02-08T02:23:00.000Z')
    const luciaPage = n.telegram.messagesTo(n.chats.lucia)[0]!
    const queryId = n.telegram.press(n.chats.lucia, luciaPage.messageId, 'Prendo io')
    await n.pollInbox()

    // The inbox asked for button presses too, and answered the press as the Bot API expects.
    const getUpdates = n.telegram.requests.filter((r) => r.path.endsWith('/getUpdates'))
    expect(JSON.parse(getUpdates.at(-1)!.query.allowed_updates!)).toEqual([
      'message',
      'callback_query',
    ])
    expect(n.telegram.answers).toEqual([
      { callbackQueryId: queryId, text: 'Presa in carico.', showAlert: false },
    ])
    expect(lastTo(n, n.chats.lucia)?.text).toContain('Hai preso in carico')
    // The others are told who took it; nobody has buttons any more.
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/^Presa in carico da Lucia Bianchi alle 03:23/)
    expect(lastTo(n, n.chats.paolo)?.text).toMatch(/^Presa in carico da Lucia Bianchi alle 03:23/)
    expect(n.telegram.messages.filter((m) => m.keyboard)).toEqual([])

    // It stops for everyone: 03:30 and later page nobody.
    const sent = n.telegram.messages.length
    for (const at of ['2026-02-08T02:30:00.000Z', '2026-02-08T03:30:00.000Z']) {
      n.clock.set(at)
      await n.oncall.tick()
    }
    expect(n.telegram.messages.length).toBe(sent)
    expect(n.gateway.orders).toHaveLength(3)

    // Every page, escalation and the acknowledgement are in the journal, with their times.
    const steps = n
      .oncallJournal()
      .map((e) => [
        rome(e.at),
        e.actor,
        e.action,
        e.detail.person ?? e.detail.to ?? '',
        e.detail.channel ?? '',
      ])
    expect(steps).toEqual([
      ['03:00', 'vedetta', 'oncall.triggered', '', ''],
      ['03:00', 'vedetta', 'oncall.page', 'Mario Rossi', 'telegram'],
      ['03:00', 'vedetta', 'oncall.page', 'Mario Rossi', 'sms'],
      ['03:10', 'vedetta', 'oncall.escalated', 'Lucia Bianchi', ''],
      ['03:10', 'vedetta', 'oncall.page', 'Lucia Bianchi', 'telegram'],
      ['03:10', 'vedetta', 'oncall.page', 'Lucia Bianchi', 'sms'],
      ['03:20', 'vedetta', 'oncall.escalated', 'Paolo Verdi', ''],
      ['03:20', 'vedetta', 'oncall.page', 'Paolo Verdi', 'telegram'],
      ['03:20', 'vedetta', 'oncall.page', 'Paolo Verdi', 'sms'],
      ['03:23', 'Lucia Bianchi', 'oncall.acknowledged', '', ''],
      ['03:23', 'vedetta', 'oncall.told', '', ''],
    ])
    expect(n.journal.find((e) => e.action === 'oncall.acknowledged')?.detail).toMatchObject({
      via: 'telegram',
      afterSeconds: 23 * 60,
    })
    expect(n.journal.find((e) => e.action === 'oncall.told')?.detail).toEqual({
      people: ['Mario Rossi', 'Paolo Verdi'],
    })
    const [view] = n.oncall.escalations(5)
    expect(view).toMatchObject({
      state: 'acknowledged',
      closedBy: 'Lucia Bianchi',
      closedVia: 'telegram',
      nextAt: null,
    })
  })

  it('goes round the chain again, then leaves it unanswered in Stato until the room takes it', async () => {
    const n = (night = await openNight({ settings: { rounds: 2, escalateAfterMinutes: 5 } }))
    await n.bulletin('arancione')
    for (let i = 0; i < 6; i++) {
      n.clock.advanceMinutes(5)
      await n.oncall.tick()
    }
    // Two rounds of three, one page every five minutes; then no more.
    expect(n.telegram.messagesTo(n.chats.mario)).toHaveLength(2)
    expect(n.telegram.messagesTo(n.chats.paolo)).toHaveLength(2)
    n.clock.advanceMinutes(30)
    await n.oncall.tick()
    expect(n.gateway.orders).toHaveLength(6)
    const [view] = n.oncall.escalations(1)
    expect(view?.state).toBe('unanswered')
    expect(n.health.list()).toEqual([
      expect.objectContaining({
        source: 'oncall',
        message: expect.stringContaining('Nessun reperibile ha preso in carico'),
      }),
    ])

    // The room takes it: Stato is clear, and the three paged are told.
    n.oncall.acknowledge(view!.id, 'Giulia')
    await n.oncall.idle()
    expect(n.health.list()).toEqual([])
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/^Presa in carico da Giulia \(in sala\)/)
    expect(n.telegram.messages.filter((m) => m.keyboard)).toEqual([])
  })

  it('pages the next at once when the person cannot be reached on any channel', async () => {
    const n = (night = await openNight())
    n.telegram.chats.get(n.chats.mario)!.kicked = true
    n.gateway.blacklist('+393471111111')
    n.gateway.failNext(1, 500)
    await n.bulletin('rosso')
    const pages = n.oncall.escalations(1)[0]!.pages
    expect(pages.map((p) => [p.name, p.channel, p.outcome])).toEqual([
      ['Mario Rossi', 'telegram', 'failed'],
      ['Mario Rossi', 'sms', 'failed'],
    ])
    expect(pages[0]?.error).toContain('Forbidden')
    // No ten-minute wait for someone the page never reached.
    await n.oncall.tick()
    expect(lastTo(n, n.chats.lucia)?.text).toContain('Sei il 2° reperibile')
  })

  it('stops paging when the bulletin’s banner is acknowledged in the room', async () => {
    const n = (night = await openNight())
    await n.bulletin('rosso')
    const [view] = n.oncall.escalations(1)
    n.events.emit('feeds:alertAcknowledged', { itemId: Number(view!.trigger.params.itemId) })
    await n.oncall.idle()
    expect(n.oncall.escalations(1)[0]).toMatchObject({ state: 'acknowledged', closedVia: 'room' })
    n.clock.advanceMinutes(15)
    await n.oncall.tick()
    expect(n.telegram.messagesTo(n.chats.lucia)).toEqual([])
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/^Presa in carico da sala \(in sala\)/)
  })
})
