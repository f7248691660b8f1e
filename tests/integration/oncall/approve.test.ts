import { afterEach, describe, expect, it } from 'vitest'
import { lastTo, openNight, type Night } from './support'

/**
 * Approving a draft from the phone: «Apri bozza» on a bulletin's page shows the draft the
 * composer would start (texts per channel, comuni, recipients, cost) with its fingerprint;
 * «APPROVA <n> <PIN>» confirms it through the room's own confirmation, within the limits.
 */

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

const PIN = '73915'
const LUCIA_PIN = '48260'

const status = (n: Night, id: number) =>
  (n.db.prepare('SELECT status FROM alerts WHERE id = ?').get(id) as { status: string }).status
const queued = (n: Night, id: number) =>
  (
    n.db
      .prepare(`SELECT count(*) AS c FROM outbox WHERE alert_id = ? AND state = 'queued'`)
      .get(id) as { c: number }
  ).c
const actions = (n: Night) => n.journal.map((e) => e.action)
const refusals = (n: Night) =>
  n.journal
    .filter((e) => e.action === 'oncall.phoneRefused')
    .map((e) => (e.detail as { reason: string }).reason)

/** A bulletin pages Mario; he takes it and opens the draft; returns the draft's alert id. */
async function takenAndShown(n: Night, level: 'arancione' | 'rosso' = 'arancione') {
  n.oncall.setPin(n.people.mario, PIN, 'Giulia')
  n.oncall.setPin(n.people.lucia, LUCIA_PIN, 'Giulia')
  await n.bulletin(level)
  const page = n.telegram.messagesTo(n.chats.mario)[0]!
  n.telegram.press(n.chats.mario, page.messageId, 'Prendo io')
  await n.pollInbox()
  // Taken, the draft not opened yet: the bot is still read often for the press to come.
  expect(n.oncall.phoneWaiting()).toBe(true)
  // The taker keeps «Apri bozza»; the others' buttons are gone.
  expect(page.keyboard?.flat().map((b) => b.text)).toEqual(['Apri bozza'])
  n.telegram.press(n.chats.mario, page.messageId, 'Apri bozza')
  await n.pollInbox()
  const shown = n.telegram.messagesTo(n.chats.mario).find((m) => m.text.startsWith('BOZZA n.'))!
  expect(shown).toBeDefined()
  const id = Number(/^BOZZA n\. (\d+)/.exec(shown.text)![1])
  return { id, shown: shown.text, page }
}

describe('«Apri bozza» for a bulletin', () => {
  it('shows the draft as the room’s preview would, with a fingerprint', async () => {
    const n = (night = await openNight({ phoneDrafts: {}, recipients: 40 }))
    const { id, shown } = await takenAndShown(n)
    expect(status(n, id)).toBe('draft')
    const preview = n.alerts.preview(id)
    const sms = preview.accounts[0]!
    expect(sms.messages).toBe(40)
    expect(shown).toContain('allerta arancione')
    expect(shown).toContain(`SMS Skebby (SMS) — 40 destinatari, ${sms.segments} SMS ciascuno`)
    expect(shown).toContain(sms.text)
    expect(shown).toContain('Totale: 40 messaggi')
    expect(shown).toMatch(/Impronta della bozza: [0-9A-F]{4}-[0-9A-F]{4}/)
    expect(shown).toContain(`APPROVA ${id} seguito da uno spazio e dal tuo PIN`)
    // Started by the composer's own service, in the name of who opened it.
    expect(n.journal.find((e) => e.action === 'alerts.create')).toMatchObject({
      actor: 'Mario Rossi (da Telegram)',
      subject: `alert:${id}`,
    })
    expect(n.journal.find((e) => e.action === 'oncall.draftShown')).toMatchObject({
      detail: { via: 'Telegram', alertId: id },
    })
  })
})

