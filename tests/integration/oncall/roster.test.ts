import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core/app'
import { createContactsRepository } from '../../../src/main/core/contacts'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { ChannelAccountView, Envelope } from '../../../src/shared/contract'
import type {
  EscalationView,
  OnCallNow,
  OncallPerson,
  OncallRoster,
  OncallShift,
} from '../../../src/shared/contract/oncall'
import type { FeedSource } from '../../../src/shared/feeds/types'
import { startFeedServer, type FeedServer } from '../../fakes/feed-server'
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram-fake'
import { italianCap } from '../../support/bulletins'

// Sunday 8 February 2026, 03:00 in Rome.
let clock = new Date('2026-02-08T02:00:00Z')
let dataDir: string
let core: Core
let telegram: FakeTelegram
let feeds: FeedServer

async function call<T>(name: string, payload: unknown): Promise<T> {
  const r: Envelope = await createDispatch(core.handlers)(name, payload, { operator: 'Giulia' })
  if (!r.ok) throw Object.assign(new Error(r.error.message), { body: r.error })
  return r.value as T
}
async function refused(name: string, payload: unknown) {
  try {
    await call(name, payload)
  } catch (err) {
    return (err as { body: { code: string; issues?: { path: string; code: string }[] } }).body
  }
  throw new Error(`${name} was accepted`)
}

function contact(name: string): number {
  return createContactsRepository(core.db).insert(
    {
      name,
      email: null,
      telegram: null,
      comuneId: null,
      institution: null,
      language: 'it',
      notes: null,
      whatsappOptInOn: null,
      prefersCall: null,
    },
    clock.toISOString(),
  )
}

beforeEach(async () => {
  clock = new Date('2026-02-08T02:00:00Z')
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-oncall-core-'))
  telegram = await startFakeTelegram({ now: () => clock.getTime() })
  feeds = await startFeedServer()
  core = createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../../resources'),
    now: () => clock,
  })
})
afterEach(async () => {
  core.close()
  await Promise.all([telegram.close(), feeds.close()])
  rmSync(dataDir, { recursive: true, force: true })
})

describe('Configurazione → Reperibilità', () => {
  it('keeps people from contacts with numbers that work, and refuses what would not page', async () => {
    const mario = contact('Mario Rossi')
    const saved = await call<OncallPerson>('oncall:savePerson', {
      contactId: mario,
      phone: '347 111 1111',
      telegramChatId: '111111111',
      email: ' Mario.Rossi@Comune.Empoli.fi.it ',
    })
    expect(saved).toMatchObject({
      name: 'Mario Rossi',
      phone: '+393471111111',
      telegramChatId: '111111111',
      email: 'mario.rossi@comune.empoli.fi.it',
    })
    expect(
      await refused('oncall:savePerson', { contactId: 9999, phone: '3471111112' }),
    ).toMatchObject({
      code: 'invalid_input',
      issues: [{ path: 'contactId', code: 'choice' }],
    })
    const lucia = contact('Lucia Bianchi')
    expect(await refused('oncall:savePerson', { contactId: lucia, phone: 'non so' })).toMatchObject(
      {
        issues: [{ path: 'phone', code: 'invalid' }],
      },
    )
    expect(await refused('oncall:savePerson', { contactId: lucia })).toMatchObject({
      issues: [{ path: 'telegramChatId', code: 'required' }],
    })
    expect(
      await refused('oncall:savePerson', { contactId: lucia, telegramChatId: '@lucia' }),
    ).toMatchObject({
      issues: [{ path: 'telegramChatId', code: 'invalid' }],
    })
    expect(
      await refused('oncall:savePerson', { contactId: lucia, telegramChatId: '111111111' }),
    ).toMatchObject({ issues: [{ path: 'telegramChatId', code: 'duplicate' }] })
  })

  it('keeps shifts with their chain in order, refuses deleting a person still in one, and survives a deleted contact', async () => {
    const ids = await Promise.all(
      ['Mario Rossi', 'Lucia Bianchi', 'Paolo Verdi'].map(async (name, i) => {
        const p = await call<OncallPerson>('oncall:savePerson', {
          contactId: contact(name),
          telegramChatId: String(111111111 * (i + 1)),
        })
        return p.id
      }),
    )
    const [mario, lucia, paolo] = ids as [number, number, number]
    expect(
      await refused('oncall:saveShift', {
        weekday: 6,
        starts: '20:00',
        ends: '08:00',
        chain: [mario, 777],
      }),
    ).toMatchObject({ issues: [{ path: 'chain.1', code: 'choice' }] })
    expect(
      await refused('oncall:saveShift', {
        weekday: 6,
        starts: '25:00',
        ends: '08:00',
        chain: [mario],
      }),
    ).toMatchObject({ issues: [{ path: 'starts', code: 'invalid' }] })
    const shift = await call<OncallShift>('oncall:saveShift', {
      label: 'Notte',
      weekday: 6,
      starts: '20:00',
      ends: '08:00',
      chain: [paolo, mario, lucia],
    })
    expect(shift.chain).toEqual([paolo, mario, lucia])

    expect(await refused('oncall:deletePerson', { id: mario })).toMatchObject({ code: 'conflict' })

    // The contact goes; the person stays in the chain with the name the roster knew.
    const marioContact = (await call<OncallRoster>('oncall:roster', {})).people.find(
      (p) => p.id === mario,
    )!.contactId!
    await call('contacts:delete', { id: marioContact })
    const roster = await call<OncallRoster>('oncall:roster', {})
    expect(roster.people.find((p) => p.id === mario)).toMatchObject({
      contactId: null,
      name: 'Mario Rossi',
    })
    expect(roster.shifts[0]?.chain).toEqual([paolo, mario, lucia])

    // A swap for the night: Lucia takes Paolo's place.
    await call('oncall:saveException', {
      from: '2026-02-07',
      to: '2026-02-07',
      personId: paolo,
      replacementId: lucia,
      note: 'cambio',
    })
    const now = await call<OnCallNow>('oncall:now', {})
    expect(now.chain.map((s) => [s.name, s.replaces?.name ?? null])).toEqual([
      ['Lucia Bianchi', 'Paolo Verdi'],
      ['Mario Rossi', null],
    ])
    expect(
      await refused('oncall:saveException', {
        from: '2026-02-09',
        to: '2026-02-08',
        personId: paolo,
        replacementId: lucia,
      }),
    ).toMatchObject({
      issues: [{ path: 'to', code: 'range' }],
    })
  })

  it('chooses the room’s bot and the SMS account only among accounts of that kind', async () => {
    const sms = await call<ChannelAccountView>('channels:create', {
      kind: 'sms_gateway',
      name: 'SMS',
      settings: { baseUrl: 'http://127.0.0.1:9/', username: 'u', sender: 'PC', messageType: 'GP' },
      secrets: { password: 'secret-password' },
    })
    expect(await refused('oncall:updateSettings', { telegramAccountId: sms.id })).toMatchObject({
      issues: [{ path: 'telegramAccountId', code: 'choice' }],
    })
    expect(await refused('oncall:updateSettings', { escalateAfterMinutes: 0 })).toMatchObject({
      issues: [{ path: 'escalateAfterMinutes', code: 'range' }],
    })
    expect(
      await call('oncall:updateSettings', { smsAccountId: sms.id, escalateAfterMinutes: 15 }),
    ).toMatchObject({
      smsAccountId: sms.id,
      escalateAfterMinutes: 15,
      rounds: 3,
    })
  })
})

