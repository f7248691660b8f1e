import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import type { Alert } from '../../../src/main/core/alerts/types'
import type { AdapterConfig, ChannelAdapter } from '../../../src/main/core/channels/adapter'
import { createBlueskyAdapter } from '../../../src/main/core/channels/adapters/bluesky'
import { createSmtpAdapter } from '../../../src/main/core/channels/adapters/smtp'
import { createWebsiteAdapter } from '../../../src/main/core/channels/adapters/website'
import { createXAdapter } from '../../../src/main/core/channels/adapters/x'
import { createDispatcher, type Dispatcher } from '../../../src/main/core/outbox/dispatcher'
import { startFakeBluesky, type FakeBluesky } from '../../fakes/bluesky-fake'
import { prismVerdict, startPrism, type PrismMock } from '../../fakes/prism'
import { startFakeSmtp, type FakeSmtpServer } from '../../fakes/smtp-server'
import { startFakeX, type FakeX } from '../../fakes/x-fake'
import { capSchemaErrors } from '../../support/cap-schema'
import {
  addAccount,
  alertsService,
  draftInput,
  listsResolver,
  openWorkspace,
  stateCounts,
  type Workspace,
} from './support'

/**
 * An alert (orange, Empoli), its update (red, Empoli and Vinci, longer
 * validity, new words) and its "cessata allerta", sent through the outbox to
 * the website folder, a real SMTP server, X and Bluesky: each version publishes
 * its own content, and every follow-up is threaded under the first message.
 */

const SENDER = 'protezionecivile@empolese.example.it'
const BASE = 'https://allerte.empolese.example.it/cap'
const FROM = 'allerte@empolese.example.it'
const FAMILIES = ['rossi@example.it', 'bianchi@example.it']

const ORIGINAL = {
  headline: 'Allerta arancione per rischio idraulico',
  description: "Possibile passaggio della piena dell'Arno con livelli sopra la prima soglia.",
  instruction: 'Stai lontano dagli argini e non scendere nei sottopassi.',
  website:
    "Allerta arancione su Empoli\n\nPossibile passaggio della piena dell'Arno. Stai lontano dagli argini.",
}
const UPDATE = {
  headline: 'Allerta rossa per rischio idraulico',
  description: "Piena dell'Arno in arrivo: superata la seconda soglia a Empoli, esteso a Vinci.",
  instruction: 'Sali ai piani alti, non usare l’auto, segui le indicazioni della polizia locale.',
  website:
    'Aggiornamento: allerta rossa su Empoli e Vinci\n\nSuperata la seconda soglia. Sali ai piani alti.',
}
const CESSATA = {
  website:
    "Cessata allerta su Empoli e Vinci\n\nDalle 10:00 è cessata l'allerta. Fai ancora attenzione a fango e rami sulle strade.",
  email_subject: 'Cessata allerta - Empoli, Vinci',
  email_body: "Dalle 10:00 è cessata l'allerta su Empoli e Vinci.",
  x: 'Cessata allerta su Empoli e Vinci dalle 10:00.',
  bluesky: 'Cessata allerta su Empoli e Vinci dalle 10:00.',
}
const EMPOLI = { name: 'Empoli', istatCode: '048014' }
const VINCI = { name: 'Vinci', istatCode: '048050' }

interface CapInfo {
  event: string
  urgency: string
  severity: string
  certainty: string
  onset: string
  expires: string
  headline?: string
  description?: string
  instruction?: string
  parameter: { valueName: string; value: string }[]
  area?: { areaDesc: string }[]
}
interface Cap {
  alert: { identifier: string; msgType: string; references?: string; info: CapInfo[] }
}
interface FeedEntry {
  id: string
  title: string
  summary: { '#text'?: string }
  content?: { '#text'?: string; '@_type'?: string }
  category?: { '@_term': string }[]
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['info', 'area', 'parameter', 'entry', 'category'].includes(name),
})

let ws: Workspace | undefined
let dir: string | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
  ws?.dispose()
  ws = undefined
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

