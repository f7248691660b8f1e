import { afterEach, describe, expect, it } from 'vitest'
import { createPartnersRepository } from '../../../src/main/core/partners'
import { DEFAULT_ONCALL_SETTINGS } from '../../../src/shared/contract/oncall'
import { lastTo, openNight, type Night } from './support'

/**
 * A red alert went out at 03:00 asking two schools to relay it to their families. After
 * the minutes set (30 by default) one has not: the person on call is paged with its name,
 * once for that alert, even across ticks; a school that confirmed is not named.
 */

let night: Night | undefined
afterEach(async () => {
  await night?.dispose()
  night = undefined
})

function redAlertWithRelays(n: Night) {
  const partners = createPartnersRepository(n.db)
  const checchi = partners.create({
    name: 'Scuola primaria di Spicchio',
    relayMode: 'message_admins',
  }).id
  const enriques = partners.create({ name: 'Istituto Fermi', relayMode: 'message_admins' }).id
  const alertId = n.scheduledAlert(2)
  n.db.prepare("UPDATE alerts SET status = 'sending' WHERE id = ?").run(alertId)
  const at = n.clock.now().toISOString()
  const request = n.db.prepare(
    "INSERT INTO relay_requests (alert_id, partner_id, status, requested_at) VALUES (?, ?, 'requested', ?)",
  )
  request.run(alertId, checchi, at)
  request.run(alertId, enriques, at)
  return { alertId, checchi, enriques }
}

describe('a partner that has not relayed a red alert', () => {
  it('pages the person on call after the minutes set, naming the silent partners, once', async () => {
    const n = (night = await openNight())
    const { alertId, enriques } = redAlertWithRelays(n)
    n.clock.advanceMinutes(20)
    await n.oncall.tick()
    await n.oncall.idle()
    expect(n.oncall.escalations(5)).toEqual([]) // still within the 30 minutes

    n.db
      .prepare(
        "UPDATE relay_requests SET status = 'confirmed', confirmed_at = ? WHERE partner_id = ?",
      )
      .run(n.clock.now().toISOString(), enriques)
    n.clock.advanceMinutes(11)
    await n.oncall.tick()
    await n.oncall.idle()
    const page = lastTo(n, n.chats.mario)?.text ?? ''
    expect(page).toContain('Scuola primaria di Spicchio non ha ancora ripreso l’allerta rossa')
    expect(page).toContain('«Allerta rossa per rischio idraulico», inviata alle 03:00.')
    expect(page).not.toContain('Fermi')
    const [e] = n.oncall.escalations(5)
    expect(e).toMatchObject({ trigger: { kind: 'relay', params: { alertId } } })

    // Taken, and still not relayed: it does not page again for the same alert.
    n.oncall.acknowledge(e!.id, 'Giulia')
    n.clock.advanceMinutes(10)
    await n.oncall.tick()
    await n.oncall.idle()
    expect(n.oncall.escalations(5)).toHaveLength(1)
  })

  it('pages nobody when switched off, or for an alert an update has replaced', async () => {
    const off = { triggers: { ...DEFAULT_ONCALL_SETTINGS.triggers, relays: false } }
    const n = (night = await openNight({ settings: off }))
    const { alertId } = redAlertWithRelays(n)
    n.clock.advanceMinutes(31)
    await n.oncall.tick()
    expect(n.oncall.escalations(5)).toEqual([])

    n.oncall.roster.updateSettings({ triggers: DEFAULT_ONCALL_SETTINGS.triggers }, 'Giulia')
    const update = n.alerts.createFollowUp(alertId, { msgType: 'Update' }, 'Giulia')
    n.alerts.confirm(update.id, 'Giulia', { cancelWindowSeconds: 0 })
    await n.oncall.tick()
    await n.oncall.idle()
    expect(n.oncall.escalations(5)).toEqual([])
  })
})
