/**
 * E-mail throughput and receipt polling, in one run:
 *
 * - `email_dispatch_ratio_to_raw`: e-mails per second through Vedetta's
 *   outbox (a confirmed alert, the real dispatcher and SMTP adapter over its
 *   pool of connections) to a real SMTP server on loopback, beside raw
 *   nodemailer pooled sends of the same messages to an identical server from
 *   the same process, with the same pool (goal ≥ 0.7). The account's rate is
 *   set high enough that only the pool paces the send;
 * - `receipt_polls_per_message`: status requests the dispatcher made to the
 *   loopback Twilio for 5,000 SMS until every one had a final receipt
 *   (goal ≤ 1.5).
 *
 *   npm run bench -- email-receipts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nodemailer from 'nodemailer'
import { createAlertsService } from '../../src/main/core/alerts/alerts-service'
import { createAuditLog } from '../../src/main/core/audit/audit-log'
import { createChannelAccountsRepository } from '../../src/main/core/channels/accounts-repository'
import type { ChannelKind } from '../../src/shared/channels/kinds'
import { createSmtpAdapter } from '../../src/main/core/channels/adapters/smtp'
import { createTwilioAdapter } from '../../src/main/core/channels/adapters/twilio'
import { openDatabase } from '../../src/main/core/db/open'
import { createDispatcher } from '../../src/main/core/outbox/dispatcher'
import { startFakeSmtp, type FakeSmtpServer } from '../../tests/fakes/smtp-server'
import { startFakeTwilio } from '../../tests/fakes/twilio-fake'

export interface EmailReceiptsFigures {
  email_pool_connections: number
  email_dispatch_per_s: number
  email_raw_per_s: number
  email_dispatch_ratio_to_raw: number
  receipt_messages: number
  receipt_status_requests: number
  receipt_polls_per_message: number
}

const SUBJECT = 'Allerta arancione neve'
const BODY =
  'ALLERTA ARANCIONE neve su Empoli e Vinci dalle 14:00 di sabato. Evita gli spostamenti non necessari.\n' +
  'Aggiornamenti: https://example.org/allerta'
const FROM = 'allerte@empolese.example.it'
const POOL = { maxConnections: 5, maxMessages: 100 }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits
const emails = (count: number, tag: string) =>
  Array.from({ length: count }, (_, i) => `famiglia${i}.${tag}@example.it`)
const phones = (count: number) =>
  Array.from({ length: count }, (_, i) => `+39347${String(1_000_000 + i).padStart(7, '0')}`)

function workspace(dir: string, name: string) {
  const db = openDatabase(join(dir, `${name}.sqlite`))
  let lists: Record<number, string[]> = {}
  let nextList = 1
  const alerts = createAlertsService({
    db,
    audit: createAuditLog(db, () => new Date()),
    resolveRecipients: (listIds) => ({
      recipients: listIds.flatMap((id) =>
        (lists[id] ?? []).map((address, i) => ({
          contactId: id * 1_000_000 + i,
          address,
          name: `Famiglia ${i}`,
        })),
      ),
      skipped: [],
    }),
  })
  return {
    db,
    addAccount: (kind: ChannelKind, settings: Record<string, unknown>) =>
      createChannelAccountsRepository(db).create({
        kind,
        name: `${kind} bench`,
        enabled: true,
        settings,
        secrets: {},
        now: new Date().toISOString(),
      }),
    confirm(accountId: number, recipients: string[]) {
      const listId = nextList++
      lists = { ...lists, [listId]: recipients }
      const alert = alerts.createDraft(
        {
          kind: 'neve',
          level: 'arancione',
          comuni: [{ name: 'Empoli', istatCode: '048014' }],
          validFrom: new Date().toISOString(),
          validTo: new Date(Date.now() + 24 * 3_600_000).toISOString(),
          headline: 'Allerta arancione per neve',
          texts: { sms: BODY, email_subject: SUBJECT, email_body: BODY },
          targets: { accountIds: [accountId], listIds: [listId] },
        },
        'bench',
      )
      alerts.confirm(alert.id, 'bench', { cancelWindowSeconds: 0 })
      return alert.id
    },
    count(alertId: number, states: string[]): number {
      return db
        .prepare<[number], { state: string; n: number }>(
          'SELECT state, count(*) AS n FROM outbox WHERE alert_id = ? GROUP BY state',
        )
        .all(alertId)
        .filter((r) => states.includes(r.state))
        .reduce((sum, r) => sum + r.n, 0)
    },
  }
}

async function until(check: () => boolean, timeoutMs: number, label: string): Promise<void> {
  const t0 = Date.now()
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`email-receipts bench: timed out: ${label}`)
    await sleep(5)
  }
}

/** `count` e-mails of a confirmed alert through the dispatcher; messages per second. */
async function measureDispatch(dir: string, run: number, smtp: FakeSmtpServer, count: number) {
  const ws = workspace(dir, `email-${run}`)
  const settings = {
    host: smtp.host,
    port: smtp.port,
    security: 'none',
    fromAddress: FROM,
    // High enough that only the pool paces the send.
    ratePerSecond: 1_000,
    ...POOL,
  }
  const accountId = ws.addAccount('email_smtp', settings)
  const adapter = createSmtpAdapter({ accountId, name: 'Posta', settings, secrets: {} })
  const dispatcher = createDispatcher({ db: ws.db, adapterFor: () => adapter })
  const alertId = ws.confirm(accountId, emails(count, `d${run}`))
  const t0 = performance.now()
  dispatcher.start()
  await until(() => ws.count(alertId, ['sent']) === count, 600_000, 'the e-mails')
  const ms = performance.now() - t0
  await dispatcher.stop()
  const failed = ws.count(alertId, ['failed', 'uncertain', 'queued'])
  ws.db.close()
  if (failed > 0) throw new Error(`${failed} e-mails not sent`)
  return (count / ms) * 1000
}

