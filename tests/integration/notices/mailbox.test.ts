import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCore, type Core, type CoreOptions } from '../../../src/main/core/app'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { Envelope, HealthProblem } from '../../../src/shared/contract'
import type {
  MailboxInput,
  MailboxView,
  NoticeView,
  OpenedAttachment,
} from '../../../src/shared/contract/notices'
import { noticeEmail, startImapServer, tinyPdf, type FakeImapServer } from '../../fakes/imap-server'

const REGION = 'Centro Funzionale Regionale <cfr.avvisi@regione.toscana.it>'
const WRONG_PASSWORD = 'Sbagliata-8841-xK'

let server: FakeImapServer
let dataDir: string
let core: Core | undefined
let logged: string[] = []
let health: HealthProblem[][] = []

function open(notices: CoreOptions['notices'] = {}): Core {
  core?.close()
  core = createCore({
    dataDir,
    cipher: createKeyFileCipher(dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../../resources'),
    notices: {
      tls: { ca: server.ca },
      backoff: { baseMs: 100, maxMs: 300 },
      timeouts: { connectMs: 3_000, greetingMs: 3_000, socketMs: 10_000 },
      ...notices,
    },
  })
  core.events.on('system:health', (problems) => health.push(problems))
  return core
}

async function call<T>(name: string, payload: unknown): Promise<T> {
  const r: Envelope = await createDispatch(core!.handlers)(name, payload, { operator: 'Giulia' })
  if (!r.ok) throw Object.assign(new Error(r.error.message), { body: r.error })
  return r.value as T
}

const mailbox = (patch: Partial<MailboxInput> = {}): MailboxInput => ({
  enabled: true,
  host: server.host,
  port: server.port,
  security: 'tls',
  username: server.user,
  password: server.password,
  folder: 'INBOX',
  allowedSenders: ['@regione.toscana.it'],
  intervalS: 30,
  ...patch,
})

/** Mailbox sessions this test opened with a poll (each one a "Logged out" line in Dovecot's log). */
let polls = 0
const poll = async () => {
  const report = await call<{ ok: boolean; message: string; stored: number; ignored: number }>(
    'notices:pollNow',
    {},
  )
  polls++
  return report
}
const list = () => call<{ items: NoticeView[]; total: number }>('notices:list', { limit: 50 })
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

const sessionLines = () =>
  server
    .log()
    .split('\n')
    .filter((l) => l.includes('Logged out'))

/**
 * The counters of the `nth` IMAP session Dovecot closed: what the client downloaded. Dovecot
 * writes its log through a process of its own, so a line may come a moment after the client
 * has left: wait for it rather than read the one before.
 */
async function session(nth: number): Promise<{ bodies: number; bodyBytes: number }> {
  await waitFor(() => sessionLines().length >= nth)
  const line = sessionLines()[nth - 1] ?? ''
  const n = (key: string) => Number(new RegExp(`${key}=(\\d+)`).exec(line)?.[1] ?? NaN)
  return { bodies: n('body_count'), bodyBytes: n('body_bytes') }
}
/** Polls, and says what that session downloaded. */
async function pollCounting() {
  const report = await poll()
  return { report, session: await session(polls) }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}

let n = 0
const nextId = () => `<avviso-${Date.now()}-${++n}@regione.toscana.it>`

// A server of its own per test: each starts from an empty mailbox.
beforeEach(async () => {
  server = await startImapServer()
  dataDir = mkdtempSync(join(tmpdir(), 'vedetta-notices-'))
  logged = []
  health = []
  polls = 0
  const write = process.stderr.write.bind(process.stderr)
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest) => {
    logged.push(String(chunk))
    return write(chunk as string, ...(rest as []))
  })
  open()
})
afterEach(async () => {
  vi.restoreAllMocks()
  await core?.shutdown()
  core = undefined
  rmSync(dataDir, { recursive: true, force: true })
  await server.close()
})