let prism: PrismMock
beforeAll(async () => {
  prism = await startPrism(
    path.resolve(__dirname, '../../../../shared/specs/openapi/x_api_v2.json'),
  )
}, 90_000)
afterAll(async () => {
  await prism?.close()
})

interface Room {
  w: Workspace
  www: string
  smtp: FakeSmtpServer
  x: FakeX
  bluesky: FakeBluesky
  versions: Alert[]
}

/** Ticks until the alert has nothing left to send, a second of clock at a time. */
async function drain(w: Workspace, dispatcher: Dispatcher, alertId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const open = stateCounts(w.db, alertId)
    if ((open.queued ?? 0) + (open.sending ?? 0) === 0) return
    await dispatcher.tick()
    w.clock.advance(1_000)
  }
  throw new Error(`alert ${alertId} did not finish sending`)
}

/** Sends the alert, its update and its cessata to every channel, in order. */
async function alertUpdateCessata(): Promise<Room> {
  ws = openWorkspace()
  const w = ws
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vedetta-versions-'))
  const www = path.join(dir, 'www')
  const smtp = await startFakeSmtp()
  cleanups.push(() => smtp.close())
  const x = await startFakeX({ now: w.clock.now })
  cleanups.push(() => x.close())
  const bluesky = await startFakeBluesky({ now: w.clock.now })
  cleanups.push(() => bluesky.close())

  const settings: Record<string, Record<string, unknown>> = {
    website: { outputDir: www, publicBaseUrl: BASE, senderId: SENDER },
    email: { host: smtp.host, port: smtp.port, security: 'none', fromAddress: FROM },
    x: { baseUrl: x.url, handle: 'PCEmpolese' },
    bluesky: { baseUrl: bluesky.url, handle: `@${bluesky.handle}` },
  }
  const ids = {
    website: addAccount(w, 'website', 'Sito PC', settings.website),
    email: addAccount(w, 'email_smtp', 'Posta PC', settings.email),
    x: addAccount(w, 'x', 'Profilo X', settings.x),
    bluesky: addAccount(w, 'bluesky', 'Bluesky', settings.bluesky),
  }
  const config = (family: keyof typeof ids, secrets: Record<string, string>): AdapterConfig => ({
    accountId: ids[family],
    name: 'Protezione civile Empolese Valdelsa',
    settings: settings[family]!,
    secrets,
    now: w.clock.now,
  })
  const adapters = new Map<number, ChannelAdapter>([
    [ids.website, createWebsiteAdapter(config('website', {}))],
    [ids.email, createSmtpAdapter(config('email', {}))],
    [ids.x, createXAdapter(config('x', { accessToken: x.token }))],
    [ids.bluesky, createBlueskyAdapter(config('bluesky', { appPassword: bluesky.appPassword }))],
  ])
  cleanups.push(async () => {
    for (const a of adapters.values()) await a.close?.()
  })
  const dispatcher = createDispatcher({
    db: w.db,
    adapterFor: (accountId) => adapters.get(accountId)!,
    now: w.clock.now,
  })
  cleanups.push(() => dispatcher.stop())
  const alerts = alertsService(w, listsResolver({ 1: { email: FAMILIES } }))
  const send = async (alert: Alert): Promise<Alert> => {
    alerts.confirm(alert.id, 'Maria', { cancelWindowSeconds: 0 })
    await drain(w, dispatcher, alert.id)
    w.clock.advance(60 * 60_000)
    return alerts.get(alert.id)
  }

  const original = await send(
    alerts.createDraft(
      draftInput({
        kind: 'idraulico',
        level: 'arancione',
        comuni: [EMPOLI],
        validFrom: '2026-02-07T14:00:00+01:00',
        validTo: '2026-02-08T08:00:00+01:00',
        headline: ORIGINAL.headline,
        description: ORIGINAL.description,
        instruction: ORIGINAL.instruction,
        texts: {
          ...draftInput().texts,
          website: ORIGINAL.website,
          x: 'Allerta arancione su Empoli.',
          bluesky: 'Allerta arancione su Empoli.',
        },
        targets: { accountIds: Object.values(ids), listIds: [1] },
      }),
      'Maria',
    ),
  )
  const update = await send(
    alerts.createFollowUp(
      original.id,
      {
        msgType: 'Update',
        changes: {
          level: 'rosso',
          comuni: [EMPOLI, VINCI],
          validTo: '2026-02-09T08:00:00+01:00',
          headline: UPDATE.headline,
          description: UPDATE.description,
          instruction: UPDATE.instruction,
          texts: {
            website: UPDATE.website,
            email_subject: 'Aggiornamento: allerta rossa - Empoli, Vinci',
            x: 'Aggiornamento: allerta rossa su Empoli e Vinci.',
            bluesky: 'Aggiornamento: allerta rossa su Empoli e Vinci.',
          },
        },
      },
      'Maria',
    ),
  )
  const cessata = await send(
    alerts.createFollowUp(update.id, { msgType: 'Cancel', changes: { texts: CESSATA } }, 'Luca'),
  )
  return { w, www, smtp, x, bluesky, versions: [original, update, cessata] }
}

