import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DrillRuntime } from '../../../src/main/core/drill-runtime'
import type { CommandHandlers } from '../../../src/main/core/handlers'
import { createDispatch, type Dispatch } from '../../../src/main/transport/dispatch'
import {
  commandNames,
  commands,
  events as eventSchemas,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type Envelope,
  type EventName,
} from '../../../src/shared/contract'
import { createDrillWorkspace, type DrillWorkspace } from '../drills/drill-workspace'
import { createFakeTime, type FakeTime } from '../../unit/drills/fake-time'
import { findSecretFields } from '../../support/secret-fields'

/**
 * Every command of the contract, called as a client calls it on a real workspace
 * and in a drill made from it, through the dispatcher with answers checked
 * against their output schemas. What crosses the wire (answers, errors and the
 * events the calls raise) is then searched for fields named like a secret.
 */

let time: FakeTime
let ws: DrillWorkspace
let drill: DrillRuntime
const dispatchers = new WeakMap<CommandHandlers, Dispatch>()
const internal: { command: string; error: unknown }[] = []
const answers: { command: CommandName; envelope: Envelope }[] = []
const raised: { room: string; name: string; payload: unknown }[] = []
/** Commands answered with a value, and those answered with the error the walk expected. */
const answered = new Set<CommandName>()
const refused = new Map<CommandName, string>()

async function send<K extends CommandName>(
  handlers: CommandHandlers,
  name: K,
  input: CommandInput<K>,
): Promise<Envelope<CommandOutput<K>>> {
  let dispatch = dispatchers.get(handlers)
  if (!dispatch) {
    dispatch = createDispatch(handlers, {
      checkOutputs: true,
      onInternalError: (command, error) => internal.push({ command, error }),
    })
    dispatchers.set(handlers, dispatch)
  }
  const envelope = (await dispatch(name, input, { operator: 'Operatrice di turno' })) as Envelope<
    CommandOutput<K>
  >
  answers.push({ command: name, envelope })
  return envelope
}

/** A call that must succeed: its answer has passed the output check. */
async function ok<K extends CommandName>(
  handlers: CommandHandlers,
  name: K,
  input: CommandInput<K>,
): Promise<CommandOutput<K>> {
  const envelope = await send(handlers, name, input)
  if (!envelope.ok)
    throw new Error(
      `${name}: ${envelope.error.code} ${envelope.error.message} ${JSON.stringify(envelope.error.issues ?? [])}`,
    )
  answered.add(name)
  return envelope.value
}

/** A call whose refusal is the point (nothing to act on in a fresh room): the typed code is checked. */
async function refusedWith<K extends CommandName>(
  handlers: CommandHandlers,
  name: K,
  input: CommandInput<K>,
  code: string,
): Promise<void> {
  const envelope = await send(handlers, name, input)
  if (envelope.ok) throw new Error(`${name}: expected ${code}, answered a value`)
  expect(envelope.error.code, `${name}: ${envelope.error.message}`).toBe(code)
  refused.set(name, code)
}

const csv = (rows: string[]) => Buffer.from(rows.join('\r\n'), 'utf8').toString('base64')

