import { describe, expect, it } from 'vitest'
import type { Alert } from '../../../src/shared/alerts/types'
import { alertFixture } from '../../support/alert-fixture'
import { alertChains } from '../../../src/shared/alerts/versions'

const alert = (p: Partial<Alert> & { id: number }): Alert =>
  alertFixture({
    identifier: `x-${p.id}`,
    confirmedAt: `2026-02-07T10:00:${String(p.id).padStart(2, '0')}.000Z`,
    ...p,
  })
const labels = (list: Alert[]) =>
  alertChains(list).map((c) =>
    c.versions.map((v) => (v.label.kind === 'update' ? `update ${v.label.n}` : v.label.kind)),
  )

describe('alert chains', () => {
  it('gather the alert, its updates and its cessata, whichever version each one follows', () => {
    const list = [
      alert({ id: 1 }),
      alert({ id: 2, kind: 'neve' }),
      alert({ id: 3, msgType: 'Update', referencesAlertId: 1 }),
      alert({ id: 4, msgType: 'Update', referencesAlertId: 3, level: 'rosso' }),
      alert({ id: 5, msgType: 'Cancel', referencesAlertId: 4 }),
    ]
    // Newest chain first; versions oldest first.
    expect(alertChains(list).map((c) => c.rootId)).toEqual([1, 2])
    expect(labels(list)).toEqual([['alert', 'update 1', 'update 2', 'cessata'], ['alert']])
    expect(alertChains(list)[0]!.inForce?.id).toBe(5)
  })

  it('keep a draft in the chain but not in force, and keep its number', () => {
    const list = [
      alert({ id: 1 }),
      alert({ id: 2, msgType: 'Update', referencesAlertId: 1, status: 'cancelled' }),
      alert({
        id: 3,
        msgType: 'Update',
        referencesAlertId: 1,
        status: 'draft',
        confirmedAt: null,
      }),
    ]
    expect(labels(list)).toEqual([['alert', 'update 1', 'update 2']])
    expect(alertChains(list)[0]!.inForce?.id).toBe(1)
  })

  it('start a chain at a follow-up whose first version is not in the page read', () => {
    const list = [alert({ id: 8, msgType: 'Update', referencesAlertId: 7 })]
    expect(alertChains(list)).toMatchObject([{ rootId: 8 }])
    expect(labels(list)).toEqual([['update 1']])
  })
})
