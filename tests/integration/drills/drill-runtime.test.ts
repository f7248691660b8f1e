import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BulletinAlertView } from '../../../src/shared/contract/feeds'
import type { CitizenMessage } from '../../../src/shared/citizens/types'
import type { DrillRuntime } from '../../../src/main/core/drill-runtime'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { createDrillWorkspace, type DrillWorkspace } from './drill-workspace'

const MIN = 60_000

let time: FakeTime
let ws: DrillWorkspace

beforeEach(async () => {
  time = createFakeTime(Date.UTC(2026, 0, 13, 12, 0, 0))
  ws = await createDrillWorkspace({ time })
})
afterEach(async () => {
  await ws.dispose()
})

/** Real-time wait for the drill core's dispatcher (it polls on real timers). */
async function until<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
): Promise<T> {
  // Up to 20 s: two cores shared by several test files can make the drill core slow.
  for (let i = 0; i < 800; i++) {
    const value = await probe()
    if (value) return value
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Moves the fake wall clock and lets the fired handlers settle. */
async function advance(runtime: DrillRuntime, ms: number): Promise<void> {
  time.advance(ms)
  await runtime.idle()
}

async function openSnowDrill(title?: string): Promise<DrillRuntime> {
  const item = await ws.call(ws.real, 'drills:create', {
    scenarioId: 'neve-arancione-empolese',
    ...(title ? { title } : {}),
  })
  return ws.rooms.open(item.id)
}

const idsOf = (runtime: DrillRuntime, names: string[]) =>
  ws
    .call(runtime.handlers, 'channels:list', {})
    .then((accounts) => accounts.filter((a) => names.includes(a.name)).map((a) => a.id))

describe('a drill of the snow scenario, from start to report', () => {
  it('brings bulletins, citizens and faults into the drill room, and reports what the team did', async () => {
    const runtime = await openSnowDrill('Esercitazione di gennaio')
    const alerts: BulletinAlertView[] = []
    const received: CitizenMessage[] = []
    runtime.core.events.on('feeds:alert', (a) => alerts.push(a))
    runtime.core.events.on('citizens:received', (e) => received.push(...e.messages))
    // The real room hears nothing of it.
    const realAlerts: unknown[] = []
    ws.core.events.on('feeds:alert', (a) => realAlerts.push(a))

    expect(runtime.status().state).toBe('ready')
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    const jumped = await ws.call(runtime.handlers, 'drill:jump', { to: 'T+0:59' })
    await runtime.idle()
    expect(runtime.status().fired.every((f) => f.outcome === 'ok')).toBe(true)
    expect(jumped.scenarioMs).toBe(59 * MIN)
    expect(jumped.fired.map((f) => f.eventId ?? f.type)).toEqual([
      'note',
      'partner_relay',
      'partner_relay',
      'giallo-neve',
      'prime-domande',
    ])

    // The yellow bulletin is in the drill's feed, banner and draft as on a real day.
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({ change: 'new', level: 'giallo' })
    expect(alerts[0]?.draft).toMatchObject({ kind: 'neve', templateId: 'neve-giallo' })
    expect(alerts[0]?.item.bulletin.status).toBe('Exercise')
    expect(received.map((m) => m.authorName)).toEqual(['Lucia M.', 'Franco B.', 'Sara T.'])
    // Filed as the scenario says (questions), on the drill's Facebook account, ready to answer.
    const inbox = await ws.call(runtime.handlers, 'citizens:page', {})
    expect(inbox.items.map((m) => [m.family, m.category])).toEqual([
      ['facebook', 'domanda'],
      ['facebook', 'domanda'],
      ['facebook', 'domanda'],
    ])
    const facebook = (await ws.call(runtime.handlers, 'channels:list', {})).find(
      (a) => a.name === 'Facebook Protezione Civile',
    )
    expect(inbox.items.every((m) => m.accountId === facebook?.id)).toBe(true)

    // At 60× a scenario minute is a wall second: the orange bulletin comes, as an upgrade.
    await advance(runtime, 1000)
    await until(() => alerts.length === 2, 'the orange bulletin')
    expect(alerts[1]).toMatchObject({
      change: 'update',
      escalated: true,
      previousLevel: 'giallo',
      level: 'arancione',
    })
    expect(alerts[1]?.draft.templateId).toBe('neve-arancione')
    expect(realAlerts).toEqual([])

    // The team answers with the template: SMS to the Checchi families, e-mail to the mayors, Facebook.
    const trainee = 'Allievo'
    const orange = alerts[1]!
    const [lists, partners] = await Promise.all([
      ws.call(runtime.handlers, 'lists:list', {}),
      ws.call(runtime.handlers, 'partners:list', {}),
    ])
    const alert = await ws.call(
      runtime.handlers,
      'alerts:createDraft',
      {
        draft: {
          kind: orange.draft.kind,
          level: orange.draft.level,
          comuni: orange.draft.comuni.map((name) => ({ name })),
          validFrom: orange.draft.validFrom,
          validTo: orange.draft.validTo,
          headline: orange.draft.headline,
          targets: {
            accountIds: await idsOf(runtime, [
              'SMS Circondario',
              'Email Protezione Civile',
              'Facebook Protezione Civile',
            ]),
            listIds: lists
              .filter((l) => l.name !== 'Genitori — Istituto Enriques')
              .map((l) => l.id),
            partnerIds: partners.map((p) => p.id),
          },
        },
      },
      trainee,
    )
    expect(alert.mode).toBe('drill')
    await ws.call(
      runtime.handlers,
      'alerts:applyTemplate',
      { id: alert.id, templateId: 'neve-arancione' },
      trainee,
    )
    await ws.call(
      runtime.handlers,
      'alerts:confirm',
      { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 },
      trainee,
    )
    await until(
      () => runtime.registry.sent().length === 5,
      'two SMS, two e-mails and a Facebook post',
    )
    const sent = runtime.registry.sent()
    for (const s of sent) expect(s.message.text.startsWith('ESERCITAZIONE - ')).toBe(true)
    expect(sent.find((s) => s.message.subject !== undefined)?.message.subject).toMatch(
      /^ESERCITAZIONE - /,
    )
    expect(sent.every((s) => s.message.alert?.status === 'Exercise')).toBe(true)

    // Two citizens answered, a journal note.
    await ws.call(
      runtime.handlers,
      'citizens:setState',
      { ids: received.slice(0, 2).map((m) => m.id), state: 'risposto' },
      trainee,
    )
    await ws.call(runtime.handlers, 'journal:addNote', { text: 'Passati ad arancione' }, trainee)

    // The X profile is rate-limited from T+1:05 for 30 minutes.
    await advance(runtime, 6 * 1000)
    const during = runtime.status()
    expect(during.faults).toEqual([
      expect.objectContaining({
        channel: 'X Protezione Civile',
        fault: 'rate_limited',
        active: true,
      }),
    ])
    const xTwin = runtime.registry.list().find((t) => t.kind === 'x')
    expect(xTwin).toBeDefined()
    const refused = await xTwin!.send({
      idempotencyKey: 'k',
      destination: { type: 'page' },
      text: 't',
    })
    expect(refused).toMatchObject({ status: 'failed', code: 'rate_limited' })

    // Istituto Enriques relays 40 minutes after it was asked; Checchi never does.
    await advance(runtime, 40 * 1000)
    const resolved = await until(async () => {
      const r = await ws.call(runtime.handlers, 'alerts:relays', { id: alert.id })
      return r.some((x) => x.status === 'seen') ? r : undefined
    }, 'the Enriques relay')
    expect(resolved.find((r) => r.partnerName === 'Istituto Enriques')?.status).toBe('seen')
    expect(resolved.find((r) => r.partnerName === 'Istituto Checchi')?.status).toBe('requested')
    expect(runtime.status().faults[0]?.active).toBe(false)

    const final = await ws.call(runtime.handlers, 'drill:stop', {})
    expect(final.state).toBe('ended')
    const report = await ws.call(runtime.handlers, 'drill:report', {})
    expect(report.final).toBe(true)
    const byId = Object.fromEntries(report.checkpoints.map((c) => [c.id, c]))
    expect(byId['sms-famiglie-checchi']).toMatchObject({ status: 'met' })
    expect(byId['sms-famiglie-checchi']?.marginMs).toBeGreaterThan(0)
    expect(byId['facebook-arancione']?.status).toBe('met')
    expect(byId['sindaci-arancione']?.status).toBe('met')
    expect(byId['diario-arancione']?.status).toBe('met')
    // Asked at T+1:00, before the Fucecchio ordinance it counts from: not done since.
    expect(byId['rilancio-checchi']?.status).toBe('missed')
    expect(byId['sms-famiglie-enriques']?.status).toBe('missed')
    expect(byId['risposte-scuole']?.status).toBe('missed')

    const orangePubs = report.publications.find((p) => p.eventId === 'arancione-neve')
    const fb = orangePubs?.channels.find((c) => c.channel === 'Facebook Protezione Civile')
    expect(fb?.delayMs).not.toBeNull()
    expect(orangePubs?.channels.find((c) => c.channel === 'X Protezione Civile')?.firstSentAt).toBe(
      null,
    )
    expect(
      report.coverage.lists.find((l) => l.name === 'Genitori — Istituto Checchi'),
    ).toMatchObject({ members: 2, reached: 2 })
    expect(report.coverage.pages).toEqual([
      expect.objectContaining({ channel: 'Facebook Protezione Civile', posts: 1 }),
    ])
    expect(report.coverage.partners.find((p) => p.name === 'Istituto Enriques')?.status).toBe(
      'seen',
    )
    const arrived = final.fired.reduce((n, f) => n + (f.messageCount ?? 0), 0)
    expect(arrived).toBeGreaterThan(3)
    expect(report.citizens).toMatchObject({ received: arrived, answered: 2 })
    expect(report.citizens.byEvent.find((g) => g.eventId === 'prime-domande')).toMatchObject({
      received: 3,
      answered: 2,
    })
    expect(report.citizens.medianResponseMs).toBeGreaterThan(0)
    expect(report.faults).toEqual([
      expect.objectContaining({
        channel: 'X Protezione Civile',
        fault: 'rate_limited',
        affected: 0,
      }),
    ])
    expect(report.timeline.some((e) => e.who === 'team' && e.what === 'alerts.confirm')).toBe(true)
    expect(report.timeline.some((e) => e.who === 'trainer' && e.what === 'jump')).toBe(true)

    const html = await ws.call(runtime.handlers, 'drill:export', { format: 'html' })
    const text = Buffer.from(html.base64, 'base64').toString('utf8')
    expect(html.fileName).toMatch(/\.html$/)
    expect(text).toContain('Rispettato')
    expect(text).toContain('Esercitazione di gennaio')
    // The map of the alert the team confirmed, its comuni at its level, its alt text under it.
    const figure = new RegExp(
      `<figure class="map" data-alert="${alert.id}"><img src="data:image/svg\\+xml;base64,([^"]+)" alt="([^"]+)"`,
    ).exec(text)
    expect(figure, 'the alert’s map in the report').not.toBeNull()
    const svg = Buffer.from(figure![1]!, 'base64').toString('utf8')
    expect(orange.draft.comuni.length).toBeGreaterThan(0)
    for (const name of orange.draft.comuni) {
      expect(svg).toContain(`data-name="${name}" data-level="arancione"`)
      expect(figure![2]).toContain(name)
    }
    expect(text).toContain(`Testo alternativo: ${figure![2]}`)
  })
})

describe('the on-call roster in a drill', () => {
  it('pages on the drill’s simulated channels and reports who took it, from where, how fast', async () => {
    const h = ws.real
    const bot = (await ws.call(h, 'channels:list', {})).find((a) => a.kind === 'telegram')!
    const contact = await ws.call(h, 'contacts:create', {
      contact: { name: 'Mario Rossi', phones: ['347 111 2222'] },
    })
    const person = await ws.call(h, 'oncall:savePerson', {
      contactId: contact.contact.id,
      phone: '+393471112222',
      telegramChatId: '111111111',
      email: null,
    })
    for (let weekday = 1; weekday <= 7; weekday++)
      await ws.call(h, 'oncall:saveShift', {
        label: 'Tutto il giorno',
        weekday,
        starts: '00:00',
        ends: '23:59',
        chain: [person.id],
      })
    await ws.call(h, 'oncall:updateSettings', { telegramAccountId: bot.id })

    const runtime = await openSnowDrill()
    await ws.call(runtime.handlers, 'drill:start', { speed: 60 })
    await ws.call(runtime.handlers, 'drill:jump', { to: 'T+0:59' })
    await runtime.idle()
    const [open] = await until(async () => {
      const list = await ws.call(runtime.handlers, 'oncall:escalations', { limit: 5 })
      return list.length > 0 && list[0]!.pages.length > 0 && list
    }, 'the drill to page the person on call')
    expect(open).toMatchObject({ state: 'open', trigger: { kind: 'bulletin' } })
    expect(open!.pages[0]).toMatchObject({ name: 'Mario Rossi', outcome: 'simulated' })
    // Nothing of it in the real room.
    expect(await ws.call(h, 'oncall:escalations', { limit: 5 })).toEqual([])

    await advance(runtime, 5_000) // 5 s of wall clock at 60×: 5 scenario minutes
    await ws.call(runtime.handlers, 'oncall:acknowledge', { id: open!.id })
    const report = await ws.call(runtime.handlers, 'drill:report', {})
    expect(report.oncall).toEqual([
      expect.objectContaining({
        title: 'Allerta gialla: Neve',
        state: 'acknowledged',
        closedVia: 'room',
        paged: ['Mario Rossi'],
        toAcknowledgeMs: 5 * MIN,
      }),
      // The orange upgrade at T+1:04 paged again, and nobody has taken it yet.
      expect.objectContaining({
        title: 'Allerta arancione, in aumento: Neve',
        state: 'open',
        toAcknowledgeMs: null,
      }),
    ])
  })
})
