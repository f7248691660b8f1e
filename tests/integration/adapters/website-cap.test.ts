import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import type {
  AlertDocument,
  ChannelAdapter,
  OutgoingMessage,
} from '../../../src/main/core/channels/adapter'
import { createWebsiteAdapter } from '../../../src/main/core/channels/adapters/website'
import { CAP_SPECS, capSchemaErrors } from '../../support/cap-schema'

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['info', 'area', 'category', 'geocode', 'parameter'].includes(name),
})

interface CapInfo {
  language: string
  category: string[]
  event: string
  urgency: string
  severity: string
  certainty: string
  onset: string
  expires: string
  senderName?: string
  headline?: string
  description?: string
  instruction?: string
  web?: string
  parameter: { valueName: string; value: string }[]
  area?: { areaDesc: string; geocode?: { valueName: string; value: string }[] }[]
}
interface Cap {
  alert: {
    '@_xmlns': string
    identifier: string
    sender: string
    sent: string
    status: string
    msgType: string
    scope: string
    references?: string
    info: CapInfo[]
  }
}

let dir: string
let adapter: ChannelAdapter

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-cap-'))
  adapter = createWebsiteAdapter({
    accountId: 9,
    name: 'Protezione civile Empolese Valdelsa',
    settings: {
      outputDir: path.join(dir, 'www'),
      publicBaseUrl: 'https://allerte.empolese.example.it/cap/',
      senderId: 'protezionecivile@empolese.example.it',
    },
    secrets: {},
  })
})

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

function alert(overrides: Partial<AlertDocument> = {}): AlertDocument {
  return {
    identifier: 'it.empolese.2025.0042',
    sent: '2025-01-10T08:00:00.000Z',
    status: 'Actual',
    msgType: 'Alert',
    references: [],
    event: 'Neve',
    level: 'arancione',
    headline: 'Allerta arancione per neve',
    description: 'Nevicate abbondanti attese sopra i 200 m.',
    instruction: 'Limitare gli spostamenti. Scuole chiuse.',
    onset: '2025-01-10T18:00:00.000Z',
    expires: '2025-01-11T23:59:00.000Z',
    areas: [
      { name: 'Empoli', geocode: { valueName: 'ISTAT', value: '048014' } },
      { name: 'Vinci', geocode: { valueName: 'ISTAT', value: '048050' } },
    ],
    web: 'https://allerte.empolese.example.it/',
    ...overrides,
  }
}

function message(doc: AlertDocument): OutgoingMessage {
  return {
    idempotencyKey: `web-${doc.identifier}`,
    destination: { type: 'page' },
    text: doc.headline,
    alert: doc,
  }
}

function capFile(identifier: string): string {
  return path.join(dir, 'www', `${identifier}.xml`)
}

function readCap(identifier: string): Cap {
  return parser.parse(fs.readFileSync(capFile(identifier), 'utf8')) as Cap
}

