import { afterEach, describe, expect, it } from 'vitest'
import type { IncomingCitizenMessage } from '../../../src/main/core/citizens/types'
import { TRUNCATION_MARKER } from '../../../src/main/core/citizens/bound-text'
import { CoreError } from '../../../src/main/core/errors'
import { MAX_STORED_TEXT } from '../../../src/shared/citizens/types'
import { toDisplayTokens } from '../../../src/shared/citizens/safe-text'
import { openInbox, type Inbox } from './support'

let inbox: Inbox | undefined
afterEach(() => {
  inbox?.dispose()
  inbox = undefined
})

function setup(): Inbox {
  inbox = openInbox()
  return inbox
}

const msg = (
  accountId: number | null,
  externalId: string,
  extra: Partial<IncomingCitizenMessage> = {},
): IncomingCitizenMessage => ({
  family: 'x',
  accountId,
  externalId,
  authorName: 'Giulia Neri',
  authorHandle: '@giulianeri',
  text: `Messaggio ${externalId}`,
  receivedAt: '2026-02-07T10:00:00Z',
  ...extra,
})

function expectCoreError(fn: () => unknown, code: CoreError['code']): CoreError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CoreError)
    expect((err as CoreError).code).toBe(code)
    return err as CoreError
  }
  throw new Error('expected a CoreError')
}

describe('citizens inbox: ingest', () => {
  it('stores new messages once, returns only the new ones and announces them in one event', () => {
    const { service, events, addAccount } = setup()
    const x = addAccount('x')
    const first = service.ingest([msg(x, '1'), msg(x, '2'), msg(x, '1')])
    expect(first.map((m) => m.externalId)).toEqual(['1', '2'])
    expect(first.every((m) => m.state === 'nuovo' && m.accountId === x)).toBe(true)
    const second = service.ingest([msg(x, '2'), msg(x, '3')])
    expect(second.map((m) => m.externalId)).toEqual(['3'])
    expect(service.ingest([msg(x, '1'), msg(x, '3')])).toEqual([])
    expect(events.map((e) => e.name)).toEqual(['citizens:received', 'citizens:received'])
    expect(events[1]).toMatchObject({ payload: { messages: [{ externalId: '3' }] } })
    expect(service.counts().nuovo).toBe(3)
  })

  it('keeps equal provider ids of different accounts or families apart, and dedups without an account', () => {
    const { service, addAccount } = setup()
    const a = addAccount('x')
    const b = addAccount('x')
    const fresh = service.ingest([
      msg(a, '42'),
      msg(b, '42'),
      msg(a, '42', { family: 'mastodon' }),
      msg(null, '42', { family: 'sms' }),
      msg(null, '42', { family: 'sms' }),
    ])
    expect(fresh).toHaveLength(4)
    expect(service.ingest([msg(null, '42', { family: 'sms' })])).toEqual([])
  })

  it('skips malformed messages instead of failing the batch', () => {
    const { service, addAccount } = setup()
    const x = addAccount('x')
    const fresh = service.ingest([
      msg(x, ''),
      msg(x, '   '),
      msg(x, 'a'.repeat(600)),
      { ...msg(x, '9'), family: 'fax' as never },
      msg(x, 'ok'),
    ])
    expect(fresh.map((m) => m.externalId)).toEqual(['ok'])
  })

  it('stores times as UTC ISO and falls back to the fetch time when the provider gives none', () => {
    const { service, addAccount, setNow } = setup()
    setNow('2026-02-07T12:34:56.789Z')
    const x = addAccount('x')
    const [a, b, c] = service.ingest([
      msg(x, 'a', { receivedAt: '2026-02-07T11:00:00+01:00' }),
      msg(x, 'b', { receivedAt: 'ieri sera' }),
      msg(x, 'c', { receivedAt: null }),
    ])
    expect(a?.receivedAt).toBe('2026-02-07T10:00:00.000Z')
    expect(b?.receivedAt).toBe('2026-02-07T12:34:56.789Z')
    expect(c?.receivedAt).toBe('2026-02-07T12:34:56.789Z')
    expect(c?.fetchedAt).toBe('2026-02-07T12:34:56.789Z')
  })

  it('stores hostile text as received but bounded, with what was odd flagged', () => {
    const { service, addAccount } = setup()
    const fb = addAccount('facebook_page')
    const script = '<script>alert(1)</script> vedi javascript:alert(2) \u202Eevil\u202C'
    const huge = 'Allagamento! '.repeat(80_000) // about 1 MB
    const flood = '🌊😱'.repeat(2_000)
    const [s, h, f] = service.ingest([
      msg(fb, 's', { family: 'facebook', text: script }),
      msg(fb, 'h', { family: 'facebook', text: huge }),
      msg(fb, 'f', { family: 'facebook', text: flood }),
    ])
    expect(s?.text).toBe(script)
    expect(s?.flags.suspicious).toEqual(['markup', 'script_link', 'bidi_control'])
    expect(h?.text.length).toBeLessThanOrEqual(MAX_STORED_TEXT)
    expect(h?.text.endsWith(TRUNCATION_MARKER)).toBe(true)
    expect(h?.text.startsWith('Allagamento! Allagamento!')).toBe(true)
    expect(h?.flags).toMatchObject({ truncatedFrom: huge.length, suspicious: ['truncated'] })
    expect(f?.text).toBe(flood)
    expect(f?.flags.suspicious).toEqual(['flood'])
    // What was stored is what comes back, and it displays as text.
    const stored = service.get(s!.id)
    expect(stored.text).toBe(script)
    expect(toDisplayTokens(stored.text).tokens.every((t) => t.type === 'text')).toBe(true)
  })

  it('recognises a citizen already in the address book by phone number', () => {
    const { db, service, addAccount } = setup()
    const sms = addAccount('sms_gateway')
    const contactId = Number(
      db
        .prepare(
          "INSERT INTO contacts (name, sort_key, created_at, updated_at) VALUES ('Preside Checchi', 'preside checchi', 'x', 'x')",
        )
        .run().lastInsertRowid,
    )
    db.prepare(
      "INSERT INTO contact_phones (contact_id, e164, type, original, position) VALUES (?, '+393471234567', 'mobile', '347 1234567', 0)",
    ).run(contactId)
    const [known, unknown] = service.ingest([
      msg(sms, 'k', { family: 'sms', authorHandle: '+393471234567', authorName: null }),
      msg(sms, 'u', { family: 'sms', authorHandle: '+393339999999', authorName: null }),
    ])
    expect(known?.authorContactId).toBe(contactId)
    expect(unknown?.authorContactId).toBeNull()
  })
})