function readCap(www: string, alert: Alert): Cap {
  return parser.parse(fs.readFileSync(path.join(www, `${alert.identifier}.xml`), 'utf8')) as Cap
}

describe('an alert, its update and its cessata', () => {
  it('publish three CAP files, each with its own info, valid against CAP 1.2', async () => {
    const { www, versions } = await alertUpdateCessata()
    const [original, update, cessata] = versions as [Alert, Alert, Alert]
    for (const v of versions) {
      expect(capSchemaErrors(path.join(www, `${v.identifier}.xml`))).toBe('')
    }
    const triple = (a: Alert) => {
      const cap = readCap(www, a).alert as Cap['alert'] & { sender: string; sent: string }
      return `${cap.sender},${cap.identifier},${cap.sent}`
    }

    const first = readCap(www, original).alert
    expect(first.msgType).toBe('Alert')
    expect(first.info[0]?.parameter).toEqual([
      { valueName: 'awareness_level', value: '3; orange; Severe' },
    ])

    // The update says red, for Empoli and Vinci, until Monday, in its own words.
    const second = readCap(www, update).alert
    expect(second.msgType).toBe('Update')
    expect(second.references).toBe(triple(original))
    expect(second.info[0]).toMatchObject({
      event: 'Rischio idraulico',
      urgency: 'Immediate',
      severity: 'Extreme',
      certainty: 'Likely',
      headline: UPDATE.headline,
      description: UPDATE.description,
      instruction: UPDATE.instruction,
      onset: '2026-02-07T14:00:00+01:00',
      expires: '2026-02-09T08:00:00+01:00',
      parameter: [{ valueName: 'awareness_level', value: '4; red; Extreme' }],
    })
    expect(second.info[0]?.area?.map((a) => a.areaDesc)).toEqual(['Empoli', 'Vinci'])

    // The cessata references both versions and says, in its own words, that it is over.
    const third = readCap(www, cessata).alert
    expect(third.msgType).toBe('Cancel')
    expect(third.references).toBe(`${triple(original)} ${triple(update)}`)
    const info = third.info[0]!
    expect(info).toMatchObject({
      event: 'Rischio idraulico',
      urgency: 'Past',
      severity: 'Minor',
      parameter: [{ valueName: 'awareness_level', value: '1; green; Minor' }],
    })
    const [title, body] = CESSATA.website.split('\n\n')
    expect(info.headline).toBe(title)
    expect(info.description).toBe(body)
    expect(info.instruction).toBeUndefined()
    const said = JSON.stringify(info)
    for (const old of [ORIGINAL, UPDATE]) {
      for (const words of [old.headline, old.description, old.instruction])
        expect(said).not.toContain(words)
    }
    expect(info.area?.map((a) => a.areaDesc)).toEqual(['Empoli', 'Vinci'])
  })

  it('give each version its own Atom entry, with the operator’s website text as content', async () => {
    const { www, versions } = await alertUpdateCessata()
    const feed = parser.parse(fs.readFileSync(path.join(www, 'feed.xml'), 'utf8')) as {
      feed: { entry: FeedEntry[] }
    }
    const entries = feed.feed.entry
    expect(entries.map((e) => e.id)).toEqual(
      [...versions].reverse().map((v) => `${BASE}/${v.identifier}.xml`),
    )
    const [ended, updated, first] = entries as [FeedEntry, FeedEntry, FeedEntry]
    expect(ended.title).toBe('Cessata allerta su Empoli e Vinci')
    expect(ended.summary['#text']).toBe(CESSATA.website.split('\n\n')[1])
    expect(ended.content).toEqual({ '@_type': 'text', '#text': CESSATA.website })
    expect(ended.category).toEqual([{ '@_term': 'verde' }])
    expect(updated.title).toBe(`Aggiornamento: ${UPDATE.headline}`)
    expect(updated.summary['#text']).toBe(UPDATE.description)
    expect(updated.content?.['#text']).toBe(UPDATE.website)
    expect(updated.category).toEqual([{ '@_term': 'rosso' }])
    expect(first.title).toBe(ORIGINAL.headline)
    expect(first.content?.['#text']).toBe(ORIGINAL.website)
  })

  it('thread the e-mails of each family under the first one', async () => {
    const { smtp, versions } = await alertUpdateCessata()
    expect(smtp.messages).toHaveLength(3 * FAMILIES.length)
    const ids = new Set(smtp.messages.map((m) => m.messageId))
    expect(ids.size).toBe(smtp.messages.length)
    for (const family of FAMILIES) {
      const mails = smtp.messages.filter((m) => m.to[0] === family)
      expect(mails.map((m) => m.subject)).toEqual([
        'Allerta arancione neve',
        'Aggiornamento: allerta rossa - Empoli, Vinci',
        CESSATA.email_subject,
      ])
      const [a, u, c] = mails.map((m) => m.messageId) as [string, string, string]
      versions.forEach((v, i) => {
        expect(mails[i]?.messageId).toMatch(
          new RegExp(
            `^<${v.identifier}\\.${i + 1}\\.[0-9a-f]{16}@vedetta\\.empolese\\.example\\.it>$`,
          ),
        )
      })
      expect(mails[0]?.headers['in-reply-to']).toBeUndefined()
      expect(mails[0]?.headers.references).toBeUndefined()
      expect(mails[1]?.headers['in-reply-to']).toBe(a)
      expect(mails[1]?.headers.references).toBe(a)
      expect(mails[2]?.headers['in-reply-to']).toBe(a)
      expect(mails[2]?.headers.references?.split(/\s+/)).toEqual([a, u])
      expect(c).not.toBe(u)
    }
  })

  it('reply on X to the first post, in requests the X specification accepts', async () => {
    const { x } = await alertUpdateCessata()
    const [first, update, cessata] = x.tweets
    expect(first?.inReplyTo).toBeUndefined()
    expect(update).toMatchObject({
      text: expect.stringContaining('Aggiornamento'),
      inReplyTo: first?.id,
    })
    expect(cessata).toMatchObject({ text: CESSATA.x, inReplyTo: first?.id })
    // The very bodies the adapter sent, checked by Prism against X's OpenAPI document.
    const bodies = x.requests.filter((r) => r.path === '/2/tweets').map((r) => r.body)
    expect(bodies[2]).toEqual({ text: CESSATA.x, reply: { in_reply_to_tweet_id: first?.id } })
    for (const body of bodies) {
      const res = await fetch(`${prism.url}/2/tweets`, {
        method: 'POST',
        headers: { Authorization: 'Bearer prism-user-token', 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(await prismVerdict(res)).toEqual({ status: 201, requestViolations: [] })
    }
  })

  it('reply on Bluesky with the thread’s root and the previous post as parent', async () => {
    const { bluesky } = await alertUpdateCessata()
    const [first, update, cessata] = bluesky.posts
    const ref = (p: typeof first) => ({ uri: p?.uri, cid: p?.cid })
    expect(first?.value.reply).toBeUndefined()
    expect(update?.value.reply).toEqual({ root: ref(first), parent: ref(first) })
    expect(cessata?.value).toMatchObject({
      text: CESSATA.bluesky,
      reply: { root: ref(first), parent: ref(update) },
    })
  })
})
