import { describe, expect, it } from 'vitest'
import type { AlertPreview } from '../../../src/shared/alerts/views'
import type { Alert } from '../../../src/shared/alerts/types'
import {
  draftFingerprint,
  draftMessages,
  secondNeeded,
} from '../../../src/main/core/oncall/phone-approvals'

const alert: Alert = {
  id: 12,
  identifier: 'urn:test:12',
  kind: 'idraulico',
  level: 'arancione',
  comuni: [{ name: 'Empoli' }, { name: 'Vinci' }],
  validFrom: '2026-02-08T02:00:00.000Z',
  validTo: '2026-02-09T02:00:00.000Z',
  headline: 'Allerta arancione per rischio idraulico',
  description: '',
  instruction: '',
  msgType: 'Alert',
  referencesAlertId: null,
  texts: {} as Alert['texts'],
  targets: { accountIds: [1, 2], listIds: [1], partnerIds: [] },
  status: 'draft',
  mode: 'real',
  createdBy: 'Mario Rossi (da Telegram)',
  createdAt: '2026-02-08T02:05:00.000Z',
  updatedAt: '2026-02-08T02:05:00.000Z',
  confirmedBy: null,
  confirmedAt: null,
  sendAfter: null,
  finishedAt: null,
  callsAtNight: false,
}

function preview(smsRecipients: number, emailBody: string): AlertPreview {
  return {
    alertId: 12,
    accounts: [
      {
        accountId: 1,
        accountName: 'SMS famiglie',
        kind: 'sms_gateway',
        family: 'sms',
        audience: 'people',
        enabled: true,
        text: 'Allerta arancione idraulica: evita i sottopassi.',
        count: null,
        messages: smsRecipients,
        skipped: [],
        skippedSample: [],
        segments: 1,
        estimatedCost: smsRecipients * 0.045,
        warnings: [],
      },
      {
        accountId: 2,
        accountName: 'Posta della sala',
        kind: 'smtp',
        family: 'email',
        audience: 'people',
        enabled: true,
        text: emailBody,
        subject: 'Allerta arancione',
        count: null,
        messages: 120,
        skipped: [],
        skippedSample: [],
        warnings: [],
      },
    ],
    relays: [],
    warnings: [],
    totals: { messages: smsRecipients + 120, smsSegments: smsRecipients, estimatedCost: 1.8 },
    ok: true,
  } as AlertPreview
}

describe('the draft on the phone', () => {
  it('says each channel’s text, recipients and cost, in messages Telegram accepts', () => {
    const body = 'Testo lungo della mail. '.repeat(400)
    const messages = draftMessages(alert, preview(40, body), 'ABCD-1234', 500)
    expect(messages.length).toBeGreaterThan(1)
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(4096)
    const all = messages.join('\n\n')
    expect(all).toContain('BOZZA n. 12 — allerta arancione, rischio idraulico')
    expect(all).toContain('Comuni: Empoli, Vinci')
    expect(all).toContain('SMS famiglie (SMS) — 40 destinatari, 1 SMS ciascuno, ≈ 1,80 €')
    expect(all).toContain('Posta della sala (e-mail) — 120 destinatari')
    expect(all).toContain('Oggetto: Allerta arancione')
    // The whole text is there, cut across messages but not lost.
    expect(all.replace(/\n\n/g, '')).toContain(body.replace(/\n\n/g, '').slice(0, 3000))
    expect(messages.at(-1)).toContain('Impronta della bozza: ABCD-1234')
    expect(messages.at(-1)).toContain('APPROVA 12 seguito da uno spazio e dal tuo PIN')
  })

  it('has a fingerprint that changes with the texts, the recipients and the version', () => {
    const base = draftFingerprint(alert, preview(40, 'Testo'))
    expect(base).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}$/)
    expect(draftFingerprint(alert, preview(40, 'Testo'))).toBe(base)
    expect(draftFingerprint(alert, preview(41, 'Testo'))).not.toBe(base)
    expect(draftFingerprint(alert, preview(40, 'Testo cambiato'))).not.toBe(base)
    expect(
      draftFingerprint({ ...alert, updatedAt: '2026-02-08T02:06:00.000Z' }, preview(40, 'Testo')),
    ).not.toBe(base)
    expect(
      draftFingerprint(
        { ...alert, targets: { ...alert.targets, listIds: [1, 2] } },
        preview(40, 'Testo'),
      ),
    ).not.toBe(base)
  })

  it('needs a second person for a red alert, or above the size set', () => {
    expect(secondNeeded(alert, preview(40, ''), 500)).toBeUndefined()
    expect(secondNeeded(alert, preview(400, ''), 500)).toBe('size')
    expect(secondNeeded({ ...alert, level: 'rosso' }, preview(1, ''), 500)).toBe('red')
  })
})