describe('citizens inbox: triage', () => {
  function seeded() {
    const box = setup()
    const x = box.addAccount('x')
    const ids = box.service.ingest([msg(x, '1'), msg(x, '2'), msg(x, '3')]).map((m) => m.id) as [
      number,
      number,
      number,
    ]
    box.events.length = 0
    return { ...box, ids }
  }

  it('moves messages between states, records who did what, and announces each change once', () => {
    const { service, events, ids, setNow } = seeded()
    setNow('2026-02-07T12:01:00.000Z')
    expect(service.setState([ids[0], ids[1]], 'visto', 'Anna')).toEqual([ids[0], ids[1]])
    setNow('2026-02-07T12:02:00.000Z')
    expect(service.setState([ids[0]], 'da_rispondere', 'Bruno')).toEqual([ids[0]])
    // Same state again: nothing changes, nothing is recorded or announced.
    expect(service.setState([ids[0]], 'da_rispondere', 'Bruno')).toEqual([])
    expect(service.setState([ids[2], 999_999], 'segnalato', 'Anna')).toEqual([ids[2]])
    expect(service.counts()).toEqual({
      nuovo: 0,
      visto: 1,
      da_rispondere: 1,
      risposto: 0,
      segnalato: 1,
    })
    expect(service.get(ids[0]).history).toEqual([
      expect.objectContaining({
        action: 'state',
        actor: 'Anna',
        from: 'nuovo',
        to: 'visto',
        at: '2026-02-07T12:01:00.000Z',
      }),
      expect.objectContaining({
        action: 'state',
        actor: 'Bruno',
        from: 'visto',
        to: 'da_rispondere',
        at: '2026-02-07T12:02:00.000Z',
      }),
    ])
    expect(events).toEqual([
      {
        name: 'citizens:changed',
        payload: { ids: [ids[0], ids[1]], actor: 'Anna', state: 'visto' },
      },
      {
        name: 'citizens:changed',
        payload: { ids: [ids[0]], actor: 'Bruno', state: 'da_rispondere' },
      },
      { name: 'citizens:changed', payload: { ids: [ids[2]], actor: 'Anna', state: 'segnalato' } },
    ])
  })

  it('assigns to an operator, reassigns and unassigns, and filters by assignee', () => {
    const { service, ids } = seeded()
    service.assign([ids[0], ids[1]], 'Anna', 'Capo sala')
    service.assign([ids[1]], 'Bruno', 'Capo sala')
    expect(service.page({ assignedTo: 'Anna' }).items.map((m) => m.id)).toEqual([ids[0]])
    expect(service.page({ assignedTo: null }).items.map((m) => m.id)).toEqual([ids[2]])
    service.assign([ids[0]], null, 'Anna')
    expect(service.get(ids[0]).assignedTo).toBeNull()
    expect(service.get(ids[0]).history.map((h) => [h.action, h.from, h.to, h.actor])).toEqual([
      ['assign', null, 'Anna', 'Capo sala'],
      ['assign', 'Anna', null, 'Anna'],
    ])
  })

  it('categorises messages and links them to an existing alert only', () => {
    const { db, service, ids } = seeded()
    service.categorise([ids[0], ids[2]], 'voce', 'Anna')
    expect(service.page({ category: 'voce' }).items.map((m) => m.id)).toEqual([ids[2], ids[0]])
    service.categorise([ids[0]], null, 'Anna')
    expect(service.get(ids[0]).category).toBeNull()
    expectCoreError(() => service.linkAlert([ids[0]], 12345, 'Anna'), 'not_found')
    const alertId = Number(
      db
        .prepare(
          `INSERT INTO alerts (identifier, kind, level, comuni, valid_from, valid_to, headline, description,
            instruction, msg_type, texts, targets, status, mode, created_by, created_at, updated_at)
           VALUES ('a-1', 'neve', 'giallo', '[]', 'x', 'x', 'Neve', '', '', 'Alert', '{}', '{}', 'draft', 'real', 't', 'x', 'x')`,
        )
        .run().lastInsertRowid,
    )
    expect(service.linkAlert([ids[1]], alertId, 'Anna')).toEqual([ids[1]])
    expect(service.get(ids[1]).alertId).toBe(alertId)
  })

  it('refuses bad triage input with field issues', () => {
    const { service, ids } = seeded()
    const bad = expectCoreError(
      () => service.setState([ids[0]], 'archiviato' as never, 'Anna'),
      'invalid_input',
    )
    expect(bad.issues).toEqual([expect.objectContaining({ path: 'state', code: 'choice' })])
    expectCoreError(() => service.setState([], 'visto', 'Anna'), 'invalid_input')
    expectCoreError(() => service.setState([ids[0]], 'visto', '  '), 'invalid_input')
    expectCoreError(() => service.assign([ids[0]], 'x'.repeat(101), 'Anna'), 'invalid_input')
    expectCoreError(() => service.categorise([ids[0]], 'spam' as never, 'Anna'), 'invalid_input')
    expectCoreError(() => service.get(424242), 'not_found')
    expect(service.get(ids[0]).history).toEqual([])
  })

  it('keeps the history append-only, and the messages when their account is deleted', () => {
    const { db, service, ids } = seeded()
    service.setState([ids[0]], 'visto', 'Anna')
    expect(() => db.prepare("UPDATE citizen_triage_history SET actor = 'Mallory'").run()).toThrow(
      /append-only/,
    )
    expect(() => db.prepare('DELETE FROM citizen_triage_history').run()).toThrow(/append-only/)
    db.prepare('DELETE FROM channel_accounts').run()
    const kept = service.get(ids[0])
    expect(kept.accountId).toBeNull()
    expect(kept.history).toHaveLength(1)
    // Deleting a message takes its history and its index entry along.
    db.prepare('DELETE FROM citizen_messages WHERE id = ?').run(ids[0])
    expect(db.prepare('SELECT count(*) FROM citizen_triage_history').pluck().get()).toBe(0)
    expect(service.page({ query: 'Messaggio 1' }).items).toEqual([])
  })
})