async function walkRealRoom(h: CommandHandlers): Promise<void> {
  await ok(h, 'system:info', {})
  await ok(h, 'system:health', {})
  await ok(h, 'session:identify', { operator: 'Operatrice di turno' })
  await ok(h, 'session:whoami', {})
  await ok(h, 'settings:get', {})
  await ok(h, 'settings:update', { hashtag: '#allertameteoTOS' })

  const accounts = await ok(h, 'channels:list', {})
  const sms = accounts.find((a) => a.kind === 'sms_gateway')!
  await ok(h, 'channels:get', { id: sms.id })
  const spare = await ok(h, 'channels:create', {
    kind: 'telegram',
    name: 'Telegram di prova',
    enabled: false,
    settings: { baseUrl: 'http://127.0.0.1:1', chatId: '@prova' },
    secrets: { botToken: '123456789:AAFakeTokenForTestsOnly_abcdefghijk' },
  })
  await ok(h, 'channels:update', { id: spare.id, name: 'Telegram di riserva' })
  await ok(h, 'channels:headroom', {})
  await ok(h, 'channels:test', { id: spare.id })
  await ok(h, 'channels:delete', { id: spare.id })

  const templates = await ok(h, 'templates:list', {})
  await ok(h, 'templates:get', { id: templates[0]!.id })
  const template = await ok(h, 'templates:save', {
    name: 'Prova del contratto',
    kind: templates[0]!.kind,
    level: templates[0]!.level,
    variants: templates[0]!.variants,
  })
  await ok(h, 'templates:delete', { id: template.id })

  await ok(h, 'room:getLayout', {})
  await ok(h, 'room:saveLayout', {
    layout: { preset: 'custom', readOnly: false, panels: [{ id: 'a', kind: 'stato', width: 320 }] },
  })
  await ok(h, 'journal:addNote', { text: 'Inizio turno' })
  await ok(h, 'journal:handover', { to: 'Mario', notes: 'Niente di nuovo', openItems: [] })
  await ok(h, 'journal:list', {})

  // Contacts, roles, comuni, lists, partners.
  const roles = await ok(h, 'roles:list', {})
  await ok(h, 'roles:create', { name: 'geometra' })
  const comuni = await ok(h, 'comuni:list', {})
  const comune = await ok(h, 'comuni:create', { name: 'Borgo di Prova', province: 'FI' })
  await ok(h, 'comuni:update', {
    id: comune.id,
    comune: { name: 'Borgo di Prova', province: 'PO' },
  })
  await ok(h, 'comuni:delete', { id: comune.id })
  const saved = await ok(h, 'contacts:create', {
    contact: { name: 'Anna Verdi', phones: ['347 555 0101'], comuneId: comuni[0]!.id },
  })
  const annaId = saved.contact.id
  await ok(h, 'contacts:update', {
    id: annaId,
    contact: { name: 'Anna Verdi', phones: ['347 555 0101'], roles: [roles[0]!.name] },
  })
  await ok(h, 'contacts:get', { id: annaId })
  await ok(h, 'contacts:search', {})
  await ok(h, 'contacts:recordConsent', { id: annaId, consent: { source: 'modulo 2026' } })
  await ok(h, 'contacts:recordOptOut', { id: annaId, optOut: { scope: 'sms' } })
  await ok(h, 'contacts:liftOptOut', {
    id: annaId,
    scope: 'sms',
    consent: { source: 'richiesta scritta' },
  })
  await ok(h, 'contacts:import', {
    importId: 'walk-1',
    fileName: 'prova.csv',
    content: csv(['Nominativo;Cellulare;Comune', 'Luca Gialli;333 123 0000;Empoli']),
    dryRun: true,
  })
  await ok(h, 'contacts:cancelImport', { importId: 'walk-1' })
  await ok(h, 'contacts:export', {})
  const list = await ok(h, 'lists:create', { list: { kind: 'static', name: 'Prova' } })
  await ok(h, 'lists:update', { id: list.id, list: { kind: 'static', name: 'Prova 2' } })
  await ok(h, 'lists:addMembers', { id: list.id, contactIds: [annaId] })
  await ok(h, 'lists:removeMembers', { id: list.id, contactIds: [annaId] })
  await ok(h, 'lists:get', { id: list.id })
  await ok(h, 'lists:list', {})
  await ok(h, 'lists:delete', { id: list.id })
  const partner = await ok(h, 'partners:create', {
    partner: { name: 'Misericordia di Prova', relayMode: 'message_admins' },
  })
  await ok(h, 'partners:update', {
    id: partner.id,
    partner: { name: 'Misericordia di Prova', relayMode: 'message_admins', notes: 'sede' },
  })
  await ok(h, 'partners:list', {})
  await ok(h, 'partners:delete', { id: partner.id })

  // On call: people, PINs, shifts, exceptions, settings, escalations.
  await ok(h, 'oncall:roster', {})
  const person = await ok(h, 'oncall:savePerson', {
    contactId: annaId,
    phone: '347 555 0101',
    telegramChatId: null,
    email: null,
  })
  const other = await ok(h, 'contacts:create', { contact: { name: 'Bruno Neri', phones: [] } })
  const gone = await ok(h, 'contacts:create', { contact: { name: 'Carla Blu', phones: [] } })
  await ok(h, 'contacts:delete', { id: gone.contact.id })
  const stand = await ok(h, 'oncall:savePerson', {
    contactId: other.contact.id,
    phone: '347 555 0202',
    telegramChatId: null,
    email: null,
  })
  await ok(h, 'oncall:setPin', { personId: person.id, pin: '482913' })
  await ok(h, 'oncall:pins', {})
  const shift = await ok(h, 'oncall:saveShift', {
    weekday: 2,
    starts: '08:00',
    ends: '20:00',
    chain: [person.id],
  })
  const exception = await ok(h, 'oncall:saveException', {
    from: '2026-01-20',
    to: '2026-01-20',
    personId: person.id,
    replacementId: stand.id,
    note: 'cambio',
  })
  await ok(h, 'oncall:updateSettings', { rounds: 2 })
  await ok(h, 'oncall:now', {})
  const escalations = await ok(h, 'oncall:escalations', {})
  if (escalations.length === 0) await refusedWith(h, 'oncall:acknowledge', { id: 999 }, 'not_found')
  await ok(h, 'oncall:deleteException', { id: exception.id })
  await ok(h, 'oncall:deleteShift', { id: shift.id })
  await ok(h, 'oncall:deletePerson', { id: stand.id })

  // Feeds: the shipped DPC sample, read from its folder.
  const source = await ok(h, 'feeds:createSource', {
    name: 'DPC — esempio',
    kind: 'dpc_criticita',
    url: new URL(`file://${ws.baseOptions.resourcesDir}/samples/dpc-criticita`).href,
    intervalS: 3600,
    enabled: false,
    zones: [],
  })
  await ok(h, 'feeds:updateSource', {
    id: source.id,
    source: {
      name: 'DPC — esempio',
      kind: 'dpc_criticita',
      url: source.url,
      intervalS: 1800,
      enabled: false,
      zones: [],
    },
  })
  await ok(h, 'feeds:pollNow', { id: source.id })
  await ok(h, 'feeds:sources', {})
  const items = await ok(h, 'feeds:items', {})
  const item = items.items[0]!
  await ok(h, 'feeds:draftFor', { itemId: item.id })
  await ok(h, 'feeds:pendingAlerts', {})
  await ok(h, 'feeds:acknowledgeAlert', { itemId: item.id })

  // Notices: a mailbox that answers nothing (a closed loopback port).
  const mailbox = await ok(h, 'notices:getMailbox', {})
  void mailbox
  await ok(h, 'notices:saveMailbox', {
    enabled: false,
    host: '127.0.0.1',
    port: 1,
    security: 'tls',
    username: 'avvisi',
    password: 'segreto-imap',
    folder: 'INBOX',
    allowedSenders: ['@regione.toscana.it'],
    intervalS: 300,
  })
  await ok(h, 'notices:testMailbox', {})
  await ok(h, 'notices:pollNow', {})
  await ok(h, 'notices:list', {})
  await refusedWith(h, 'notices:openAttachment', { id: 999 }, 'not_found')
  await ok(h, 'notices:createAvviso', {
    number: '45/2026',
    zones: ['Valdarno Inf.'],
    risk: 'idraulico',
    level: 'arancione',
    validFrom: '2026-01-13T14:00',
    validTo: '2026-01-14T23:59',
    link: 'https://www.regione.toscana.it/allertameteo/avviso-45-2026.pdf',
  })
  await ok(h, 'feeds:deleteSource', { id: source.id })

  // The real room refuses the trainer's controls: they belong to a drill.
  await refusedWith(h, 'drill:status', {}, 'forbidden')
  await ok(h, 'drills:scenarios', {})
}

