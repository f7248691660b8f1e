import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core/app'
import { createNoticesRepository } from '../../../src/main/core/notices/notices-repository'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { ApiErrorBody, BulletinAlertView, Envelope } from '../../../src/shared/contract'
import type {
  ManualAvvisoInput,
  ManualAvvisoResult,
  NoticeView,
} from '../../../src/shared/contract/notices'
import type { FeedItem, FeedSource } from '../../../src/shared/feeds/types'
import { describeIssue } from '../../../src/shared/validation/messages'
import notices from '../../../src/renderer/src/i18n/domains/notices'

const VALDARNO_INF = [
  'Capraia e Limite',
  'Cerreto Guidi',
  'Empoli',
  'Fucecchio',
  'Montelupo Fiorentino',
  'Vinci',
]

let clock = new Date('2026-02-07T12:00:00Z')
let dataDir: string
let core: Core
let alerts: BulletinAlertView[] = []

function open(): Core {
  core = createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../../resources'),
    now: () => clock,
  })
  core.events.on('feeds:alert', (a) => alerts.push(a))
  return core
}

async function send(name: string, payload: unknown): Promise<Envelope> {
  return createDispatch(core.handlers)(name, payload, { operator: 'Giulia' })
}
async function call<T>(name: string, payload: unknown): Promise<T> {
  const r = await send(name, payload)
  if (!r.ok) throw Object.assign(new Error(r.error.message), { body: r.error })
  return r.value as T
}
async function refused(payload: unknown): Promise<ApiErrorBody> {
  const r = await send('notices:createAvviso', payload)
  if (r.ok) throw new Error('accepted')
  return r.error
}

const avviso = (patch: Partial<ManualAvvisoInput> = {}): ManualAvvisoInput => ({
  number: '45/2026',
  zones: ['Valdarno Inf.'],
  risk: 'idraulico',
  level: 'arancione',
  // Rome's wall clock: 14:00 on 7 February is 13:00 UTC.
  validFrom: '2026-02-07T14:00',
  validTo: '2026-02-08T23:59',
  link: 'https://www.regione.toscana.it/allertameteo/avviso-45-2026.pdf',
  ...patch,
})

