import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CoreError } from '../../../src/main/core/errors'
import { loadDefaultTemplates } from '../../../src/main/core/templates/templates-service'
import { TEMPLATE_VARIANTS, type Template } from '../../../src/shared/templates/template-schema'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  type Workspace,
} from '../outbox/support'

const SHIPPED = loadDefaultTemplates(join(__dirname, '../../../resources'))
const EXTRA = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: 'https://www.empolese-valdelsa.it/allerta',
  numero_emergenza: '0571 9803',
  hashtag: '#allertaEV',
}

let ws: Workspace
afterEach(() => ws?.dispose())

function setUp(templates: Template[] = SHIPPED) {
  ws = openWorkspace()
  const page = addAccount(ws, 'mastodon', 'Mastodon', { baseUrl: 'https://social.example' })
  const alerts = alertsService(ws, listsResolver({}), {
    followUpTemplates: () => ({ templates, extra: EXTRA }),
  })
  const original = alerts.createDraft(draftInput({ targets: { accountIds: [page] } }), 'Maria')
  alerts.confirm(original.id, 'Maria', { cancelWindowSeconds: 0 })
  return { alerts, original }
}

function issuesOf(fn: () => unknown): { path: string; code: string }[] {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CoreError)
    return (err as CoreError).issues.map(({ path, code }) => ({ path, code }))
  }
  throw new Error('expected a validation error')
}