async function walkDrill(real: CommandHandlers): Promise<void> {
  const created = await ok(real, 'drills:create', { scenarioId: 'neve-arancione-empolese' })
  await ok(real, 'drills:list', {})
  drill = ws.rooms.open(created.id)
  drill.core.events.subscribe((name, payload) => raised.push({ room: 'drill', name, payload }))
  const h = drill.handlers
  await ok(h, 'drill:status', {})
  await ok(h, 'drill:start', { speed: 60 })
  await ok(h, 'drill:pause', {})
  await ok(h, 'drill:resume', {})
  await ok(h, 'drill:jump', { to: 'T+1:05' })
  await drill.idle()
  await ok(h, 'drill:setSpeed', { speed: 1 })
  await ok(h, 'drill:inject', {
    event: {
      type: 'citizen_messages',
      channel: 'facebook',
      category: 'question',
      messages: ['Domani si va a scuola?'],
    },
  })
  await drill.idle()

  // Citizens: triage and an answer.
  const page = await ok(h, 'citizens:page', {})
  const message = page.items[0]!
  await ok(h, 'citizens:counts', {})
  await ok(h, 'citizens:get', { id: message.id })
  await ok(h, 'citizens:setState', { ids: [message.id], state: 'visto' })
  await ok(h, 'citizens:assign', { ids: [message.id], operator: 'Operatrice di turno' })
  await ok(h, 'citizens:categorise', { ids: [message.id], category: 'domanda' })

  // An alert from the orange bulletin's draft, sent on the drill's simulated channels.
  const [accounts, lists, partners, templates] = await Promise.all([
    ok(h, 'channels:list', {}),
    ok(h, 'lists:list', {}),
    ok(h, 'partners:list', {}),
    ok(h, 'templates:list', {}),
  ])
  const template = templates.find((t) => t.id === 'neve-arancione') ?? templates[0]!
  const alert = await ok(h, 'alerts:createDraft', {
    draft: {
      kind: template.kind,
      level: template.level,
      comuni: [{ name: 'Empoli' }],
      validFrom: '2026-01-13T14:00:00+01:00',
      validTo: '2026-01-14T23:59:00+01:00',
      headline: 'Neve',
      targets: {
        accountIds: accounts.filter((a) => a.kind === 'sms_gateway').map((a) => a.id),
        listIds: lists.map((l) => l.id),
        partnerIds: partners.map((p) => p.id),
      },
    },
  })
  await ok(h, 'alerts:updateDraft', { id: alert.id, patch: { headline: 'Neve in pianura' } })
  await ok(h, 'alerts:applyTemplate', { id: alert.id, templateId: template.id })
  // A one-second recording (PCM WAV, 8 kHz), set, read back and taken away again.
  const pcm = Buffer.alloc(16_000)
  const head = Buffer.alloc(44)
  head.write('RIFF', 0, 'ascii')
  head.writeUInt32LE(36 + pcm.length, 4)
  head.write('WAVEfmt ', 8, 'ascii')
  head.writeUInt32LE(16, 16)
  head.writeUInt16LE(1, 20)
  head.writeUInt16LE(1, 22)
  head.writeUInt32LE(8000, 24)
  head.writeUInt32LE(16000, 28)
  head.writeUInt16LE(2, 32)
  head.writeUInt16LE(16, 34)
  head.write('data', 36, 'ascii')
  head.writeUInt32LE(pcm.length, 40)
  const content = Buffer.concat([head, pcm]).toString('base64')
  await ok(h, 'alerts:setRecording', { id: alert.id, fileName: 'avviso.wav', content })
  await ok(h, 'alerts:recording', { id: alert.id })
  await ok(h, 'alerts:removeRecording', { id: alert.id })
  await ok(h, 'alerts:preview', { id: alert.id })
  await ok(h, 'maps:alert', { id: alert.id })
  await ok(h, 'alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 })
  await ok(h, 'citizens:linkAlert', { ids: [message.id], alertId: alert.id })
  await ok(h, 'alerts:get', { id: alert.id })
  await ok(h, 'alerts:list', {})
  await ok(h, 'alerts:progress', { id: alert.id })
  const rows = await ok(h, 'alerts:rows', { id: alert.id })
  const relays = await ok(h, 'alerts:relays', { id: alert.id })
  if (relays[0]) {
    await ok(h, 'alerts:updateRelay', {
      id: alert.id,
      partnerId: relays[0].partnerId,
      status: 'confirmed',
    })
  } else {
    await refusedWith(
      h,
      'alerts:updateRelay',
      { id: alert.id, partnerId: 999, status: 'confirmed' },
      'not_found',
    )
  }
  await ok(h, 'alerts:retryFailed', { id: alert.id })
  if (rows[0]) {
    await refusedWith(
      h,
      'alerts:resolveUncertain',
      { rowId: rows[0].id, action: 'mark_sent' },
      'conflict',
    )
  }
  await ok(h, 'alerts:stop', { id: alert.id })
  await ok(h, 'alerts:followUp', { id: alert.id, msgType: 'Update' })
  const second = await ok(h, 'alerts:createDraft', {
    draft: {
      kind: template.kind,
      level: template.level,
      comuni: [{ name: 'Vinci' }],
      validFrom: '2026-01-13T14:00:00+01:00',
      validTo: '2026-01-14T23:59:00+01:00',
      headline: 'Neve',
      targets: {
        accountIds: accounts.filter((a) => a.kind === 'sms_gateway').map((a) => a.id),
        listIds: lists.map((l) => l.id),
        partnerIds: [],
      },
    },
  })
  await ok(h, 'alerts:applyTemplate', { id: second.id, templateId: template.id })
  // Confirmed with time to think again: cancelled before anything leaves.
  await ok(h, 'alerts:confirm', { id: second.id, confirmation: 'INVIA', cancelWindowSeconds: 300 })
  await ok(h, 'alerts:cancel', { id: second.id })
  await ok(h, 'citizens:reply', { id: message.id, text: 'Le scuole restano chiuse.' })

  await ok(h, 'drill:stop', {})
  await ok(h, 'drill:report', {})
  await ok(h, 'drill:export', { format: 'html' })
  await ok(real, 'drills:delete', { id: created.id })
}

beforeAll(async () => {
  time = createFakeTime(Date.UTC(2026, 0, 13, 12, 0, 0))
  ws = await createDrillWorkspace({ time })
  ws.core.events.subscribe((name, payload) => raised.push({ room: 'real', name, payload }))
  await walkRealRoom(ws.real)
  await walkDrill(ws.real)
  // A command that takes nothing and is not walked above yet (a new one) is still called.
  for (const name of commandNames) {
    if (answered.has(name) || refused.has(name)) continue
    if (commands[name].input.safeParse({}).success) await ok(ws.real, name, {} as never)
  }
}, 120_000)

afterAll(async () => {
  await ws?.dispose()
})

describe('every command of the contract, on a real workspace and in a drill', () => {
  it('calls each command, and each answer matches its output schema', () => {
    expect(internal.map((i) => `${i.command}: ${String(i.error)}`)).toEqual([])
    const missing = commandNames.filter((n) => !answered.has(n) && !refused.has(n))
    // A new command with an input: add its call to the walk above.
    expect(missing, 'commands the walk does not call').toEqual([])
    // A few are refused on purpose; everything else answered a value that passed the check.
    expect(answered.size).toBeGreaterThan(commandNames.length - 8)
  })

  it('raises events whose payloads match their schemas', () => {
    expect(raised.length).toBeGreaterThan(0)
    const wrong = raised
      .map(({ name, payload }) => {
        const schema = eventSchemas[name as EventName]
        const parsed = schema.safeParse(payload)
        return parsed.success ? null : `${name}: ${parsed.error.issues[0]?.path.join('.')}`
      })
      .filter(Boolean)
    expect(wrong).toEqual([])
  })

  it('sends no field named like a secret, in answers, errors or events', () => {
    const leaks = [
      ...answers.flatMap(({ command, envelope }) =>
        findSecretFields(envelope).map((f) => `${command} → ${f.path}`),
      ),
      ...raised.flatMap(({ room, name, payload }) =>
        findSecretFields(payload).map((f) => `event ${name} (${room}) → ${f.path}`),
      ),
    ]
    expect([...new Set(leaks)]).toEqual([])
  })
})