beforeEach(() => {
  clock = new Date('2026-02-07T12:00:00Z')
  alerts = []
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-avviso-'))
  open()
})
afterEach(() => {
  core.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('an avviso entered by hand', () => {
  it('for Valdarno Inf. orange raises the banner, whose draft names Empoli, Vinci…', async () => {
    const result = await call<ManualAvvisoResult>('notices:createAvviso', avviso())
    expect(result).toMatchObject({ change: 'new', raised: true, comuni: VALDARNO_INF })

    expect(alerts).toHaveLength(1)
    const banner = alerts[0]!
    expect(banner).toMatchObject({ change: 'new', level: 'arancione' })
    expect(banner.item.id).toBe(result.itemId)
    expect(banner.draft).toMatchObject({
      kind: 'idraulico',
      level: 'arancione',
      comuni: VALDARNO_INF,
      validFrom: '2026-02-07T13:00:00.000Z',
      validTo: '2026-02-08T22:59:00.000Z',
      headline: 'Allerta arancione per rischio idraulico',
      feedItemId: result.itemId,
    })
    expect(banner.draft.comuni).not.toContain('Certaldo')
    expect(banner.changes).toEqual([`${VALDARNO_INF.join(', ')}: idraulico arancione`])

    // Stored like a fetched bulletin, under the source of avvisi entered by hand.
    const sources = await call<FeedSource[]>('feeds:sources', {})
    const manual = sources.find((s) => s.kind === 'manual')
    expect(manual).toMatchObject({ enabled: false })
    const { items } = await call<{ items: FeedItem[] }>('feeds:items', { oursOnly: true })
    expect(items[0]).toMatchObject({ id: result.itemId, sourceId: manual!.id, level: 'arancione' })
    expect(items[0]!.bulletin.web).toBe(avviso().link)

    // The banner waits until acknowledged, after a restart too.
    core.close()
    open()
    const pending = await call<BulletinAlertView[]>('feeds:pendingAlerts', {})
    expect(pending.map((p) => p.item.id)).toEqual([result.itemId])
    expect(pending[0]!.draft.comuni).toEqual(VALDARNO_INF)
    const draft = await call<{ comuni: string[] }>('feeds:draftFor', { itemId: result.itemId })
    expect(draft.comuni).toEqual(VALDARNO_INF)
  })

  it('entered again with a higher level is an upgrade, not a second avviso', async () => {
    const first = await call<ManualAvvisoResult>('notices:createAvviso', avviso())
    const second = await call<ManualAvvisoResult>(
      'notices:createAvviso',
      avviso({ number: '45 / 2026', level: 'rosso' }),
    )
    expect(second).toMatchObject({ itemId: first.itemId, change: 'revised', raised: true })
    expect(alerts.at(-1)).toMatchObject({
      change: 'revised',
      previousLevel: 'arancione',
      level: 'rosso',
      escalated: true,
    })
    expect(alerts.at(-1)!.draft.level).toBe('rosso')
  })

  it('for a zone none of our comuni lies in is kept, and raises nothing', async () => {
    const result = await call<ManualAvvisoResult>(
      'notices:createAvviso',
      avviso({ number: '46/2026', zones: ['Mugello-Val di Sieve'] }),
    )
    expect(result).toMatchObject({ change: 'new', raised: false, comuni: [] })
    expect(alerts).toEqual([])
  })

  it('read from a notice is linked to it and says where it came from', async () => {
    const repo = createNoticesRepository(core.db)
    const noticeId = repo.store(
      {
        messageId: '<avviso-47@regione.toscana.it>',
        from: 'cfr.avvisi@regione.toscana.it',
        fromName: 'Centro Funzionale Regionale',
        subject: 'Avviso di criticità n. 47/2026 – codice GIALLO',
        receivedAt: '2026-02-07T11:40:00.000Z',
        sentAt: null,
        text: '',
        size: 1000,
        uidValidity: '1',
        uid: 1,
        attachments: [
          {
            name: 'avviso-47-2026.pdf',
            size: 10,
            mediaType: 'application/pdf',
            sha256: 'a'.repeat(64),
            file: `${'a'.repeat(64)}/avviso-47-2026.pdf`,
          },
        ],
      },
      clock.toISOString(),
    )!
    const result = await call<ManualAvvisoResult>(
      'notices:createAvviso',
      avviso({ number: '47/2026', level: 'giallo', noticeId }),
    )
    const { items } = await call<{ items: NoticeView[] }>('notices:list', {})
    expect(items[0]).toMatchObject({ id: noticeId, avvisoItemId: result.itemId })
    const description = alerts[0]!.item.bulletin.description
    expect(description).toContain('«Avviso di criticità n. 47/2026 – codice GIALLO»')
    expect(description).toContain('avviso-47-2026.pdf')

    const missing = await send('notices:createAvviso', avviso({ noticeId: 9999 }))
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
  })

  it('refuses bad input with a clear Italian reason for each field', async () => {
    const error = await refused({
      number: ' ',
      zones: [],
      risk: 'alluvione',
      level: 'viola',
      // The night clocks jump from 02:00 to 03:00: 02:30 does not exist in Rome.
      validFrom: '2026-03-29T02:30',
      validTo: 'domani',
      link: 'www.regione.toscana.it',
    })
    expect(error.code).toBe('invalid_input')
    const byPath = Object.fromEntries(error.issues!.map((i) => [i.path, i]))
    expect(Object.keys(byPath).sort()).toEqual(
      ['level', 'link', 'number', 'risk', 'validFrom', 'validTo', 'zones'].sort(),
    )
    const italian = Object.fromEntries(
      error.issues!.map((i) => [i.path, describeIssue({ ...i, path: '' }, 'it')]),
    )
    expect(italian.number).toBe('Campo obbligatorio.')
    expect(italian.zones).toBe('Campo obbligatorio.')
    expect(italian.level).toBe('Scegli uno dei valori proposti.')
    expect(italian.validFrom).toContain('Le 02:30 del 29/03/2026 non esistono in Italia')
    expect(italian.link).toContain('Indirizzo non valido')

    const backwards = await refused(
      avviso({ validFrom: '2026-02-08T14:00', validTo: '2026-02-07T14:00' }),
    )
    expect(backwards.issues).toEqual([
      { path: 'validTo', code: 'invalid', params: { detail: 'before_valid_from' } },
    ])
    // The form says it in words of its own.
    expect(notices.it.notices.avviso.validToBefore).toMatch(/fine.*prima dell’inizio/i)
    expect(alerts).toEqual([])
  })
})
