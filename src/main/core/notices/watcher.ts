import { ImapFlow, type FetchMessageObject, type ImapFlowOptions } from 'imapflow'
import { simpleParser, type Attachment } from 'mailparser'
import type { ConnectionOptions } from 'node:tls'
import type { MailboxSecurity } from '../../../shared/contract/notices'
import type { Log } from '../health/log'
import type { AttachmentStore } from './attachment-files'
import { safeFileName } from './attachment-files'
import {
  describeMailboxFailure,
  MailboxProblem,
  type MailboxErrorCode,
  type MailboxFailure,
} from './mailbox-errors'
import type { NoticeToStore, NoticesRepository } from './notices-repository'

/** Where the mailbox is and what counts, as the watcher needs it (the password comes apart). */
export interface MailboxSettings {
  enabled: boolean
  host: string
  port: number
  security: MailboxSecurity
  username: string
  folder: string
  allowedSenders: string[]
  intervalS: number
}

export interface WatcherLimits {
  /** Largest message downloaded (default 25 MiB); a larger one is listed, not downloaded. */
  maxMessageBytes: number
  /** Messages read per poll (default 100); the rest on the next poll, right after. */
  maxMessagesPerPoll: number
  /** Characters of text kept per message (default 200 000). */
  maxTextChars: number
  /** Attachments kept per message (default 30). */
  maxAttachments: number
}

export interface NoticesWatcherOptions {
  repo: NoticesRepository
  files: AttachmentStore
  /** The decrypted password, used in memory only; null when none is stored. */
  password: () => string | null
  /** The room's Stato: a failing mailbox is raised there (and logged), cleared when it works. */
  health: { raise(source: string, message: string): void; clear(source: string): void }
  log: Log
  now?: () => Date
  /** Extra TLS options (a private CA's certificate, for a server with its own). */
  tls?: ConnectionOptions
  /** Retries after an outage: from `baseMs` (default 5 s) doubling to `maxMs` (default 5 min). */
  backoff?: { baseMs?: number; maxMs?: number }
  limits?: Partial<WatcherLimits>
  /** Connection, greeting and inactivity timeouts (default 30 s, 16 s, 2 min). */
  timeouts?: { connectMs?: number; greetingMs?: number; socketMs?: number }
  random?: () => number
  /** New notices stored. */
  onStored?: (ids: number[]) => void
  /** The mailbox's status changed (a poll ended). */
  onStatus?: () => void
}

/** What one read of the mailbox did. */
export interface NoticesPollReport {
  ok: boolean
  /** Set when it failed. */
  code?: MailboxErrorCode
  /** For the operator, in Italian. */
  message: string
  stored: number
  ignored: number
  /** More new messages wait in the mailbox than one poll reads. */
  more: boolean
}

/** The health entry the mailbox raises in Stato. */
export const HEALTH_SOURCE = 'notices'

const DEFAULT_LIMITS: WatcherLimits = {
  maxMessageBytes: 25 * 1024 * 1024,
  maxMessagesPerPoll: 100,
  maxTextChars: 200_000,
  maxAttachments: 30,
}

/** Failures only a person can fix: retried at the normal interval, not sooner. */
const NEEDS_A_PERSON: ReadonlySet<MailboxErrorCode> = new Set([
  'auth',
  'folder',
  'no_password',
  'secret',
  'tls',
  'tls_mode',
  'starttls',
])

/** An allowed sender is an address, or `@domain` for every address of that domain. */
export function isAllowedSender(address: string, allowed: readonly string[]): boolean {
  const a = address.trim().toLowerCase()
  const at = a.lastIndexOf('@')
  if (at <= 0) return false
  const domain = a.slice(at)
  return allowed.some((entry) => {
    const e = entry.trim().toLowerCase()
    return e.startsWith('@') ? e === domain : e === a
  })
}

