import { afterEach, describe, expect, it } from 'vitest'
import { createChannelHealthRepository } from '../../../src/main/core/channels/health-repository'
import { lastTo, openNight, type Night } from './support'

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

describe('what pages the person on call', () => {
  it('a dispatcher stall that lasts the grace minutes, once while it lasts, again if it comes back', async () => {
    const n = (night = await openNight())
    n.health.raise('dispatcher', 'Invio fermo: disco pieno. Riprovo da solo; nulla è perso.')
    await n.oncall.tick()
    expect(n.telegram.messagesTo(n.chats.mario)).toEqual([]) // a blip does not wake anyone
    n.clock.advanceMinutes(3)
    await n.oncall.tick()
    await n.oncall.idle()
    expect(lastTo(n, n.chats.mario)?.text).toContain(
      'Vedetta ha un problema: Invio fermo: disco pieno',
    )
    // Still stalled: no second page (the escalation goes on by its own clock).
    n.health.raise(
      'dispatcher',
      'Invio fermo: disco pieno (ancora). Riprovo da solo; nulla è perso.',
    )
    await n.oncall.tick()
    expect(n.telegram.messagesTo(n.chats.mario)).toHaveLength(1)

    const [first] = n.oncall.escalations(1)
    n.oncall.acknowledge(first!.id, 'Giulia')
    n.health.clear('dispatcher')
    await n.oncall.tick()
    n.health.raise('dispatcher', 'Invio fermo: database bloccato. Riprovo da solo; nulla è perso.')
    n.clock.advanceMinutes(3)
    await n.oncall.tick()
    await n.oncall.idle()
    expect(n.oncall.escalations(5).map((e) => e.trigger.kind)).toEqual(['health', 'health'])
    expect(lastTo(n, n.chats.mario)?.text).toContain('database bloccato')
  })

  it('a channel account whose sends keep failing', async () => {
    const n = (night = await openNight())
    const health = createChannelHealthRepository(n.db)
    health.recordError(
      n.smsAccountId,
      n.clock.now().toISOString(),
      'Gateway SMS: credenziali rifiutate',
    )
    await n.oncall.tick()
    n.clock.advanceMinutes(3)
    await n.oncall.tick()
    await n.oncall.idle()
    expect(lastTo(n, n.chats.mario)?.text).toContain('Il canale «SMS Skebby» non funziona')
    expect(lastTo(n, n.chats.mario)?.text).toContain('credenziali rifiutate')
    // It sends again: no more pages for it.
    health.recordSuccess(n.smsAccountId, n.clock.now().toISOString())
    n.clock.advanceMinutes(3)
    await n.oncall.tick()
    expect(n.oncall.escalations(5)).toHaveLength(1)
  })

  it('not a bulletin below the chosen level, nor one that is switched off', async () => {
    const n = (night = await openNight({
      settings: { triggers: { minLevel: 'arancione' } as never },
    }))
    await n.bulletin('giallo', 'cfr-g-1')
    expect(n.oncall.escalations(5)).toEqual([])
    n.oncall.roster.updateSettings({ triggers: { bulletins: false } as never }, 'Giulia')
    await n.bulletin('rosso', 'cfr-r-1')
    expect(n.oncall.escalations(5)).toEqual([])
    expect(n.telegram.messages).toEqual([])
  })

  it('with nobody on call, says so in Stato and the journal instead of paging', async () => {
    const n = (night = await openNight({ start: '2026-02-08T12:00:00.000Z' })) // Sunday 13:00
    await n.bulletin('rosso')
    expect(n.telegram.messages).toEqual([])
    expect(n.oncall.escalations(1)[0]).toMatchObject({ state: 'unstaffed', chain: [] })
    expect(n.journal.map((e) => e.action)).toContain('oncall.unstaffed')
    expect(n.health.list()).toEqual([
      expect.objectContaining({
        source: 'oncall',
        message: expect.stringContaining('Nessun reperibile in turno'),
      }),
    ])
  })

  it('nothing at all while the roster has no shifts (on call not in use)', async () => {
    const n = (night = await openNight())
    for (const s of n.oncall.getRoster().shifts) n.oncall.roster.deleteShift(s.id, 'Giulia')
    await n.bulletin('rosso')
    n.health.raise('dispatcher', 'Invio fermo: disco pieno.')
    n.clock.advanceMinutes(5)
    await n.oncall.tick()
    expect(n.oncall.escalations(5)).toEqual([])
    expect(n.health.list().map((p) => p.source)).toEqual(['dispatcher'])
    expect(n.telegram.messages).toEqual([])
  })

  it('the same bulletin read again does not page twice', async () => {
    const n = (night = await openNight())
    await n.bulletin('rosso')
    await n.bulletin('rosso')
    expect(n.oncall.escalations(5)).toHaveLength(1)
    expect(n.telegram.messagesTo(n.chats.mario)).toHaveLength(1)
  })
})
