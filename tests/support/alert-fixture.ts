import type { Alert } from '../../src/shared/alerts/types'

/**
 * A whole alert as the core stores it, for tests of pure functions over alerts: a sent
 * orange flood alert for Empoli, valid a day; a test names only what it is about.
 */
export function alertFixture(over: Partial<Alert> = {}): Alert {
  return {
    id: 1,
    identifier: `vedetta-${over.id ?? 1}`,
    kind: 'idraulico',
    level: 'arancione',
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
    callsAtNight: false,
    ...over,
  }
}