/** The same messages straight through a nodemailer pool with the same options; per second. */
async function measureRaw(smtp: FakeSmtpServer, run: number, count: number) {
  const transporter = nodemailer.createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
    ...POOL,
  })
  const to = emails(count, `r${run}`)
  const t0 = performance.now()
  await Promise.all(
    to.map((address, i) =>
      transporter.sendMail({
        from: FROM,
        to: { name: `Famiglia ${i}`, address },
        subject: SUBJECT,
        text: BODY,
      }),
    ),
  )
  const ms = performance.now() - t0
  transporter.close()
  return (count / ms) * 1000
}

/** 5,000 SMS through the dispatcher to the Twilio fake; status requests until all are final. */
async function measureReceipts(dir: string, messages: number) {
  const ws = workspace(dir, 'receipts')
  // A carrier's pace: out of Twilio's queue within a second, a receipt within a few.
  const fake = await startFakeTwilio({ progress: { sentAfterMs: 500, finalAfterMs: 4_000 } })
  try {
    const settings = {
      baseUrl: fake.url,
      accountSid: fake.accountSid,
      from: '+15005550006',
      ratePerSecond: 400,
    }
    const accountId = ws.addAccount('sms_twilio', settings)
    const adapter = createTwilioAdapter(
      { accountId, name: 'Twilio', settings, secrets: { authToken: fake.authToken } },
      { timeoutMs: 10_000 },
    )
    const dispatcher = createDispatcher({
      db: ws.db,
      adapterFor: () => adapter,
      // The default policy, scaled down ten times so the run lasts seconds, not minutes.
      receipts: { firstPollMs: 1_000, minIntervalMs: 1_000, maxIntervalMs: 60_000 },
    })
    const alertId = ws.confirm(accountId, phones(messages))
    dispatcher.start()
    await until(
      () => ws.count(alertId, ['delivered', 'failed', 'uncertain']) === messages,
      600_000,
      'the receipts',
    )
    await dispatcher.stop()
    return fake.receiptRequests().length
  } finally {
    await fake.close()
    ws.db.close()
  }
}

export async function runEmailReceiptsBench(
  options: { emails?: number; messages?: number; repeat?: number } = {},
  log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<EmailReceiptsFigures> {
  const count = options.emails ?? 2_000
  const messages = options.messages ?? 5_000
  const repeat = Math.max(1, options.repeat ?? 3)
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-bench-email-'))
  try {
    // One unmeasured round warms both paths; then they alternate which goes first, and the
    // ratio is the median of each round's ratio, so a neighbour's load shifts both alike.
    const dispatchRates: number[] = []
    const rawRates: number[] = []
    const ratios: number[] = []
    for (let run = 0; run <= repeat; run++) {
      const forDispatch = await startFakeSmtp()
      const forRaw = await startFakeSmtp()
      try {
        const n = run === 0 ? Math.min(300, count) : count
        const rawFirst = run % 2 === 1
        const rawEarly = rawFirst ? await measureRaw(forRaw, run, n) : 0
        const d = await measureDispatch(dir, run, forDispatch, n)
        const r = rawFirst ? rawEarly : await measureRaw(forRaw, run, n)
        if (forDispatch.messages.length !== n || forRaw.messages.length !== n)
          throw new Error('a server did not receive every message exactly once')
        if (run === 0) continue
        dispatchRates.push(d)
        rawRates.push(r)
        ratios.push(d / r)
      } finally {
        await forDispatch.close()
        await forRaw.close()
      }
    }
    const requests = await measureReceipts(dir, messages)
    const figures: EmailReceiptsFigures = {
      email_pool_connections: POOL.maxConnections,
      email_dispatch_per_s: round(median(dispatchRates)),
      email_raw_per_s: round(median(rawRates)),
      email_dispatch_ratio_to_raw: round(median(ratios), 3),
      receipt_messages: messages,
      receipt_status_requests: requests,
      receipt_polls_per_message: round(requests / messages, 4),
    }
    const row = (label: string, value: string) => log(`  ${label.padEnd(58)} ${value}`)
    row(
      `${count} e-mails through the outbox, pool of ${POOL.maxConnections}`,
      `${figures.email_dispatch_per_s} msg/s`,
    )
    row('raw nodemailer pooled sends, same pool', `${figures.email_raw_per_s} msg/s`)
    row('outbox / raw (goal >= 0.7)', String(figures.email_dispatch_ratio_to_raw))
    row(
      `status requests for ${messages} Twilio SMS until final`,
      String(figures.receipt_status_requests),
    )
    row('status requests per message (goal <= 1.5)', String(figures.receipt_polls_per_message))
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** E-mail through the outbox beside raw nodemailer, and receipt requests per Twilio message. */
export async function run(): Promise<Record<string, number>> {
  return { ...(await runEmailReceiptsBench()) }
}
