import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { RowChange } from '../../src/shared/alerts/outbox'
import AlertCallsBoard from '../../src/renderer/src/components/alerts/AlertCallsBoard.vue'
import { messages } from '../../src/renderer/src/i18n'
import { applyRowChange, type CallRow } from '../../src/renderer/src/stores/alert-calls'

/** 3 December 2026, 14:02 in Rome (13:02 UTC): whatever zone this computer is set to. */
const AT_1402 = Date.UTC(2026, 11, 3, 13, 2)
const min = 60_000

const ACCOUNT = { id: 7, name: 'Chiamate Twilio', attempts: 3 }

let nextId = 1
function row(address: string, fields: Partial<CallRow>): CallRow {
  return {
    id: nextId++,
    kind: 'alert',
    alertId: 1,
    accountId: ACCOUNT.id,
    contactId: null,
    destinationType: 'person',
    address,
    recipientName: null,
    idempotencyKey: `k${nextId}`,
    state: 'sent',
    attempts: 1,
    nextAttemptAt: 0,
    leaseUntil: null,
    providerId: 'CA1',
    segments: null,
    lastErrorCode: null,
    lastError: null,
    createdAt: AT_1402,
    updatedAt: AT_1402,
    sentAt: AT_1402,
    deliveredAt: null,
    citizenMessageId: null,
    partnerId: null,
    callAttempt: 1,
    callOutcome: null,
    callLog: [],
    of: ACCOUNT.attempts,
    ...fields,
  }
}

const ROWS: CallRow[] = [
  row('+390571000001', { state: 'queued', callAttempt: 0, providerId: null, attempts: 0 }),
  row('+390571000002', { callOutcome: 'queued' }),
  row('+390571000003', { callOutcome: 'ringing' }),
  row('+390571000004', { callOutcome: 'in_progress' }),
  row('+390571000005', {
    state: 'delivered',
    callOutcome: 'answered',
    callLog: [{ at: AT_1402, outcome: 'answered', seconds: 30 }],
  }),
  row('+390571000006', {
    state: 'delivered',
    callOutcome: 'voicemail',
    callLog: [{ at: AT_1402, outcome: 'voicemail', seconds: 25 }],
  }),
  row('+390571000007', {
    state: 'delivered',
    callOutcome: 'interrupted',
    callLog: [{ at: AT_1402, outcome: 'interrupted', seconds: 4 }],
  }),
  row('+390571000008', {
    state: 'queued',
    callOutcome: 'busy',
    nextAttemptAt: AT_1402 + 10 * min,
    lastErrorCode: 'call_busy',
    lastError: 'Occupato (tentativo 1 di 3): si richiama alle 14:12',
    callLog: [{ at: AT_1402, outcome: 'busy' }],
  }),
  row('+390571000009', {
    state: 'queued',
    callAttempt: 2,
    callOutcome: 'no_answer',
    nextAttemptAt: AT_1402 + 20 * min,
    callLog: [
      { at: AT_1402, outcome: 'no_answer' },
      { at: AT_1402 + 10 * min, outcome: 'no_answer' },
    ],
  }),
  row('+390571000010', {
    state: 'failed',
    callAttempt: 3,
    callOutcome: 'no_answer',
    lastErrorCode: 'not_reached',
    lastError:
      'Non raggiunto dopo 3 chiamate: 14:02 non risponde · 14:12 occupato · 14:22 non risponde',
    callLog: [
      { at: AT_1402, outcome: 'no_answer' },
      { at: AT_1402 + 10 * min, outcome: 'busy' },
      { at: AT_1402 + 20 * min, outcome: 'no_answer' },
    ],
  }),
  row('+15005550002', {
    state: 'failed',
    callAttempt: 0,
    providerId: null,
    lastErrorCode: '21214',
    lastError: "'To' phone number cannot be reached",
  }),
  row('+390571000012', { state: 'cancelled', callAttempt: 1, callOutcome: 'busy' }),
]

function board(locale: 'it' | 'en', rows: CallRow[] = ROWS) {
  const i18n = createI18n({ legacy: false, locale, messages })
  const w = mount(AlertCallsBoard, {
    props: { accounts: [ACCOUNT], rows },
    global: { plugins: [i18n] },
  })
  const state = (address: string) =>
    w.find(`[data-testid="call-${address}"] .call__state`).text().replace(/\s+/g, ' ')
  return { w, state }
}