describe('APPROVA from the phone', () => {
  it('confirms the draft with the PIN, through the room’s confirmation and its cancel window', async () => {
    const n = (night = await openNight({ phoneDrafts: {}, recipients: 40 }))
    const { id } = await takenAndShown(n)
    // While the draft waits, the room's bot is read often (press-watch.ts).
    expect(n.oncall.phoneWaiting()).toBe(true)
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('scheduled')
    expect(queued(n, id)).toBe(40)
    expect(n.oncall.phoneWaiting()).toBe(false)
    const alert = n.alerts.get(id)
    expect(alert.confirmedBy).toBe('Mario Rossi (da Telegram)')
    // The room's default cancel window (10 s), as a confirmation in the room.
    expect(alert.sendAfter! - Date.parse(alert.confirmedAt!)).toBe(10_000)
    expect(n.journal.find((e) => e.action === 'alerts.confirm')).toMatchObject({
      actor: 'Mario Rossi (da Telegram)',
      detail: { rows: 40, cancelWindowSeconds: 10 },
    })
    expect(n.journal.find((e) => e.action === 'oncall.phoneApproved')).toMatchObject({
      actor: 'Mario Rossi',
      detail: { via: 'Telegram', approvedBy: ['Mario Rossi'], rows: 40 },
    })
    expect(lastTo(n, n.chats.mario)?.text).toMatch(
      new RegExp(
        `^Allerta n\\. ${id} confermata \\(Mario Rossi, da Telegram\\): 40 messaggi partono tra 10 secondi`,
      ),
    )
    // The PIN left the chat, and the inbox never saw it.
    expect(n.telegram.said(n.chats.mario)).toEqual([])
    expect(n.db.prepare('SELECT count(*) AS c FROM citizen_messages').get()).toEqual({ c: 0 })
    expect(JSON.stringify(n.journal)).not.toContain(PIN)
    // STOP within the window stops it: nothing leaves.
    n.telegram.say(n.chats.mario, `STOP ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('stopped')
    expect(queued(n, id)).toBe(0)
  })

  it('locks the PIN after 5 wrong tries, shared with STOP', async () => {
    const n = (night = await openNight({ phoneDrafts: {} }))
    const { id } = await takenAndShown(n)
    n.telegram.say(n.chats.mario, `STOP ${id} 11110`)
    await n.pollInbox()
    for (let i = 1; i < 5; i++) {
      n.telegram.say(n.chats.mario, `APPROVA ${id} 1111${i}`)
      await n.pollInbox()
    }
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/il PIN è bloccato/)
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/bloccato dopo 5 tentativi/)
    expect(status(n, id)).toBe('draft')
    expect(refusals(n)).toEqual([
      'wrong_pin',
      'wrong_pin',
      'wrong_pin',
      'wrong_pin',
      'wrong_pin',
      'locked',
    ])
  })

  it('does nothing for an unknown chat, and refuses a replayed message', async () => {
    const n = (night = await openNight({ phoneDrafts: {} }))
    const { id } = await takenAndShown(n)
    n.telegram.addPerson('555555555', 'Estraneo')
    n.telegram.say('555555555', `APPROVA ${id} ${PIN}`)
    const sent = n.telegram.messages.length
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    expect(n.telegram.messages.length).toBe(sent)
    expect(actions(n).filter((a) => a.startsWith('oncall.phone'))).toEqual([])

    // A replayed «Apri bozza» press (the same callback query again) is refused too.
    const page = n.telegram.messagesTo(n.chats.mario)[0]!
    const pressId = n.telegram.press(n.chats.mario, page.messageId, 'Apri bozza')
    await n.pollInbox()
    const press = n.telegram.requests.length
    n.telegram.pushUpdate({
      callback_query: {
        id: pressId,
        from: { id: Number(n.chats.mario), is_bot: false, first_name: 'Mario' },
        message: {
          message_id: page.messageId,
          chat: { id: Number(n.chats.mario), type: 'private' },
          date: 0,
        },
        data: `oc:1:draft`,
      },
    })
    await n.pollInbox()
    expect(n.telegram.requests.slice(press).filter((r) => r.path.endsWith('/sendMessage'))).toEqual(
      [],
    )

    const { update } = n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('scheduled')
    const answered = n.telegram.messagesTo(n.chats.mario).length
    const { update_id: _, ...again } = update
    n.telegram.pushUpdate(again)
    await n.pollInbox()
    expect(n.telegram.messagesTo(n.chats.mario).length).toBe(answered)
    expect(actions(n).filter((a) => a === 'oncall.phoneApproved')).toHaveLength(1)
    expect(actions(n).filter((a) => a === 'alerts.confirm')).toHaveLength(1)
    expect(n.logLines.some((l) => l.includes('APPROVA già ricevuto'))).toBe(true)
  })

  it('refuses a draft that changed after it was shown, and shows it again', async () => {
    const n = (night = await openNight({ phoneDrafts: {} }))
    const { id, shown } = await takenAndShown(n)
    const before = /Impronta della bozza: (\S+)/.exec(shown)![1]
    // Someone edits the draft in the room meanwhile.
    n.alerts.updateDraft(
      id,
      { texts: { sms: 'Allerta arancione: testo cambiato in sala.' } },
      'Giulia',
    )
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    const told = n.telegram.messagesTo(n.chats.mario).slice(-2)
    expect(told[0]!.text).toMatch(
      new RegExp(
        `^Non approvata: la bozza n\\. ${id} è cambiata da quando l’hai vista \\(impronta ${before}`,
      ),
    )
    expect(told[1]!.text).toContain('testo cambiato in sala')
    expect(n.journal.find((e) => e.action === 'oncall.phoneRefused')).toMatchObject({
      detail: { command: 'approve', reason: 'changed', shown: before },
    })
    // What they saw now is what they approve.
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('scheduled')
    expect(n.alerts.get(id).texts.sms).toBe('Allerta arancione: testo cambiato in sala.')
  })

  it('refuses an approval from someone who did not take the page, or never saw the draft', async () => {
    const n = (night = await openNight({ phoneDrafts: {} }))
    const { id } = await takenAndShown(n)
    n.telegram.say(n.chats.lucia, `APPROVA ${id} ${LUCIA_PIN}`)
    await n.pollInbox()
    expect(lastTo(n, n.chats.lucia)?.text).toBe(
      `Non approvata: prima apri la bozza n. ${id} (pulsante «Apri bozza»).`,
    )
    expect(status(n, id)).toBe('draft')
    expect(refusals(n)).toEqual(['not_shown'])
  })
})

describe('four eyes at a distance', () => {
  it('a red alert needs a second, different person of the chain', async () => {
    const n = (night = await openNight({ phoneDrafts: {} }))
    const { id } = await takenAndShown(n, 'rosso')
    expect(lastTo(n, n.chats.mario)?.text).toContain(
      'Serve anche l’approvazione di un secondo reperibile: è un’allerta rossa',
    )
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    expect(lastTo(n, n.chats.mario)?.text).toMatch(
      /^Approvazione registrata, in attesa del secondo: è un’allerta rossa\. Ho mandato la bozza a Lucia Bianchi, Paolo Verdi\./,
    )
    // The others got the draft, and what to do.
    const toLucia = n.telegram.messagesTo(n.chats.lucia).map((m) => m.text)
    expect(
      toLucia.some((t) => t.startsWith(`Mario Rossi ha approvato dal telefono la bozza n. ${id}`)),
    ).toBe(true)
    expect(toLucia.some((t) => t.startsWith(`BOZZA n. ${id}`))).toBe(true)
    expect(n.journal.find((e) => e.action === 'oncall.approvalPending')).toMatchObject({
      actor: 'Mario Rossi',
      detail: { why: 'red' },
    })

    // The same person twice does not count.
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    expect(lastTo(n, n.chats.mario)?.text).toMatch(/^Hai già approvato/)

    n.telegram.say(n.chats.lucia, `APPROVA ${id} ${LUCIA_PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('scheduled')
    expect(n.alerts.get(id).confirmedBy).toBe('Mario Rossi e Lucia Bianchi (da Telegram)')
    expect(lastTo(n, n.chats.lucia)?.text).toMatch(
      /confermata \(Mario Rossi e Lucia Bianchi, da Telegram\)/,
    )
    expect(lastTo(n, n.chats.mario)?.text).toMatch(
      /confermata \(Mario Rossi e Lucia Bianchi, da Telegram\)/,
    )
    expect(n.journal.find((e) => e.action === 'oncall.phoneApproved')).toMatchObject({
      actor: 'Lucia Bianchi',
      detail: { approvedBy: ['Mario Rossi', 'Lucia Bianchi'] },
    })
    // Both approvals count for this confirmation: neither is voided by it.
    expect(actions(n)).not.toContain('oncall.approvalVoided')
    expect(n.db.prepare('SELECT name, state FROM oncall_approvals ORDER BY id').all()).toEqual([
      { name: 'Mario Rossi', state: 'confirmed' },
      { name: 'Lucia Bianchi', state: 'confirmed' },
    ])
  })

  it('above the size set, one person is not enough', async () => {
    const n = (night = await openNight({ phoneDrafts: { maxRecipients: 30 }, recipients: 40 }))
    const { id, shown } = await takenAndShown(n)
    expect(shown).toContain(
      'supera i 30 destinatari che una sola persona può approvare dal telefono',
    )
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    expect(n.journal.find((e) => e.action === 'oncall.approvalPending')).toMatchObject({
      detail: { why: 'size', messages: 40 },
    })
    n.telegram.say(n.chats.lucia, `APPROVA ${id} ${LUCIA_PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('scheduled')
  })

  it('a first approval expires after 30 minutes, and a change voids it', async () => {
    const n = (night = await openNight({ phoneDrafts: {} }))
    const { id } = await takenAndShown(n, 'rosso')
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    n.clock.advanceMinutes(31)
    await n.oncall.tick()
    await n.oncall.idle()
    expect(n.journal.find((e) => e.action === 'oncall.approvalExpired')).toMatchObject({
      subject: `alert:${id}`,
      detail: { person: 'Mario Rossi', minutes: 30 },
    })
    expect(lastTo(n, n.chats.mario)?.text).toMatch(
      new RegExp(`^La tua approvazione della bozza n\\. ${id} è scaduta`),
    )
    n.telegram.say(n.chats.lucia, `APPROVA ${id} ${LUCIA_PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    expect(refusals(n)).toEqual(['not_taken'])
    expect(lastTo(n, n.chats.lucia)?.text).toBe(
      'Non approvata: la chiamata l’ha presa Mario Rossi, che decide.',
    )

    // Approved again, then the room changes the draft: the approval no longer counts.
    n.telegram.say(n.chats.mario, `APPROVA ${id} ${PIN}`)
    await n.pollInbox()
    n.alerts.updateDraft(id, { headline: 'Allerta rossa: titolo cambiato in sala' }, 'Giulia')
    await n.oncall.idle()
    expect(n.journal.find((e) => e.action === 'oncall.approvalVoided')).toMatchObject({
      detail: { person: 'Mario Rossi', reason: 'changed' },
    })
    expect(lastTo(n, n.chats.mario)?.text).toMatch(
      /è cambiata dopo la tua approvazione: non vale più/,
    )
    n.telegram.say(n.chats.lucia, `APPROVA ${id} ${LUCIA_PIN}`)
    await n.pollInbox()
    expect(status(n, id)).toBe('draft')
    expect(refusals(n).at(-1)).toBe('changed')
  })
})