describe('the notices mailbox, read from a real IMAP server', () => {
  it('keeps the region’s notice with its PDF and SHA-256, and ignores an unknown sender', async () => {
    const pdf = tinyPdf('Avviso di criticità n. 45/2026 — codice arancione')
    await server.deliver(
      noticeEmail({
        from: REGION,
        subject: 'Avviso di criticità n. 45/2026 – codice ARANCIONE – rischio idraulico',
        messageId: nextId(),
        text: 'Si trasmette in allegato l’avviso di criticità regionale.',
        attachment: { name: 'avviso-45-2026.pdf', type: 'application/pdf', content: pdf },
      }),
    )
    await server.deliver(
      noticeEmail({
        from: 'Offerte <promo@example.com>',
        subject: 'Ultimi giorni di saldi',
        messageId: nextId(),
        text: 'Non perdere le offerte.',
      }),
    )
    const saved = await call<MailboxView>('notices:saveMailbox', mailbox())
    expect(saved.passwordSet).toBe(true)
    expect(JSON.stringify(saved)).not.toContain(server.password)

    const report = await poll()
    expect(report).toMatchObject({ ok: true, stored: 1, ignored: 1 })

    const { items, total } = await list()
    expect(total).toBe(1)
    const notice = items[0]!
    expect(notice).toMatchObject({
      from: 'cfr.avvisi@regione.toscana.it',
      fromName: 'Centro Funzionale Regionale',
      subject: 'Avviso di criticità n. 45/2026 – codice ARANCIONE – rischio idraulico',
      text: expect.stringContaining('avviso di criticità regionale'),
      skipped: null,
    })
    expect(notice.attachments).toEqual([
      {
        id: expect.any(Number),
        name: 'avviso-45-2026.pdf',
        size: pdf.length,
        mediaType: 'application/pdf',
        sha256: sha256(pdf),
      },
    ])

    // The file is in the workspace folder, byte for byte; the browser gets it to download.
    const opened = await call<OpenedAttachment>('notices:openAttachment', {
      id: notice.attachments[0]!.id,
    })
    expect(relative(dataDir, opened.path).startsWith('notices')).toBe(true)
    expect(readFileSync(opened.path).equals(pdf)).toBe(true)
    expect(opened).toMatchObject({ opened: false, mediaType: 'application/pdf', size: pdf.length })
    expect(Buffer.from(opened.base64!, 'base64').equals(pdf)).toBe(true)
  })

  it('fetches only new messages, and remembers where it stopped across a restart', async () => {
    await server.deliver(
      noticeEmail({ from: REGION, subject: 'Avviso 1', messageId: nextId(), text: 'uno' }),
    )
    await call('notices:saveMailbox', mailbox())
    expect((await poll()).stored).toBe(1)
    const first = await call<MailboxView>('notices:getMailbox', {})
    expect(first.status.lastUid).toBeGreaterThan(0)

    const second = await pollCounting()
    expect(second.report.stored).toBe(0)
    expect(second.session.bodies).toBe(0)

    // A restart of the room: the position is in the workspace, not in memory.
    open()
    const afterRestart = await pollCounting()
    expect(afterRestart.report.stored).toBe(0)
    expect(afterRestart.session).toEqual({ bodies: 0, bodyBytes: 0 })
    const again = await call<MailboxView>('notices:getMailbox', {})
    expect(again.status).toMatchObject({
      uidValidity: first.status.uidValidity,
      lastUid: first.status.lastUid,
    })

    await server.deliver(
      noticeEmail({ from: REGION, subject: 'Avviso 2', messageId: nextId(), text: 'due' }),
    )
    const third = await pollCounting()
    expect(third.report.stored).toBe(1)
    expect(third.session.bodies).toBe(1)
    const { items } = await list()
    expect(items.map((i) => i.subject)).toEqual(['Avviso 2', 'Avviso 1'])
  })

  it('tells the room of a wrong password, never the password itself', async () => {
    await call('notices:saveMailbox', mailbox({ password: WRONG_PASSWORD }))
    const report = await poll()
    expect(report.ok).toBe(false)
    expect(report.message).toContain('rifiuta l’accesso')

    const problems = await call<HealthProblem[]>('system:health', {})
    const problem = problems.find((p) => p.source === 'notices')
    expect(problem?.message).toContain(`«${server.user}»`)
    expect(problem?.message).toContain('Configurazione → Fonti')
    expect(health.at(-1)?.some((p) => p.source === 'notices')).toBe(true)
    expect(logged.join('')).toContain('rifiuta l’accesso')

    const view = await call<MailboxView>('notices:getMailbox', {})
    expect(view.status.lastErrorCode).toBe('auth')
    const audit = core!.db.prepare('SELECT detail FROM audit_log').all()
    const everywhere = JSON.stringify([report, problems, health, view, audit]) + logged.join('')
    expect(everywhere).not.toContain(WRONG_PASSWORD)
    expect(everywhere).not.toContain(server.password)

    // The right password, and the problem leaves Stato.
    await call('notices:saveMailbox', mailbox())
    expect((await poll()).ok).toBe(true)
    expect((await call<HealthProblem[]>('system:health', {})).map((p) => p.source)).not.toContain(
      'notices',
    )
  })

  it('survives the server going away and coming back', async () => {
    await call('notices:saveMailbox', mailbox())
    core!.start()
    await waitFor(
      async () => (await call<MailboxView>('notices:getMailbox', {})).status.lastOkAt !== null,
    )

    await server.stop()
    const down = await poll()
    expect(down).toMatchObject({ ok: false })
    expect(down.message).toContain('non risponde')
    const problems = await call<HealthProblem[]>('system:health', {})
    expect(problems.find((p) => p.source === 'notices')?.message).toContain(
      `${server.host}:${server.port}`,
    )
    // It keeps trying on its own, with backoff.
    const failedAt = (await call<MailboxView>('notices:getMailbox', {})).status.lastErrorAt
    await waitFor(
      async () =>
        (await call<MailboxView>('notices:getMailbox', {})).status.lastErrorAt !== failedAt,
    )

    await server.start()
    // Back without anyone asking: the next retry gets in and Stato is clear again.
    await waitFor(
      async () =>
        !(await call<HealthProblem[]>('system:health', {})).some((p) => p.source === 'notices'),
    )
    await server.deliver(
      noticeEmail({ from: REGION, subject: 'Dopo il guasto', messageId: nextId(), text: 'tre' }),
    )
    expect((await poll()).stored).toBe(1)
    expect((await list()).items[0]?.subject).toBe('Dopo il guasto')
  })

  it('checks the connection from the form, and names a folder that does not exist', async () => {
    const ok = await call<{ ok: boolean; message: string }>('notices:testMailbox', {
      mailbox: mailbox(),
    })
    expect(ok).toMatchObject({ ok: true, message: expect.stringContaining('Accesso riuscito') })
    const wrong = await call<{ ok: boolean; message: string }>('notices:testMailbox', {
      mailbox: mailbox({ folder: 'Avvisi regionali' }),
    })
    expect(wrong).toMatchObject({ ok: false })
    expect(wrong.message).toContain('«Avvisi regionali» non esiste')
  })

  it('lists a message over the size limit without downloading it', async () => {
    open({ limits: { maxMessageBytes: 4_000 } })
    const pdf = Buffer.concat([tinyPdf(), Buffer.alloc(6_000, 0x20)])
    await server.deliver(
      noticeEmail({
        from: REGION,
        subject: 'Avviso con allegato grande',
        messageId: nextId(),
        text: 'in allegato',
        attachment: { name: 'grande.pdf', type: 'application/pdf', content: pdf },
      }),
    )
    await call('notices:saveMailbox', mailbox())
    const { report, session } = await pollCounting()
    expect(report.stored).toBe(1)
    expect(session.bodies).toBe(0)
    const [notice] = (await list()).items
    expect(notice).toMatchObject({
      subject: 'Avviso con allegato grande',
      attachments: [],
      skipped: { code: 'too_large', limit: 4_000 },
    })
    expect(notice!.size).toBeGreaterThan(4_000)
  })

  it('reads over STARTTLS on the plain port', async () => {
    await server.deliver(
      noticeEmail({ from: REGION, subject: 'Via STARTTLS', messageId: nextId(), text: 'ok' }),
    )
    await call('notices:saveMailbox', mailbox({ security: 'starttls', port: server.starttlsPort }))
    expect(await poll()).toMatchObject({ ok: true, stored: 1 })
    expect(server.log()).toMatch(/Login: user=<avvisi>.*TLS/)
  })
})