describe('website adapter: CAP 1.2 file', () => {
  it('the schema check itself refuses an invalid CAP document', () => {
    expect(capSchemaErrors(path.join(CAP_SPECS, 'invalid.cap'))).not.toBe('')
    expect(capSchemaErrors(path.join(CAP_SPECS, 'thunderstorm.cap'))).toBe('')
  })

  it('writes <identifier>.xml that validates against the OASIS CAP 1.2 schema', async () => {
    const outcome = await adapter.send(message(alert()))
    expect(outcome).toEqual({
      status: 'sent',
      providerId: 'https://allerte.empolese.example.it/cap/it.empolese.2025.0042.xml',
    })
    expect(capSchemaErrors(capFile('it.empolese.2025.0042'))).toBe('')
  })

  it('fills the CAP fields for the public, in Italian, with ISTAT geocodes per comune', async () => {
    await adapter.send(message(alert()))
    const cap = readCap('it.empolese.2025.0042')
    expect(cap.alert['@_xmlns']).toBe('urn:oasis:names:tc:emergency:cap:1.2')
    expect(cap.alert).toMatchObject({
      identifier: 'it.empolese.2025.0042',
      sender: 'protezionecivile@empolese.example.it',
      sent: '2025-01-10T09:00:00+01:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
    })
    expect(cap.alert.references).toBeUndefined()
    const info = cap.alert.info[0]!
    expect(info).toMatchObject({
      language: 'it-IT',
      category: ['Met'],
      event: 'Neve',
      urgency: 'Expected',
      severity: 'Severe',
      certainty: 'Likely',
      onset: '2025-01-10T19:00:00+01:00',
      expires: '2025-01-12T00:59:00+01:00',
      senderName: 'Protezione civile Empolese Valdelsa',
      headline: 'Allerta arancione per neve',
      instruction: 'Limitare gli spostamenti. Scuole chiuse.',
      web: 'https://allerte.empolese.example.it/',
    })
    expect(info.parameter).toEqual([{ valueName: 'awareness_level', value: '3; orange; Severe' }])
    expect(info.area).toEqual([
      { areaDesc: 'Empoli', geocode: [{ valueName: 'ISTAT', value: '048014' }] },
      { areaDesc: 'Vinci', geocode: [{ valueName: 'ISTAT', value: '048050' }] },
    ])
  })

  it.each([
    ['verde', 'Future', 'Minor', 'Possible'],
    ['giallo', 'Future', 'Moderate', 'Likely'],
    ['arancione', 'Expected', 'Severe', 'Likely'],
    ['rosso', 'Immediate', 'Extreme', 'Likely'],
  ] as const)('maps level %s to %s / %s / %s', async (level, urgency, severity, certainty) => {
    const doc = alert({ identifier: `livello-${level}`, level })
    await adapter.send(message(doc))
    expect(readCap(doc.identifier).alert.info[0]).toMatchObject({ urgency, severity, certainty })
    expect(capSchemaErrors(capFile(doc.identifier))).toBe('')
  })

  it('uses summer time offsets and picks categories from the event', async () => {
    const doc = alert({
      identifier: 'estate',
      event: 'Rischio idrogeologico',
      sent: '2025-07-01T10:00:00Z',
      onset: '2025-07-01T12:00:00Z',
      expires: '2025-07-02T12:00:00Z',
    })
    await adapter.send(message(doc))
    const cap = readCap('estate')
    expect(cap.alert.sent).toBe('2025-07-01T12:00:00+02:00')
    expect(cap.alert.info[0]?.category).toEqual(['Met', 'Geo'])
    await adapter.send(message(alert({ identifier: 'scuole', event: 'Chiusura scuole' })))
    expect(readCap('scuole').alert.info[0]?.category).toEqual(['Safety'])
  })

  it('marks drills as Exercise and links an Update to the alert it follows', async () => {
    const first = alert({ identifier: 'esercitazione-1', status: 'Exercise' })
    await adapter.send(message(first))
    const update = alert({
      identifier: 'esercitazione-2',
      status: 'Exercise',
      msgType: 'Update',
      sent: '2025-01-10T12:00:00Z',
      references: [
        'protezionecivile@empolese.example.it,esercitazione-1,2025-01-10T09:00:00+01:00',
      ],
    })
    await adapter.send(message(update))
    const cap = readCap('esercitazione-2')
    expect(cap.alert).toMatchObject({ status: 'Exercise', msgType: 'Update' })
    expect(cap.alert.references).toBe(
      'protezionecivile@empolese.example.it,esercitazione-1,2025-01-10T09:00:00+01:00',
    )
    expect(capSchemaErrors(capFile('esercitazione-2'))).toBe('')
  })

  it('writes a valid Cancel with urgency Past that brings the area back to green', async () => {
    const cancel = alert({
      identifier: 'revoca-1',
      msgType: 'Cancel',
      references: [
        'protezionecivile@empolese.example.it,it.empolese.2025.0042,2025-01-10T09:00:00+01:00',
      ],
    })
    expect((await adapter.send(message(cancel))).status).toBe('sent')
    expect(readCap('revoca-1').alert.info[0]).toMatchObject({
      urgency: 'Past',
      severity: 'Minor',
      parameter: [{ valueName: 'awareness_level', value: '1; green; Minor' }],
    })
    expect(capSchemaErrors(capFile('revoca-1'))).toBe('')
  })

  it('round-trips <, &, quotes and emoji, and drops control characters XML cannot carry', async () => {
    const headline = 'Fiume "Arno" & torrente <Orme> l\'argine 🌊⚠️ livello > soglia'
    const description = 'Riga 1 <script>alert(1)</script>\nRiga 2 & "citazione" 👍\u0007\u0000fine'
    await adapter.send(message(alert({ identifier: 'testo-difficile', headline, description })))
    const raw = fs.readFileSync(capFile('testo-difficile'), 'utf8')
    expect(raw).not.toContain('<script>')
    expect(capSchemaErrors(capFile('testo-difficile'))).toBe('')
    const info = readCap('testo-difficile').alert.info[0]!
    expect(info.headline).toBe(headline)
    expect(info.description).toBe('Riga 1 <script>alert(1)</script>\nRiga 2 & "citazione" 👍fine')
  })

  it('writes an alert without areas or optional texts that still validates', async () => {
    const doc = alert({
      identifier: 'minima',
      areas: [],
      instruction: '',
      web: undefined,
      description: '  ',
    })
    expect((await adapter.send(message(doc))).status).toBe('sent')
    const info = readCap('minima').alert.info[0]!
    expect(info.instruction).toBeUndefined()
    expect(info.description).toBeUndefined()
    expect(info.area).toBeUndefined()
    expect(capSchemaErrors(capFile('minima'))).toBe('')
  })

  it('is idempotent: the same identifier rewrites the same file with the same content', async () => {
    await adapter.send(message(alert()))
    const first = fs.readFileSync(capFile('it.empolese.2025.0042'), 'utf8')
    const feed = fs.readFileSync(path.join(dir, 'www', 'feed.xml'), 'utf8')
    expect(adapter.idempotent).toBe(true)
    await adapter.send(message(alert()))
    expect(fs.readFileSync(capFile('it.empolese.2025.0042'), 'utf8')).toBe(first)
    expect(fs.readFileSync(path.join(dir, 'www', 'feed.xml'), 'utf8')).toBe(feed)
    expect(fs.readdirSync(path.join(dir, 'www')).sort()).toEqual([
      'feed.xml',
      'it.empolese.2025.0042.xml',
    ])
  })
})

