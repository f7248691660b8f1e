import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { templateFileSchema } from '../../../src/shared/templates/template-schema'
import { CoreError } from '../../../src/main/core/errors'
import {
  addAccount,
  alertsService,
  draftInput,
  eventLog,
  listsResolver,
  openWorkspace,
  phones,
  type Workspace,
} from './support'

let ws: Workspace
afterEach(() => ws?.dispose())

function issuesOf(fn: () => unknown): { path: string; code: string }[] {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CoreError)
    return (err as CoreError).issues.map(({ path, code }) => ({ path, code }))
  }
  throw new Error('expected a validation error')
}

describe('alert drafts', () => {
  it('stores a draft with a CAP identifier, normalised validity and the operator who wrote it', () => {
    ws = openWorkspace()
    const log = eventLog()
    const alerts = alertsService(ws, listsResolver({}), { events: log.events })
    const alert = alerts.createDraft(draftInput(), '  Maria Rossi ')

    expect(alert.status).toBe('draft')
    expect(alert.msgType).toBe('Alert')
    expect(alert.identifier).toMatch(/^vedetta-[0-9a-f-]{36}$/)
    expect(alert.validFrom).toBe('2026-02-07T13:00:00.000Z')
    expect(alert.createdBy).toBe('Maria Rossi')
    expect(alert.texts.sms).toContain('ALLERTA ARANCIONE')
    // Variants the operator left out are present and empty.
    expect(alert.targets).toEqual({ accountIds: [], listIds: [], partnerIds: [] })
    expect(log.alerts).toEqual([{ alertId: alert.id, status: 'draft', change: 'created' }])
    expect(ws.audit.recent(1)[0]).toMatchObject({
      actor: 'Maria Rossi',
      action: 'alerts.create',
      subject: `alert:${alert.id}`,
    })
  })

  it('refuses bad input field by field, and writes nothing', () => {
    ws = openWorkspace()
    const alerts = alertsService(ws, listsResolver({}))
    const bad = {
      ...draftInput(),
      kind: 'tsunami',
      headline: '   ',
      comuni: [],
      validFrom: 'domani',
      texts: { sms: 'x'.repeat(2001) },
      colour: 'red',
    }
    const issues = issuesOf(() => alerts.createDraft(bad as never, 'Maria'))
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'kind', code: 'choice' },
        { path: 'headline', code: 'required' },
        { path: 'comuni', code: 'required' },
        { path: 'validFrom', code: 'invalid' },
        { path: 'texts.sms', code: 'too_long' },
        { path: '', code: 'invalid' },
      ]),
    )
    expect(alerts.list()).toEqual([])
  })

  it('refuses a validity that ends before it starts, and an anonymous operator', () => {
    ws = openWorkspace()
    const alerts = alertsService(ws, listsResolver({}))
    expect(
      issuesOf(() => alerts.createDraft(draftInput({ validTo: '2026-02-07T10:00:00Z' }), 'Maria')),
    ).toEqual([{ path: 'validTo', code: 'invalid' }])
    expect(issuesOf(() => alerts.createDraft(draftInput(), ' '))).toEqual([
      { path: 'actor', code: 'required' },
    ])
  })

  it('merges an edit into the draft, texts and targets key by key', () => {
    ws = openWorkspace()
    const alerts = alertsService(ws, listsResolver({}))
    const alert = alerts.createDraft(draftInput(), 'Maria')
    const edited = alerts.updateDraft(
      alert.id,
      { level: 'rosso', texts: { x: 'Allerta ROSSA' }, targets: { listIds: [3] } },
      'Luca',
    )
    expect(edited.level).toBe('rosso')
    expect(edited.texts.x).toBe('Allerta ROSSA')
    expect(edited.texts.sms).toBe(alert.texts.sms)
    expect(edited.targets).toEqual({ accountIds: [], listIds: [3], partnerIds: [] })
    expect(ws.audit.recent(1)[0]).toMatchObject({ actor: 'Luca', action: 'alerts.update' })
    expect(
      issuesOf(() => alerts.updateDraft(alert.id, { texts: { tiktok: 'hi' } }, 'Luca')),
    ).toEqual([{ path: 'texts', code: 'invalid' }])
  })

  it('freezes an alert once confirmed', () => {
    ws = openWorkspace()
    const sms = addAccount(ws, 'sms_gateway', 'Gateway')
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(2) } }))
    const alert = alerts.createDraft(
      draftInput({ targets: { accountIds: [sms], listIds: [1] } }),
      'Maria',
    )
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 5 })
    expect(() => alerts.updateDraft(alert.id, { headline: 'Altro' }, 'Maria')).toThrow(
      /already confirmed/,
    )
    expect(() => alerts.confirm(alert.id, 'Maria')).toThrow(/already confirmed/)
  })
})

