import { describe, expect, it } from 'vitest'
import { currentLevels } from '../../../src/shared/alerts/levels'
import type { Alert } from '../../../src/shared/alerts/types'

let nextId = 1
function alert(p: Partial<Alert>): Alert {
  return {
    id: nextId++,
    identifier: 'x',
    kind: 'neve',
    level: 'giallo',
    comuni: [{ name: 'Empoli' }],
    validFrom: '2026-02-07T00:00:00.000Z',
    validTo: '2026-02-09T00:00:00.000Z',
    headline: 'h',
    description: '',
    instruction: '',
    msgType: 'Alert',
    referencesAlertId: null,
    texts: {} as Alert['texts'],
    targets: { accountIds: [], listIds: [], partnerIds: [] },
    status: 'done',
    mode: 'real',
    createdBy: 'op',
    createdAt: '2026-02-07T00:00:00.000Z',
    updatedAt: '2026-02-07T00:00:00.000Z',
    confirmedBy: 'op',
    confirmedAt: '2026-02-07T10:00:00.000Z',
    sendAfter: 0,
    finishedAt: null,
    ...p,
  }
}
const now = new Date('2026-02-08T12:00:00.000Z')

describe('the level in force per comune', () => {
  it('is the latest confirmed, valid alert covering the comune, green elsewhere', () => {
    const levels = currentLevels(
      [
        alert({
          level: 'giallo',
          comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
          confirmedAt: '2026-02-07T10:00:00.000Z',
        }),
        alert({
          level: 'arancione',
          comuni: [{ name: 'Empoli' }],
          confirmedAt: '2026-02-07T18:00:00.000Z',
        }),
      ],
      ['Empoli', 'Vinci', 'Certaldo'],
      now,
    )
    expect(levels.map((l) => [l.comune, l.level])).toEqual([
      ['Empoli', 'arancione'],
      ['Vinci', 'giallo'],
      ['Certaldo', 'verde'],
    ])
  })

  it('ignores drafts, cancelled and stopped alerts, and expired ones', () => {
    const levels = currentLevels(
      [
        alert({ level: 'rosso', status: 'draft', confirmedAt: null }),
        alert({ level: 'rosso', status: 'cancelled' }),
        alert({ level: 'rosso', status: 'stopped' }),
        alert({ level: 'rosso', validTo: '2026-02-08T00:00:00.000Z' }),
      ],
      ['Empoli'],
      now,
    )
    expect(levels[0]).toMatchObject({ level: 'verde', alertId: null })
  })

  it('goes back to green after a cessata allerta', () => {
    const levels = currentLevels(
      [
        alert({ level: 'rosso', confirmedAt: '2026-02-07T10:00:00.000Z' }),
        alert({
          kind: 'cessata_allerta',
          level: 'verde',
          msgType: 'Cancel',
          confirmedAt: '2026-02-08T09:00:00.000Z',
        }),
      ],
      ['Empoli'],
      now,
    )
    expect(levels[0]!.level).toBe('verde')
  })
})