describe('an update is a new version of the alert', () => {
  it('is prefilled on every channel, the website too, from the aggiornamento template of its kind', () => {
    const { alerts, original } = setUp()
    const update = alerts.createFollowUp(original.id, { msgType: 'Update' }, 'Luca')

    for (const v of TEMPLATE_VARIANTS) expect(update.texts[v], v).not.toBe('')
    expect(update.texts.sms).toMatch(
      /^Limita gli spostamenti e usa gomme invernali o catene: l'allerta per neve su Empoli e Vinci è ora in codice ARANCIONE, dalle 14:00 di sabato 7 febbraio/,
    )
    expect(update.texts.website).toMatch(/^Aggiornamento: allerta ARANCIONE per neve/)
    expect(update.texts.email_body).toContain(EXTRA.ente)
    expect(update.texts.mastodon).toMatch(/#allertaEV$/)
    // The voice text is stored as it will be said.
    expect(update.texts.voice).not.toMatch(/\d/)
    expect(ws.audit.recent(1)[0]).toMatchObject({
      action: 'alerts.create',
      detail: expect.objectContaining({ template: 'aggiornamento-neve' }),
    })
  })

  it('takes a new level, comuni and validity, and the preview says what changed', () => {
    const { alerts, original } = setUp()
    const update = alerts.createFollowUp(original.id, { msgType: 'Update' }, 'Luca')
    alerts.updateDraft(
      update.id,
      {
        level: 'rosso',
        comuni: [
          { name: 'Empoli', istatCode: '048014' },
          { name: 'Certaldo', istatCode: '048011' },
        ],
        validTo: '2026-02-09T08:00',
        description: 'Neve fino a 40 cm.',
      },
      'Luca',
    )
    const changes = alerts.preview(update.id).changes
    expect(changes).toMatchObject({
      inForce: { alertId: original.id, msgType: 'Alert' },
      level: { from: 'arancione', to: 'rosso' },
      comuniAdded: ['Certaldo'],
      comuniRemoved: ['Vinci'],
      validFrom: null,
      validTo: { from: original.validTo, to: '2026-02-09T07:00:00.000Z' },
      description: true,
      instruction: false,
      none: false,
    })
    // Rewritten from the template, the texts speak of the new level and comuni.
    const { alert } = alerts.applyTemplate(
      update.id,
      SHIPPED.find((t) => t.id === 'aggiornamento-neve')!,
      EXTRA,
      'Luca',
    )
    expect(alert.texts.sms).toMatch(
      /: l'allerta per neve su Empoli e Certaldo è ora in codice ROSSO,/,
    )
    expect(alert.texts.sms).toContain('alle 08:00 di lunedì 9 febbraio')
  })

  it('keeps the texts in force when its kind has no aggiornamento template', () => {
    const { alerts, original } = setUp(SHIPPED.filter((t) => !t.id?.startsWith('aggiornamento')))
    const update = alerts.createFollowUp(original.id, { msgType: 'Update' }, 'Luca')
    expect(update.texts).toEqual(original.texts)
    expect(alerts.preview(update.id).changes?.none).toBe(true)
  })
})

describe('a cessata is the last version of the alert', () => {
  it('is green, from now, and says the alert is over in the words of its kind’s cessata', () => {
    const { alerts, original } = setUp()
    ws.clock.set(Date.parse('2026-02-08T09:30:25Z'))
    const cessata = alerts.createFollowUp(original.id, { msgType: 'Cancel' }, 'Luca')

    expect(cessata).toMatchObject({ msgType: 'Cancel', level: 'verde', comuni: original.comuni })
    expect(cessata.validFrom).toBe('2026-02-08T09:30:00.000Z')
    for (const v of TEMPLATE_VARIANTS) {
      expect(cessata.texts[v], v).not.toBe('')
      expect(cessata.texts[v], v).not.toMatch(/ARANCIONE|arancione/)
    }
    expect(cessata.texts.sms).toBe(
      "Dalle 10:30 di domenica 8 febbraio è cessata l'allerta per neve su Empoli e Vinci. " +
        'Fai ancora attenzione a ghiaccio e neve residua su strade e marciapiedi. ' +
        'Info: https://www.empolese-valdelsa.it/allerta',
    )
    expect(cessata.texts.website).toMatch(/^Cessata allerta per neve su Empoli e Vinci/)
    expect(alerts.preview(cessata.id).changes?.level).toEqual({ from: 'arancione', to: 'verde' })
    // Its level is not the operator's to choose.
    expect(issuesOf(() => alerts.updateDraft(cessata.id, { level: 'rosso' }, 'Luca'))).toEqual([
      { path: 'level', code: 'choice' },
    ])
    expect(alerts.updateDraft(cessata.id, { level: 'verde' }, 'Luca').level).toBe('verde')
  })

  it('once the alert ran out, starts from when it ended', () => {
    const { alerts, original } = setUp()
    ws.clock.set(Date.parse(original.validTo) + 5 * 3600_000)
    const cessata = alerts.createFollowUp(original.id, { msgType: 'Cancel' }, 'Luca')
    expect(cessata.validFrom).toBe(original.validTo)
    expect(Date.parse(cessata.validTo)).toBeGreaterThan(Date.parse(cessata.validFrom))
    expect(cessata.texts.sms).toMatch(/^Dalle 23:59 di domenica 8 febbraio è cessata/)
  })

  it('falls back to the generic cessata when its kind has none', () => {
    const { alerts, original } = setUp(SHIPPED.filter((t) => t.id !== 'cessata-neve'))
    const cessata = alerts.createFollowUp(original.id, { msgType: 'Cancel' }, 'Luca')
    expect(cessata.texts.sms).toMatch(/è cessata l'allerta meteo su Empoli e Vinci/)
  })

  it('follows the version in force: after an update, it closes the update', () => {
    const { alerts, original } = setUp()
    const update = alerts.createFollowUp(
      original.id,
      {
        msgType: 'Update',
        changes: { level: 'rosso', comuni: [...original.comuni, { name: 'Certaldo' }] },
      },
      'Luca',
    )
    ws.clock.advance(60_000)
    alerts.confirm(update.id, 'Luca', { cancelWindowSeconds: 0 })

    // Asked from the first alert's page, the cessata still closes what is in force.
    const cessata = alerts.createFollowUp(original.id, { msgType: 'Cancel' }, 'Luca')
    expect(cessata.referencesAlertId).toBe(update.id)
    expect(cessata.comuni.map((c) => c.name)).toEqual(['Empoli', 'Vinci', 'Certaldo'])
    expect(cessata.texts.sms).toContain('su Empoli, Vinci e Certaldo')
    expect(alerts.preview(cessata.id).changes).toMatchObject({
      inForce: { alertId: update.id, msgType: 'Update' },
      level: { from: 'rosso', to: 'verde' },
      comuniAdded: [],
      comuniRemoved: [],
    })
  })
})