describe('follow-ups', () => {
  it('links an update and a "cessata allerta" to the alert they follow', () => {
    ws = openWorkspace()
    const page = addAccount(ws, 'mastodon', 'Mastodon', { baseUrl: 'https://social.example' })
    const alerts = alertsService(ws, listsResolver({}))
    const original = alerts.createDraft(draftInput({ targets: { accountIds: [page] } }), 'Maria')
    expect(() => alerts.createFollowUp(original.id, { msgType: 'Update' }, 'Maria')).toThrow(
      /never sent/,
    )
    alerts.confirm(original.id, 'Maria')

    const update = alerts.createFollowUp(
      original.id,
      { msgType: 'Update', changes: { level: 'rosso' } },
      'Luca',
    )
    expect(update).toMatchObject({
      msgType: 'Update',
      referencesAlertId: original.id,
      level: 'rosso',
      status: 'draft',
    })
    expect(update.texts.mastodon).toBe(original.texts.mastodon)
    expect(update.targets.accountIds).toEqual([page])
    expect(update.identifier).not.toBe(original.identifier)

    const cessata = alerts.createFollowUp(original.id, { msgType: 'Cancel' }, 'Luca')
    expect(cessata.msgType).toBe('Cancel')
    // The original's words must not go out as a cancellation by mistake.
    expect(Object.values(cessata.texts).every((t) => t === '')).toBe(true)
    expect(alerts.preview(cessata.id).ok).toBe(false)
    expect(() => alerts.createFollowUp(original.id, { msgType: 'Alert' as never }, 'Luca')).toThrow(
      CoreError,
    )
  })
})

describe('texts from a template', () => {
  const templates = templateFileSchema.parse(
    JSON.parse(
      readFileSync(
        resolve(__dirname, '../../../resources/templates/default-templates.json'),
        'utf8',
      ),
    ),
  ).templates
  const neveGialla = templates.find((t) => t.id === 'neve-giallo')!

  it('fills every channel text with the alert’s comuni, validity and the office’s values', () => {
    ws = openWorkspace()
    const sms = addAccount(ws, 'sms_gateway', 'Gateway')
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(1) } }))
    const alert = alerts.createDraft(
      draftInput({ texts: {}, targets: { accountIds: [sms], listIds: [1] } }),
      'Maria',
    )
    const { alert: filled, issues } = alerts.applyTemplate(
      alert.id,
      neveGialla,
      {
        ente: 'Protezione civile Empolese Valdelsa',
        link: 'https://example.org/allerta',
        numero_emergenza: '112',
      },
      'Maria',
    )
    expect(issues.filter((i) => i.severity === 'error')).toEqual([])
    expect(filled.texts.sms).toContain(
      'allerta GIALLO per neve su Empoli e Vinci dalle 14:00 di sabato 7 febbraio',
    )
    expect(filled.texts.sms).toContain('https://example.org/allerta')
    expect(filled.texts.sms).not.toContain('{{')
    expect(alerts.preview(alert.id).ok).toBe(true)
    expect(ws.audit.recent(1)[0]).toMatchObject({
      action: 'alerts.apply_template',
      detail: { template: 'neve-giallo' },
    })
  })

  it('leaves a missing value visible, and the preview refuses to send it, naming the setting', () => {
    ws = openWorkspace()
    const sms = addAccount(ws, 'sms_gateway', 'Gateway')
    const alerts = alertsService(ws, listsResolver({ 1: { sms: phones(1) } }))
    const alert = alerts.createDraft(
      draftInput({ texts: {}, targets: { accountIds: [sms], listIds: [1] } }),
      'Maria',
    )
    const { alert: filled, issues } = alerts.applyTemplate(alert.id, neveGialla, {}, 'Maria')
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'variants.sms',
        code: 'missing_setting',
        params: { name: 'link' },
      }),
    )
    expect(filled.texts.sms).toContain('{{link}}')
    const preview = alerts.preview(alert.id)
    expect(preview.ok).toBe(false)
    expect(preview.accounts[0]?.warnings).toContainEqual({
      code: 'missing_setting',
      severity: 'error',
      params: { name: 'link' },
    })
  })
})