describe('website adapter: alerts CAP cannot carry', () => {
  it.each([
    ['no alert document', { alert: undefined }],
    ['an identifier with spaces', { alert: alert({ identifier: 'allerta numero 1' }) }],
    [
      'an identifier that climbs out of the folder',
      { alert: alert({ identifier: '../../etc/passwd' }) },
    ],
    ['an identifier that would overwrite the feed', { alert: alert({ identifier: 'feed' }) }],
    ['a date that is not a date', { alert: alert({ onset: 'domani sera' }) }],
    ['an Update without references', { alert: alert({ msgType: 'Update' }) }],
    ['a malformed reference', { alert: alert({ msgType: 'Cancel', references: ['solo-un-id'] }) }],
    ['an area without a name', { alert: alert({ areas: [{ name: ' ' }] }) }],
    ['an empty event', { alert: alert({ event: '' }) }],
  ])('refuses %s as permanent, writing nothing', async (_label, override) => {
    const base = message(alert())
    const outcome = await adapter.send({ ...base, ...override } as OutgoingMessage)
    expect(outcome).toMatchObject({ status: 'failed', retry: 'permanent', code: 'invalid_alert' })
    if (outcome.status === 'failed') expect(outcome.reason.length).toBeGreaterThan(10)
    expect(fs.existsSync(path.join(dir, 'www'))).toBe(false)
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('reports a folder it cannot write to as a permanent storage failure', async () => {
    const blocker = path.join(dir, 'un-file')
    fs.writeFileSync(blocker, 'non una cartella')
    const blocked = createWebsiteAdapter({
      accountId: 9,
      name: 'PC',
      settings: {
        outputDir: path.join(blocker, 'www'),
        publicBaseUrl: 'https://x.example.it',
        senderId: 'pc@x.example.it',
      },
      secrets: {},
    })
    expect(await blocked.send(message(alert()))).toMatchObject({
      status: 'failed',
      retry: 'permanent',
      code: 'storage',
    })
    const check = await blocked.testConnection()
    expect(check.ok).toBe(false)
    expect(check.message).toContain('Impossibile scrivere')
  })

  it('testConnection confirms a writable folder and leaves nothing behind', async () => {
    const check = await adapter.testConnection()
    expect(check.ok).toBe(true)
    expect(fs.readdirSync(path.join(dir, 'www'))).toEqual([])
  })
})