describe('citizens inbox: paging and search', () => {
  it('pages newest first with a keyset cursor, ties broken by id, no row twice or lost', () => {
    const { service, addAccount } = setup()
    const x = addAccount('x')
    const batch: IncomingCitizenMessage[] = []
    for (let i = 0; i < 23; i++) {
      // Three messages share each second: the cursor must not skip or repeat them.
      const second = String(Math.floor(i / 3)).padStart(2, '0')
      batch.push(msg(x, `m${i}`, { receivedAt: `2026-02-07T10:00:${second}Z` }))
    }
    service.ingest(batch)
    const seen: string[] = []
    let cursor: string | null | undefined
    let pages = 0
    do {
      const page = service.page({ limit: 5, cursor })
      seen.push(...page.items.map((m) => m.externalId))
      cursor = page.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(5)
    expect(seen).toEqual(batch.map((m) => m.externalId).reverse())
  })

  it('filters by state and family, and finds words by prefix without accents or hidden characters', () => {
    const { service, addAccount } = setup()
    const x = addAccount('x')
    const sms = addAccount('sms_gateway')
    const [a, b, c] = service.ingest([
      msg(x, 'a', { text: 'Il sottopasso di Empoli è allagato' }),
      msg(sms, 'b', {
        family: 'sms',
        authorName: null,
        authorHandle: '+393471234567',
        text: 'Perché la scuola è chiusa?',
      }),
      msg(x, 'c', { text: 'Al\u200Blarme fra\u00ADna a 𝐕𝐢𝐧𝐜𝐢', authorName: 'Luca Bianchi' }),
    ])
    service.setState([a!.id], 'visto', 'Anna')
    const ids = (q: Parameters<typeof service.page>[0]) => service.page(q).items.map((m) => m.id)
    expect(ids({ state: 'visto' })).toEqual([a!.id])
    expect(ids({ family: 'sms' })).toEqual([b!.id])
    expect(ids({ family: 'x', state: 'nuovo' })).toEqual([c!.id])
    expect(ids({ query: 'allag' })).toEqual([a!.id])
    expect(ids({ query: 'PERCHE scuol' })).toEqual([b!.id])
    expect(ids({ query: 'allarme frana vinci' })).toEqual([c!.id])
    expect(ids({ query: 'bianchi' })).toEqual([c!.id])
    expect(ids({ query: '347 123' })).toEqual([b!.id])
    expect(ids({ query: '+39 347 1234567' })).toEqual([b!.id])
    expect(ids({ query: 'allag', family: 'sms' })).toEqual([])
    // FTS syntax typed by a person is plain words, never an error.
    expect(ids({ query: 'NEAR( "scuola" * OR body:' })).toEqual([])
    expect(ids({ query: '"!!' })).toHaveLength(3)
  })

  it('refuses bad page requests', () => {
    const { service } = setup()
    expectCoreError(() => service.page({ limit: 0 }), 'invalid_input')
    expectCoreError(() => service.page({ limit: 100_000 }), 'invalid_input')
    expectCoreError(
      () => service.page({ cursor: "'; DROP TABLE citizen_messages; --" }),
      'invalid_input',
    )
    expectCoreError(() => service.page({ state: 'tutti' as never }), 'invalid_input')
  })
})
