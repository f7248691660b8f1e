import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import type { ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createWebsiteAdapter } from '../../../src/main/core/channels/adapters/website'
import { renderAlertTexts } from '../../../src/main/core/alerts/template-texts'
import { alertDocument, englishPageWords } from '../../../src/main/core/outbox/alert-document'
import type { Alert } from '../../../src/shared/alerts/types'
import { templateFileSchema, type Template } from '../../../src/shared/templates/template-schema'
import { capSchemaErrors } from '../../support/cap-schema'

// The shipped templates, filled for an alert, its update and its cessata, published
// by the real website adapter: each CAP file carries the Italian info and its
// English twin, and passes the OASIS schema with xmllint.

const FILE = path.resolve(__dirname, '../../../resources/templates/default-templates.json')
const { templates } = templateFileSchema.parse(JSON.parse(fs.readFileSync(FILE, 'utf8')))
const byId = (id: string): Template => templates.find((t) => t.id === id)!

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['info', 'area', 'category', 'geocode', 'parameter'].includes(name),
})
type Info = Record<string, unknown> & {
  language: string
  headline?: string
  description?: string
  instruction?: string
}

const SENDER = 'protezionecivile@empolese.example.it'
const EXTRA = {
  ente: 'Protezione civile Empolese Valdelsa',
  link: 'https://www.empolese-valdelsa.it/allerta',
  numero_emergenza: '112',
  hashtag: '#allertameteoTOS',
}

function version(
  id: number,
  msgType: Alert['msgType'],
  template: Template,
  over: Partial<Alert> = {},
): Alert {
  const base: Alert = {
    id,
    identifier: `it.empolese.2025.00${id}`,
    kind: 'neve',
    level: 'arancione',
    comuni: [
      { name: 'Empoli', istatCode: '048014' },
      { name: 'Vinci', istatCode: '048050' },
    ],
    validFrom: '2025-12-03T13:00:00.000Z',
    validTo: '2025-12-04T07:00:00.000Z',
    headline: 'Allerta arancione per neve su Empoli e Vinci',
    description: 'Nevicate abbondanti attese sopra i 200 m.',
    instruction: 'Limita gli spostamenti.',
    msgType,
    referencesAlertId: id === 1 ? null : 1,
    texts: {} as Alert['texts'],
    targets: { accountIds: [], listIds: [], partnerIds: [] } as unknown as Alert['targets'],
    status: 'done',
    mode: 'real',
    createdBy: 'test',
    createdAt: '2025-12-03T10:00:00.000Z',
    updatedAt: '2025-12-03T10:00:00.000Z',
    confirmedBy: 'test',
    confirmedAt: `2025-12-03T1${id}:00:00.000Z`,
    sendAfter: 0,
    finishedAt: null,
    callsAtNight: false,
    ...over,
  }
  const { texts } = renderAlertTexts(
    { ...template, kind: base.kind, level: base.level },
    base,
    EXTRA,
  )
  return { ...base, texts }
}

let dir: string
let adapter: ChannelAdapter
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-cap-en-'))
  adapter = createWebsiteAdapter({
    accountId: 9,
    name: 'Protezione civile Empolese Valdelsa',
    settings: {
      outputDir: path.join(dir, 'www'),
      publicBaseUrl: 'https://allerte.empolese.example.it/cap/',
      senderId: SENDER,
    },
    secrets: {},
  })
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

async function publish(alert: Alert, chain: Alert[]): Promise<{ file: string; infos: Info[] }> {
  const doc = alertDocument(alert, chain, SENDER)
  const outcome = await adapter.send({
    idempotencyKey: `web-${alert.identifier}`,
    destination: { type: 'page' },
    text: alert.texts.website,
    alert: doc,
  })
  expect(outcome.status).toBe('sent')
  const file = path.join(dir, 'www', `${alert.identifier}.xml`)
  const cap = parser.parse(fs.readFileSync(file, 'utf8')) as { alert: { info: Info[] } }
  return { file, infos: cap.alert.info }
}

/** What the two infos share: codes, times, parameters and areas. */
function shared(info: Info): Record<string, unknown> {
  const { language: _l, event: _e, headline: _h, description: _d, instruction: _i, ...rest } = info
  return rest
}

describe('website CAP in Italian and English', () => {
  it.each([
    ['Alert', 'neve-arancione'],
    ['Update', 'aggiornamento-neve'],
    ['Cancel', 'cessata-neve'],
  ] as const)(
    'a %s from %s carries it-IT then en-GB, the same codes and areas, valid CAP',
    async (msgType, templateId) => {
      const first = version(1, 'Alert', byId('neve-arancione'))
      const alert =
        msgType === 'Alert'
          ? first
          : version(2, msgType, byId(templateId), msgType === 'Cancel' ? { level: 'verde' } : {})
      const { file, infos } = await publish(alert, msgType === 'Alert' ? [] : [first])
      expect(capSchemaErrors(file)).toBe('')
      expect(infos.map((i) => i.language)).toEqual(['it-IT', 'en-GB'])
      const [it, en] = infos as [Info, Info]
      expect(it.event).toBe('Neve')
      expect(en.event).toBe('Snow')
      expect(shared(en)).toEqual(shared(it))
      const words = englishPageWords(alert.texts.website_en)
      expect(en.headline).toBe(words.headline)
      expect(en.description).toBe(words.description)
      if (words.instruction === '') expect(en.instruction).toBeUndefined()
      else expect(en.instruction).toBe(words.instruction)
      expect(en.headline).not.toBe(it.headline)
      if (msgType !== 'Cancel') {
        expect(en.headline).toBe(
          `${msgType === 'Update' ? 'Update: ' : ''}ORANGE alert for snow in Empoli and Vinci`,
        )
        expect(en.description).toContain(
          'Valid from 2 pm on Wednesday 3 December to 8 am on Thursday 4 December.',
        )
        expect(en.instruction).toContain('In an emergency call 112.')
      } else {
        expect(en.headline).toBe('All clear for snow in Empoli and Vinci')
        expect(it.urgency).toBe('Past')
      }
    },
  )

  it('a version without an English text publishes the Italian info alone', async () => {
    const alert = version(1, 'Alert', byId('neve-arancione'))
    const { file, infos } = await publish(
      { ...alert, texts: { ...alert.texts, website_en: '' } },
      [],
    )
    expect(capSchemaErrors(file)).toBe('')
    expect(infos.map((i) => i.language)).toEqual(['it-IT'])
  })

  it('publishes the operator’s edit of the English text', async () => {
    const alert = version(1, 'Alert', byId('neve-arancione'))
    const edited = 'Snow in Empoli\n\nHeavy snow tonight.\n\nWhat to do: stay at home.'
    const { file, infos } = await publish(
      { ...alert, texts: { ...alert.texts, website_en: edited } },
      [],
    )
    expect(capSchemaErrors(file)).toBe('')
    expect(infos[1]).toMatchObject({
      language: 'en-GB',
      headline: 'Snow in Empoli',
      description: 'Heavy snow tonight.',
      instruction: 'stay at home.',
    })
  })
})
