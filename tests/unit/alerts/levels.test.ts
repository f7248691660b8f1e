import { describe, expect, it } from 'vitest'
import { currentLevels } from '../../../src/shared/alerts/levels'
import type { Alert } from '../../../src/shared/alerts/types'
import { alertFixture } from '../../support/alert-fixture'

let nextId = 1
const alert = (p: Partial<Alert>): Alert =>
  alertFixture({ id: nextId++, identifier: 'x', kind: 'neve', level: 'giallo', ...p })
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

  describe('follows the latest confirmed version of an alert and its follow-ups', () => {
    const original = alert({
      id: 100,
      level: 'arancione',
      comuni: [{ name: 'Empoli' }],
      confirmedAt: '2026-02-07T10:00:00.000Z',
    })
    const update = alert({
      id: 101,
      level: 'rosso',
      comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
      msgType: 'Update',
      referencesAlertId: 100,
      validTo: '2026-02-10T00:00:00.000Z',
      confirmedAt: '2026-02-07T16:00:00.000Z',
    })
    const cessata = alert({
      id: 102,
      level: 'rosso',
      comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
      msgType: 'Cancel',
      referencesAlertId: 101,
      validTo: '2026-02-10T00:00:00.000Z',
      confirmedAt: '2026-02-08T09:00:00.000Z',
    })
    const at = (list: Alert[]) =>
      currentLevels(list, ['Empoli', 'Vinci'], now).map((l) => [l.comune, l.level, l.alertId])

    it('orange Empoli, then red Empoli and Vinci, then green for both after the cessata', () => {
      expect(at([original])).toEqual([
        ['Empoli', 'arancione', 100],
        ['Vinci', 'verde', null],
      ])
      expect(at([original, update])).toEqual([
        ['Empoli', 'rosso', 101],
        ['Vinci', 'rosso', 101],
      ])
      expect(at([original, update, cessata])).toEqual([
        ['Empoli', 'verde', null],
        ['Vinci', 'verde', null],
      ])
    })

    it('a draft update changes nothing until it is confirmed', () => {
      const draft = { ...update, status: 'draft' as const, confirmedAt: null }
      expect(at([original, draft])).toEqual([
        ['Empoli', 'arancione', 100],
        ['Vinci', 'verde', null],
      ])
    })

    it('a cessata of the first version still ends a comune the update added', () => {
      const early = { ...cessata, referencesAlertId: 100, comuni: [{ name: 'Empoli' }] }
      expect(at([original, update, early])).toEqual([
        ['Empoli', 'verde', null],
        ['Vinci', 'verde', null],
      ])
    })

    it('a comune the update takes out goes back to green', () => {
      const both = { ...original, comuni: [{ name: 'Empoli' }, { name: 'Vinci' }] }
      const onlyEmpoli = { ...update, comuni: [{ name: 'Empoli' }] }
      expect(at([both, onlyEmpoli])).toEqual([
        ['Empoli', 'rosso', 101],
        ['Vinci', 'verde', null],
      ])
    })
  })
})
