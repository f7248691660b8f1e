import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IncomingCitizenMessage } from '../../../src/main/core/citizens/types'
import {
  activeFilters,
  pageSql,
  type PageFilter,
} from '../../../src/main/core/citizens/citizens-repository'
import { openInbox, type Inbox } from './support'

/**
 * The room during a flood: 100,000 stored messages arriving in bursts of 200.
 * Durations are not asserted (shared CI machines); what keeps the panel
 * responsive is asserted instead: every burst is one transaction and one
 * event, and every page query walks an index in order (no sort of the table).
 */

const TOTAL = 100_000
const BURST = 200
const WORDS = [
  'acqua',
  'strada',
  'chiusa',
  'scuola',
  'ponte',
  'Arno',
  'livello',
  'neve',
  'aiuto',
  'quando',
]

let inbox: Inbox
let x: number
let sms: number
/** Messages carrying the rare words, oldest first. */
const rareIds = Array.from({ length: TOTAL }, (_, i) => i)
  .filter((i) => i % 997 === 0)
  .map((i) => `t${i}`)

function message(i: number): IncomingCitizenMessage {
  const words = Array.from({ length: 12 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(
    ' ',
  )
  const rare = i % 997 === 0
  return {
    family: i % 4 === 0 ? 'sms' : 'x',
    accountId: i % 4 === 0 ? sms : x,
    externalId: `t${i}`,
    authorName: `Cittadino ${i % 5000}`,
    authorHandle: i % 4 === 0 ? `+39347${String(i).padStart(7, '0')}` : `@utente${i % 5000}`,
    text: rare ? `${words} sottopasso Montelupo allagato` : words,
    // Several messages per second, as in a real burst; 2026-02-07 from 00:00 on.
    receivedAt: new Date(
      Date.parse('2026-02-07T00:00:00Z') + Math.floor(i / 3) * 1000,
    ).toISOString(),
  }
}

beforeAll(() => {
  inbox = openInbox()
  x = inbox.addAccount('x')
  sms = inbox.addAccount('sms_gateway')
  for (let start = 0; start < TOTAL; start += BURST) {
    const burst: IncomingCitizenMessage[] = []
    for (let i = start; i < start + BURST; i++) burst.push(message(i))
    inbox.service.ingest(burst)
  }
}, 120_000)

afterAll(() => inbox?.dispose())

describe('citizens inbox at 100,000 messages', () => {
  it('stored every burst in one transaction and announced it in one event', () => {
    expect(inbox.service.counts().nuovo).toBe(TOTAL)
    expect(inbox.events).toHaveLength(TOTAL / BURST)
    expect(
      inbox.events.every(
        (e) => e.name === 'citizens:received' && e.payload.messages.length === BURST,
      ),
    ).toBe(true)
    // A repeated burst (a poller re-reading the same page) adds nothing.
    inbox.service.ingest(Array.from({ length: BURST }, (_, i) => message(i)))
    expect(inbox.service.counts().nuovo).toBe(TOTAL)
  })

  it('pages through everything newest first, every message exactly once', () => {
    const seen = new Set<number>()
    let previous = '9999'
    let cursor: string | null | undefined
    do {
      const page = inbox.service.page({ limit: 500, cursor })
      for (const m of page.items) {
        expect(m.receivedAt <= previous).toBe(true)
        previous = m.receivedAt
        seen.add(m.id)
      }
      cursor = page.nextCursor
    } while (cursor)
    expect(seen.size).toBe(TOTAL)
  })

  it('finds the few messages with a rare word, newest first, across pages', () => {
    const found: string[] = []
    let cursor: string | null | undefined
    do {
      const page = inbox.service.page({ limit: 40, query: 'sottopasso montelupo', cursor })
      found.push(...page.items.map((m) => m.externalId))
      cursor = page.nextCursor
    } while (cursor)
    expect(found).toEqual([...rareIds].reverse())
    const smsOnly = inbox.service.page({ limit: 500, query: 'allagato', family: 'sms' }).items
    expect(smsOnly.map((m) => m.externalId)).toEqual(
      [...rareIds].reverse().filter((id) => Number(id.slice(1)) % 4 === 0),
    )
    // SMS authors are found by their number, written the way people write it.
    expect(
      inbox.service.page({ limit: 5, query: '+39 347 0012344' }).items.map((m) => m.externalId),
    ).toEqual(['t12344'])
  })

  it('walks an index in page order for every filter and search, never sorting the table', () => {
    const filters: Omit<PageFilter, 'limit'>[] = [
      {},
      { state: 'nuovo' },
      { family: 'sms' },
      { assignedTo: 'Anna' },
      { category: 'voce' },
      { match: '"acqua"*' },
      { match: '"acqua"*', state: 'visto' },
      { match: '"acqua"*', family: 'x', assignedTo: 'Anna' },
    ]
    for (const filter of filters) {
      const keys = activeFilters(filter)
      const params: Record<string, unknown> = { afterAt: '9999', afterId: 1, limit: 50 }
      for (const k of keys) if (k !== 'unassigned') params[k] = filter[k]
      const rows = inbox.db.prepare(`EXPLAIN QUERY PLAN ${pageSql(keys)}`).all(params) as {
        detail: string
      }[]
      const detail = rows.map((r) => r.detail).join('\n')
      expect(detail, keys.join(',')).toMatch(/USING INDEX citizen_messages_/)
      expect(detail, keys.join(',')).not.toContain('TEMP B-TREE')
    }
  })

  it('triages a whole page at once and counts stay right', () => {
    const page = inbox.service.page({ limit: 500, family: 'sms' })
    const changed = inbox.service.setState(
      page.items.map((m) => m.id),
      'visto',
      'Anna',
    )
    expect(changed).toHaveLength(500)
    expect(inbox.service.counts()).toMatchObject({ nuovo: TOTAL - 500, visto: 500 })
    expect(inbox.service.counts('sms')).toMatchObject({ nuovo: TOTAL / 4 - 500, visto: 500 })
    expect(inbox.service.page({ limit: 1, state: 'visto' }).items[0]?.id).toBe(page.items[0]?.id)
  })
})