describe('the calls of a voice alert on its delivery board', () => {
  it('says in Italian where each call stands, which try it is, and the times in Rome', () => {
    const { state, w } = board('it')
    expect(w.find('h3').text()).toBe('Chiamate di Chiamate Twilio')
    expect(state('+390571000001')).toBe('in attesa di chiamata')
    expect(state('+390571000002')).toBe('chiamata avviata (tentativo 1 di 3)')
    expect(state('+390571000003')).toBe('squilla (tentativo 1 di 3)')
    expect(state('+390571000004')).toBe('chiamata in corso (tentativo 1 di 3)')
    expect(state('+390571000005')).toBe('risposto (tentativo 1 di 3) alle 14:02')
    expect(state('+390571000006')).toBe('segreteria (tentativo 1 di 3) alle 14:02')
    expect(state('+390571000007')).toBe('interrotta (tentativo 1 di 3) alle 14:02')
    expect(state('+390571000008')).toBe('occupato (tentativo 1 di 3) · si richiama alle 14:12')
    expect(state('+390571000009')).toBe('non risponde (tentativo 2 di 3) · si richiama alle 14:22')
    expect(state('+390571000010')).toBe(
      'non raggiunto (tentativo 3 di 3) · Tentativi: 14:02 non risponde · 14:12 occupato · 14:22 non risponde',
    )
    expect(state('+15005550002')).toBe("non chiamato · 'To' phone number cannot be reached")
    expect(state('+390571000012')).toBe('non chiamato (invio fermato) (tentativo 1 di 3)')
  })

  it('says the same in English', () => {
    const { state } = board('en')
    expect(state('+390571000004')).toBe('call in progress (attempt 1 of 3)')
    expect(state('+390571000006')).toBe('voicemail (attempt 1 of 3) at 14:02')
    expect(state('+390571000008')).toBe('busy (attempt 1 of 3) · calling again at 14:12')
    expect(state('+390571000010')).toBe(
      'not reached (attempt 3 of 3) · Tries: 14:02 no answer · 14:12 busy · 14:22 no answer',
    )
  })

  it('moves a call as its row changes: placed, busy and waiting to be called again, answered', () => {
    let r = row('+390571999999', { state: 'queued', callAttempt: 0, attempts: 0 })
    const change = (fields: Partial<RowChange>): RowChange => ({
      id: r.id,
      kind: 'alert',
      alertId: 1,
      accountId: ACCOUNT.id,
      state: 'sent',
      attempts: 1,
      at: AT_1402,
      ...fields,
    })
    const shown = () => board('it', [r]).state('+390571999999')

    r = applyRowChange(r, change({ call: { outcome: 'queued', attempt: 1, of: 3 } }))
    expect(shown()).toBe('chiamata avviata (tentativo 1 di 3)')
    r = applyRowChange(
      r,
      change({
        state: 'queued',
        lastErrorCode: 'call_busy',
        lastError: 'Occupato (tentativo 1 di 3): si richiama alle 14:12',
        call: { outcome: 'busy', attempt: 1, of: 3 },
      }),
    )
    // The redial time comes with the next read of the row, not with the event.
    expect(shown()).toBe('occupato (tentativo 1 di 3)')
    r = applyRowChange(
      r,
      change({ state: 'sent', attempts: 2, call: { outcome: 'queued', attempt: 2, of: 3 } }),
    )
    expect(shown()).toBe('chiamata avviata (tentativo 2 di 3)')
    expect(r.lastError).toBeNull()
    r = {
      ...applyRowChange(
        r,
        change({
          state: 'delivered',
          attempts: 2,
          call: { outcome: 'answered', attempt: 2, of: 3 },
        }),
      ),
      callLog: [
        { at: AT_1402, outcome: 'busy' },
        { at: AT_1402 + 10 * min, outcome: 'answered', seconds: 30 },
      ],
    }
    expect(shown()).toBe('risposto (tentativo 2 di 3) alle 14:12')
  })

  it('gives no try count on an account that calls each person once', () => {
    const once = row('+390571888888', {
      state: 'failed',
      callOutcome: 'busy',
      lastErrorCode: 'not_reached',
      callLog: [{ at: AT_1402, outcome: 'busy' }],
      of: 1,
    })
    expect(board('it', [once]).state('+390571888888')).toBe(
      'non raggiunto · Tentativi: 14:02 occupato',
    )
  })
})
