import { afterEach, describe, expect, it } from 'vitest'
import type { AccountPreview } from '../../../src/main/core/alerts/preview'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  phones,
  SMS_TEXT,
  stateCounts,
  type Workspace,
} from './support'

let ws: Workspace
afterEach(() => ws?.dispose())

const codes = (a: AccountPreview | undefined) => a?.warnings.map((w) => w.code) ?? []

describe('preview before sending', () => {
  it('counts SMS recipients after opt-outs, landlines and duplicates, with parts and cost', () => {
    ws = openWorkspace()
    const sms = addAccount(ws, 'sms_gateway', 'Gateway scuole', { pricePerSegment: 0.045 })
    const [a, b, c] = phones(3)
    const alerts = alertsService(
      ws,
      listsResolver({
        1: {
          sms: [a!, b!],
          skipped: [
            { contactId: 901, reason: 'landline', address: '+390571123456' },
            { contactId: 902, reason: 'opted_out' },
          ],
        },
        // The same parent on two school lists gets one SMS.
        2: { sms: [b!, c!] },
      }),
    )
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [sms], listIds: [1, 2] } }),
      'Maria',
    )
    const preview = alerts.preview(alert.id)
    const gateway = preview.accounts[0]!

    expect(gateway).toMatchObject({
      accountName: 'Gateway scuole',
      family: 'sms',
      messages: 3,
      segments: 1,
    })
    expect(gateway.text).toBe(SMS_TEXT)
    expect(gateway.count?.sms?.encoding).toBe('GSM-7')
    expect(gateway.skipped).toEqual(
      expect.arrayContaining([
        { reason: 'landline', count: 1 },
        { reason: 'opted_out', count: 1 },
        { reason: 'duplicate', count: 1 },
      ]),
    )
    expect(gateway.skippedSample.find((s) => s.reason === 'duplicate')?.address).toBe(b)
    expect(gateway.estimatedCost).toBeCloseTo(3 * 0.045, 6)
    expect(preview.totals).toEqual({ messages: 3, smsSegments: 3, estimatedCost: 0.135 })
    expect(preview.ok).toBe(true)
    // A preview writes nothing.
    expect(stateCounts(ws.db, alert.id)).toEqual({})
  })

  it('says how long a call speaks and what the calls cost, from one try each to every try', () => {
    ws = openWorkspace()
    const voice = addAccount(ws, 'voice_twilio', 'Chiamate', { pricePerMinute: 0.1, attempts: 3 })
    const alerts = alertsService(ws, listsResolver({ 1: { voice: phones(40) } }))
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [voice], listIds: [1] } }),
      'Maria',
    )
    const calls = alerts.preview(alert.id).accounts[0]!
    expect(calls).toMatchObject({ family: 'voice', messages: 40, callAttempts: 3 })
    // The test's voice text speaks for about 20 s: one minute billed per call.
    expect(calls.spokenSeconds).toBeGreaterThan(10)
    expect(calls.spokenSeconds).toBeLessThan(60)
    expect(calls.estimatedCost).toBeCloseTo(40 * 0.1, 6)
    expect(calls.estimatedCostMax).toBeCloseTo(3 * 40 * 0.1, 6)
  })

  it('shows the approved WhatsApp template filled with the alert, and refuses one that leaves a hole', () => {
    ws = openWorkspace()
    const wa = addAccount(ws, 'whatsapp_cloud', 'WhatsApp', {
      templateVariables: 'livello,comuni,istruzioni',
      templateBody: 'Allerta {{1}} su {{2}}. {{3}}',
      pricePerMessage: 0.05,
    })
    const gap = addAccount(ws, 'whatsapp_twilio', 'WhatsApp Twilio', {
      templateVariables: 'titolo,link',
    })
    const alerts = alertsService(ws, listsResolver({}))
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [wa, gap], listIds: [] } }),
      'Maria',
    )
    const [filled, holed] = alerts.preview(alert.id).accounts
    expect(filled!.text).toBe(
      'Allerta ARANCIONE su Empoli e Vinci. Evita gli spostamenti non necessari.',
    )
    expect(codes(filled)).not.toContain('whatsapp_template')
    const problem = holed!.warnings.find((w) => w.code === 'whatsapp_template')
    expect(problem).toMatchObject({ severity: 'error' })
    expect(problem?.params?.message).toMatch(/lascia vuoti: link/)
  })

  it('names the characters that turn an SMS into UCS-2 and what it costs', () => {
    ws = openWorkspace()
    const sms = addAccount(ws, 'sms_gateway', 'Gateway', { pricePerSegment: 0.05 })
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(10) } }))
    // "È" capital and the typographic apostrophe are not in GSM-7.
    const text = `È allerta rossa: l’acqua sale. ${'Resta ai piani alti. '.repeat(3)}`
    const alert = alerts.createDraft(
      draftInput({ texts: { sms: text }, targets: { accountIds: [sms], listIds: [1] } }),
      'Maria',
    )
    const gateway = alerts.preview(alert.id).accounts[0]!
    const ucs2 = gateway.warnings.find((w) => w.code === 'ucs2')
    expect(ucs2).toMatchObject({ severity: 'warning', params: { chars: 'È ’', segments: 2 } })
    expect(gateway.segments).toBe(2)
    expect(gateway.estimatedCost).toBeCloseTo(2 * 10 * 0.05, 6)
  })

  it('blocks texts a channel would refuse and accounts that cannot send', () => {
    ws = openWorkspace()
    const x = addAccount(ws, 'x', 'X Protezione civile', { handle: 'pc' })
    const off = addAccount(
      ws,
      'mastodon',
      'Mastodon spento',
      { baseUrl: 'https://m.example' },
      false,
    )
    const tg = addAccount(ws, 'telegram', 'Canale Telegram', { chatId: '@pc' })
    const mail = addAccount(ws, 'email_smtp', 'Posta', { fromAddress: 'pc@example.org' })
    const alerts = alertsService(ws, listsResolver({}), {
      accountHealth: (id) =>
        id === tg ? { ok: false, message: 'Token del bot rifiutato' } : undefined,
    })
    const alert = alerts.createDraft(
      draftInput({
        texts: {
          x: 'Neve '.repeat(80),
          mastodon: 'Allerta per {{comuni}}',
          telegram: 'Allerta neve',
          email_body: 'Testo',
          email_subject: '',
        },
        targets: { accountIds: [x, off, tg, mail, 999] },
      }),
      'Maria',
    )
    const preview = alerts.preview(alert.id)
    const byId = (id: number) => preview.accounts.find((a) => a.accountId === id)

    expect(byId(x)?.warnings).toContainEqual({
      code: 'over_limit',
      severity: 'error',
      params: { length: 400, limit: 280 },
    })
    expect(codes(byId(off))).toEqual(expect.arrayContaining(['account_disabled', 'missing_value']))
    expect(byId(off)?.warnings.find((w) => w.code === 'missing_value')?.params).toEqual({
      name: 'comuni',
    })
    expect(byId(tg)?.warnings).toEqual([
      {
        code: 'account_failing',
        severity: 'warning',
        params: { message: 'Token del bot rifiutato' },
      },
    ])
    expect(codes(byId(mail))).toEqual(expect.arrayContaining(['empty_subject', 'no_recipients']))
    expect(codes(byId(999))).toEqual(['account_missing'])
    expect(preview.ok).toBe(false)

    expect(() => alerts.confirm(alert.id, 'Maria')).toThrow(/over_limit.*|account_disabled/)
    expect(alerts.get(alert.id).status).toBe('draft')
    expect(stateCounts(ws.db, alert.id)).toEqual({})
  })

  it('warns when two accounts of one family would reach the same people twice, and when nothing is targeted', () => {
    ws = openWorkspace()
    const one = addAccount(ws, 'sms_gateway', 'Gateway')
    const two = addAccount(ws, 'sms_twilio', 'Twilio')
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(2) } }))
    const both = alerts.createDraft(
      draftInput({ targets: { accountIds: [one, two], listIds: [1] } }),
      'Maria',
    )
    const preview = alerts.preview(both.id)
    expect(preview.accounts.map(codes)).toEqual([['same_family_twice'], ['same_family_twice']])
    expect(preview.ok).toBe(true)

    const none = alerts.createDraft(draftInput(), 'Maria')
    expect(alerts.preview(none.id)).toMatchObject({
      ok: false,
      warnings: [{ code: 'no_targets', severity: 'error' }],
    })
  })

  it('in a drill, warns about a text without the drill marker', () => {
    ws = openWorkspace()
    const page = addAccount(ws, 'facebook_page', 'Pagina')
    const alerts = alertsService(ws, listsResolver({}), { mode: 'drill' })
    const alert = alerts.createDraft(
      draftInput({ texts: { facebook: 'Allerta neve' }, targets: { accountIds: [page] } }),
      'Maria',
    )
    expect(codes(alerts.preview(alert.id).accounts[0])).toEqual(['drill_marker_missing'])
    const marked = alerts.updateDraft(
      alert.id,
      { texts: { facebook: 'ESERCITAZIONE - Allerta neve' } },
      'Maria',
    )
    expect(codes(alerts.preview(marked.id).accounts[0])).toEqual([])
  })
})