/** Names unique within one message: a second `avviso.pdf` becomes `avviso (2).pdf`. */
function uniqueNames(attachments: readonly Attachment[]): string[] {
  const seen = new Map<string, number>()
  return attachments.map((a) => {
    const name = safeFileName(a.filename, `allegato-${a.partId ?? '1'}`)
    const key = name.toLowerCase()
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    if (n === 1) return name
    const dot = name.lastIndexOf('.')
    return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`
  })
}

const iso = (d: Date | string | undefined | null): string | null => {
  if (!d) return null
  const t = new Date(d)
  return Number.isNaN(t.getTime()) ? null : t.toISOString()
}

/**
 * Reads the region's notices from one IMAP mailbox: over TLS, the folder opened read-only (the
 * office's mail client sees the messages as they were), only messages with a UID above the
 * highest one read under the same UIDVALIDITY, only from the allowed senders, each stored once
 * by Message-ID with its attachments written to the workspace folder. A failure is classified
 * (wrong password, server away, certificate, folder), raised in Stato and logged without the
 * password, and retried: outages with backoff, configuration problems at the normal interval.
 */
export function createNoticesWatcher(
  settings: () => MailboxSettings | null,
  options: NoticesWatcherOptions,
) {
  const { repo, files, health, log } = options
  const now = options.now ?? (() => new Date())
  const random = options.random ?? Math.random
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  const baseMs = options.backoff?.baseMs ?? 5_000
  const maxMs = options.backoff?.maxMs ?? 300_000
  let running = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let inFlight: Promise<NoticesPollReport> | undefined
  const open = new Set<ImapFlow>()
  let failures = 0
  let again = false

  function clientFor(s: MailboxSettings, password: string): ImapFlow {
    const tlsMode: Pick<ImapFlowOptions, 'secure' | 'doSTARTTLS'> =
      s.security === 'tls'
        ? { secure: true }
        : s.security === 'starttls'
          ? { secure: false, doSTARTTLS: true }
          : { secure: false, doSTARTTLS: false }
    const client = new ImapFlow({
      host: s.host,
      port: s.port,
      ...tlsMode,
      auth: { user: s.username, pass: password },
      // imapflow's own log would carry commands and server lines: never written anywhere.
      logger: false,
      tls: { minVersion: 'TLSv1.2', ...options.tls },
      disableAutoIdle: true,
      connectionTimeout: options.timeouts?.connectMs ?? 30_000,
      greetingTimeout: options.timeouts?.greetingMs ?? 16_000,
      socketTimeout: options.timeouts?.socketMs ?? 120_000,
      // A server cannot make us hold more than one message of the largest size we download.
      maxLiteralSize: limits.maxMessageBytes + 1024 * 1024,
      maxResponseSize: 2 * limits.maxMessageBytes + 2 * 1024 * 1024,
      clientInfo: { name: 'Vedetta' },
    })
    // Socket errors also reject the pending command, where they are handled; without a
    // listener an 'error' emitted after logout would end the process.
    client.on('error', () => {})
    return client
  }

  async function close(client: ImapFlow): Promise<void> {
    try {
      await Promise.race([
        client.logout(),
        new Promise((resolve) => setTimeout(resolve, 2_000).unref()),
      ])
    } catch {
      // The server went away while we said goodbye: nothing is left to close but the socket.
    } finally {
      client.close()
    }
  }

  /** Runs `work` on a logged-in client; the connection is closed whatever happens. */
  async function withMailbox<T>(
    s: MailboxSettings,
    password: string,
    work: (client: ImapFlow) => Promise<T>,
  ): Promise<T> {
    const client = clientFor(s, password)
    open.add(client)
    try {
      await client.connect()
      return await work(client)
    } finally {
      open.delete(client)
      await close(client)
    }
  }

  function passwordOf(s: MailboxSettings): string {
    const password = options.password()
    if (!password)
      throw new MailboxProblem({
        code: 'no_password',
        message: `Manca la password della casella degli avvisi (${s.username} su ${s.host}): impostala in Configurazione → Fonti.`,
      })
    return password
  }

  /** The operator's sentence, with the password removed should a server ever echo it. */
  function failureOf(err: unknown, s: MailboxSettings, password: string | null): MailboxFailure {
    const failure = describeMailboxFailure(err, s)
    if (password && password.length >= 4 && failure.message.includes(password))
      return { ...failure, message: failure.message.replaceAll(password, '••••') }
    return failure
  }

  async function readNew(client: ImapFlow, s: MailboxSettings) {
    const box = await client.mailboxOpen(s.folder, { readOnly: true })
    const validity = String(box.uidValidity)
    const held = repo.mailbox()
    const since = held?.uidValidity === validity ? (held?.lastUid ?? 0) : 0
    if (held?.uidValidity && held.uidValidity !== validity)
      log.warn(
        HEALTH_SOURCE,
        `la cartella «${s.folder}» ha cambiato UIDVALIDITY (${held.uidValidity} → ${validity}): la rileggo dall’inizio, gli avvisi già salvati non si duplicano`,
      )
    const stored: number[] = []
    let ignored = 0
    if (box.exists === 0) {
      repo.advance(validity, since)
      return { stored, ignored, more: false }
    }
    // `N:*` names the last message even when its UID is below N: keep only the newer ones.
    const metas = (
      await client.fetchAll(
        `${since + 1}:*`,
        { uid: true, envelope: true, size: true, internalDate: true },
        { uid: true },
      )
    )
      .filter((m) => m.uid > since)
      .sort((a, b) => a.uid - b.uid)
    const batch = metas.slice(0, limits.maxMessagesPerPoll)
    for (const meta of batch) {
      const id = await readOne(client, s, validity, meta)
      if (id === 'ignored') ignored++
      else if (id !== null) stored.push(id)
    }
    if (ignored > 0)
      log.info(
        HEALTH_SOURCE,
        `${ignored} messaggi da mittenti non autorizzati lasciati nella casella, senza leggerli`,
      )
    return { stored, ignored, more: metas.length > batch.length }
  }

  async function readOne(
    client: ImapFlow,
    s: MailboxSettings,
    validity: string,
    meta: FetchMessageObject,
  ): Promise<number | null | 'ignored'> {
    const sender = meta.envelope?.from?.[0]
    const from = (sender?.address ?? '').toLowerCase()
    if (!isAllowedSender(from, s.allowedSenders)) {
      repo.advance(validity, meta.uid)
      return 'ignored'
    }
    const at = now()
    const base = {
      messageId: meta.envelope?.messageId || `<${validity}.${meta.uid}@notices.vedetta>`,
      from,
      fromName: sender?.name || null,
      subject: meta.envelope?.subject ?? '',
      receivedAt: iso(meta.internalDate) ?? at.toISOString(),
      sentAt: iso(meta.envelope?.date),
      size: meta.size ?? 0,
      uidValidity: validity,
      uid: meta.uid,
    }
    if (base.size > limits.maxMessageBytes) {
      log.warn(
        HEALTH_SOURCE,
        `messaggio «${base.subject}» di ${base.size} byte non scaricato: supera il limite di ${limits.maxMessageBytes} byte`,
      )
      return repo.store(
        {
          ...base,
          text: '',
          attachments: [],
          skipped: { code: 'too_large', limit: limits.maxMessageBytes },
        },
        at.toISOString(),
      )
    }
    const message = await client.fetchOne(String(meta.uid), { source: true }, { uid: true })
    if (!message || !message.source) {
      // Deleted between the listing and the download: nothing to keep.
      repo.advance(validity, meta.uid)
      return null
    }
    const parsed = await simpleParser(message.source, {
      skipTextToHtml: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
      maxHtmlLengthToParse: 2_000_000,
    })
    // Pictures embedded in an HTML signature are not the notice's documents.
    const kept = parsed.attachments.filter((a) => !a.related).slice(0, limits.maxAttachments)
    const names = uniqueNames(kept)
    const attachments: NoticeToStore['attachments'] = []
    for (const [i, a] of kept.entries()) {
      const name = names[i] as string
      const { file, sha256 } = await files.put(name, a.content)
      attachments.push({
        name,
        size: a.content.byteLength,
        mediaType: a.contentType || 'application/octet-stream',
        sha256,
        file,
      })
    }
    return repo.store(
      {
        ...base,
        messageId: parsed.messageId || base.messageId,
        subject: parsed.subject ?? base.subject,
        sentAt: iso(parsed.date) ?? base.sentAt,
        text: (parsed.text ?? '').slice(0, limits.maxTextChars),
        attachments,
      },
      at.toISOString(),
    )
  }

  async function pollOnce(): Promise<NoticesPollReport> {
    const s = settings()
    if (!s || !s.enabled) {
      health.clear(HEALTH_SOURCE)
      return {
        ok: true,
        message: 'Casella degli avvisi non attiva.',
        stored: 0,
        ignored: 0,
        more: false,
      }
    }
    let password: string | null = null
    try {
      password = passwordOf(s)
      const result = await withMailbox(s, password, (client) => readNew(client, s))
      failures = 0
      repo.recordOk(now().toISOString())
      health.clear(HEALTH_SOURCE)
      if (result.stored.length > 0) options.onStored?.(result.stored)
      return {
        ok: true,
        message:
          result.stored.length > 0
            ? `${result.stored.length} nuovi avvisi per e-mail.`
            : 'Nessun nuovo avviso per e-mail.',
        stored: result.stored.length,
        ignored: result.ignored,
        more: result.more,
      }
    } catch (err) {
      failures++
      const failure = failureOf(err, s, password)
      repo.recordFailure(now().toISOString(), failure.code, failure.message)
      health.raise(HEALTH_SOURCE, failure.message)
      return { ok: false, ...failure, stored: 0, ignored: 0, more: false }
    } finally {
      options.onStatus?.()
    }
  }

  function nextDelay(report: NoticesPollReport, s: MailboxSettings | null): number {
    const interval = (s?.intervalS ?? 120) * 1000
    if (report.ok) return report.more ? 0 : interval
    if (report.code && NEEDS_A_PERSON.has(report.code)) return interval
    const backoff = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 20))
    return Math.min(interval, backoff * (0.8 + 0.4 * random()))
  }

  function schedule(ms: number): void {
    if (timer !== undefined) clearTimeout(timer)
    timer = setTimeout(() => void tick(), ms)
  }

  /**
   * One read at a time, whoever asks (the schedule, the operator, a new configuration); the
   * next one is scheduled from how this one went, so a failure seen by the operator's "read
   * now" is retried with backoff too.
   */
  function shared(): Promise<NoticesPollReport> {
    inFlight ??= pollOnce()
      .then(
        (report) => {
          if (running) schedule(again ? 0 : nextDelay(report, settings()))
          return report
        },
        (err: unknown) => {
          // Not the mailbox (each of its failures is a report): the database or the disk.
          log.error(HEALTH_SOURCE, err)
          health.raise(
            HEALTH_SOURCE,
            'La lettura degli avvisi per e-mail si è fermata per un errore interno: riprovo tra un minuto.',
          )
          if (running) schedule(60_000)
          throw err
        },
      )
      .finally(() => {
        again = false
        inFlight = undefined
      })
    return inFlight
  }

  async function tick(): Promise<void> {
    timer = undefined
    if (!running) return
    // A failure was logged and raised in shared(); the schedule goes on from there.
    await shared().catch(() => undefined)
  }

  return {
    /** Reads the mailbox now and then at its interval, until `stop()`. */
    start(): void {
      if (running) return
      running = true
      schedule(0)
    },
    /** Stops scheduling, drops a connection in progress and waits for it to end. */
    async stop(): Promise<void> {
      running = false
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      for (const client of open) client.close()
      // Stopping only waits for the poll to end: its failure, if any, was already logged
      // and raised in Stato by shared(), and the next start reads the mailbox again.
      await inFlight?.catch(() => undefined)
    },
    /** Reads the mailbox now (a poll in progress is shared, not doubled). */
    pollNow: (): Promise<NoticesPollReport> => shared(),
    /** The configuration changed: read again at once with it. */
    refresh(): void {
      failures = 0
      if (!running) return
      if (inFlight) again = true
      else schedule(0)
    },
    /** Logs in and opens the folder read-only, reading nothing. Never throws. */
    async check(
      s: MailboxSettings,
      password: string | null,
    ): Promise<MailboxFailure | { code: null; message: string }> {
      try {
        const pass = password ?? passwordOf(s)
        return await withMailbox(s, pass, async (client) => {
          const box = await client.mailboxOpen(s.folder, { readOnly: true })
          return {
            code: null,
            message: `Accesso riuscito: la cartella «${s.folder}» contiene ${box.exists} messaggi.`,
          }
        })
      } catch (err) {
        return failureOf(err, s, password)
      }
    },
    isRunning: (): boolean => running,
  }
}

export type NoticesWatcher = ReturnType<typeof createNoticesWatcher>