describe('the core pages the person on call', () => {
  it('from a bulletin polled in the room, and stops when the room takes it', async () => {
    const bot = await call<ChannelAccountView>('channels:create', {
      kind: 'telegram',
      name: 'Bot della sala',
      settings: { baseUrl: telegram.url, chatId: '@pc_empolese' },
      secrets: { botToken: telegram.token },
    })
    await call('oncall:updateSettings', { telegramAccountId: bot.id })
    telegram.addPerson('111111111', 'Mario')
    const mario = await call<OncallPerson>('oncall:savePerson', {
      contactId: contact('Mario Rossi'),
      telegramChatId: '111111111',
    })
    await call('oncall:saveShift', {
      label: 'Notte',
      weekday: 6,
      starts: '20:00',
      ends: '08:00',
      chain: [mario.id],
    })
    const seen: EscalationView[] = []
    core.events.on('oncall:escalation', (e) => seen.push(e))

    feeds.setDocument(
      'a.xml',
      italianCap({ identifier: 'cfr-1', level: 'rosso' }),
      'application/xml',
    )
    const source = await call<FeedSource>('feeds:createSource', {
      name: 'CFR',
      kind: 'cap',
      url: feeds.url('/doc/a.xml'),
      zones: ['EMMA_ID:IT009'],
    })
    await call('feeds:pollNow', { id: source.id })
    await expect.poll(() => telegram.messagesTo('111111111').length).toBe(1)
    expect(telegram.messagesTo('111111111')[0]?.text).toContain('Allerta rossa')

    const [open] = await call<EscalationView[]>('oncall:escalations', {})
    expect(open).toMatchObject({ state: 'open', chain: [{ name: 'Mario Rossi' }] })
    expect(await call('oncall:acknowledge', { id: open!.id })).toMatchObject({
      state: 'acknowledged',
      closedBy: 'Giulia',
      closedVia: 'room',
    })
    expect(await refused('oncall:acknowledge', { id: open!.id })).toMatchObject({
      code: 'conflict',
    })
    await expect.poll(() => telegram.messagesTo('111111111').length).toBe(2)
    expect(telegram.messagesTo('111111111')[1]?.text).toMatch(
      /^Presa in carico da Giulia \(in sala\)/,
    )
    expect(seen.map((e) => e.state)).toContain('acknowledged')
  })
})
