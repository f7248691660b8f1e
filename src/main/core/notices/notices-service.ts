import { readFile } from 'node:fs/promises'
import type { ConnectionOptions } from 'node:tls'
import type {
  MailboxFields,
  MailboxView,
  ManualAvviso,
  ManualAvvisoResult,
  OpenedAttachment,
} from '../../../shared/contract/notices'
import type { AlertKind, AlertLevel } from '../../../shared/templates/alert-kinds'
import type { AuditLog } from '../audit/audit-log'
import type { Db } from '../db/open'
import { CoreError, invalid, notFound } from '../errors'
import type { EventBus } from '../events'
import { createFeedsRepository } from '../feeds'
import type { OurComune } from '../feeds/dpc/our-levels'
import type { Log } from '../health/log'
import type { SecretCipher } from '../secrets/cipher'
import { createTemplatesRepository } from '../templates/templates-repository'
import { createAttachmentStore, noticesDir, sha256Hex, statIfPresent } from './attachment-files'
import { createManualAvvisi } from './manual-avviso'
import { createNoticesRepository, type MailboxRow } from './notices-repository'
import {
  createNoticesWatcher,
  type MailboxSettings,
  type NoticesWatcher,
  type WatcherLimits,
} from './watcher'

/** What the composition root may tune: tests (a test CA, short backoff), the desktop shell. */
export interface NoticesOptions {
  /** Extra TLS options for the mailbox connection (a private CA's certificate). */
  tls?: ConnectionOptions
  backoff?: { baseMs?: number; maxMs?: number }
  limits?: Partial<WatcherLimits>
  timeouts?: { connectMs?: number; greetingMs?: number; socketMs?: number }
  /**
   * Opens a file with the system's viewer (the desktop shell passes Electron's
   * `shell.openPath`): resolves to '' when it opened, else to the reason. Without it (the
   * loopback host) an attachment is handed to the page, which downloads it.
   */
  openFile?: (path: string) => Promise<string>
}

export interface NoticesDeps extends NoticesOptions {
  db: Db
  mode: 'real' | 'drill'
  /** The workspace folder (beside the database): attachments go in its `notices` folder. */
  workspaceDir: string
  cipher: SecretCipher
  events: EventBus
  audit: AuditLog
  health: { raise(source: string, message: string): void; clear(source: string): void }
  log: Log
  now: () => Date
  comuni: () => OurComune[]
}

const DEFAULT_MAILBOX = {
  enabled: false,
  host: '',
  port: 993,
  security: 'tls' as const,
  username: '',
  folder: 'INBOX',
  allowedSenders: [] as string[],
  intervalS: 120,
}

const settingsOf = (row: MailboxRow | Omit<MailboxFields, 'password'>): MailboxSettings => ({
  enabled: row.enabled,
  host: row.host,
  port: row.port,
  security: row.security,
  username: row.username,
  folder: row.folder,
  allowedSenders: row.allowedSenders,
  intervalS: row.intervalS,
})

/**
 * The region's notices by e-mail and the avvisi entered by hand: the mailbox configuration
 * (password sealed, write-only), its watcher (real operations only: a drill reads no
 * mailbox), the notices and their attachments, and the avvisi that flow as bulletins.
 */
export function createNoticesService(deps: NoticesDeps) {
  const { cipher, events, audit } = deps
  const repo = createNoticesRepository(deps.db)
  const files = createAttachmentStore(noticesDir(deps.workspaceDir))
  const templates = createTemplatesRepository(deps.db)
  const manual = createManualAvvisi({
    repo: createFeedsRepository(deps.db, deps.now),
    audit,
    events,
    comuni: deps.comuni,
    templateFor: (kind: AlertKind, level: AlertLevel) =>
      templates.list().find((t) => t.kind === kind && t.level === level)?.id ?? null,
    now: deps.now,
  })
  const storedPassword = (): string | null => {
    const sealed = repo.mailbox()?.password
    return sealed ? cipher.decrypt(sealed) : null
  }
  const watcher: NoticesWatcher | undefined =
    deps.mode === 'real'
      ? createNoticesWatcher(
          () => {
            const row = repo.mailbox()
            return row ? settingsOf(row) : null
          },
          {
            repo,
            files,
            password: storedPassword,
            health: deps.health,
            log: deps.log,
            now: deps.now,
            ...(deps.tls ? { tls: deps.tls } : {}),
            ...(deps.backoff ? { backoff: deps.backoff } : {}),
            ...(deps.limits ? { limits: deps.limits } : {}),
            ...(deps.timeouts ? { timeouts: deps.timeouts } : {}),
            onStored: (ids) => events.emit('notices:changed', { ids }),
            onStatus: () => events.emit('notices:mailboxChanged', {}),
          },
        )
      : undefined

  function realOnly(): NoticesWatcher {
    if (!watcher)
      throw new CoreError('forbidden', 'in a drill the notices mailbox is neither read nor set')
    return watcher
  }

  function view(): MailboxView {
    const row = repo.mailbox()
    const base = row ? settingsOf(row) : DEFAULT_MAILBOX
    return {
      configured: row !== null,
      ...base,
      passwordSet: Boolean(row?.password),
      status: {
        lastPollAt: row?.lastPollAt ?? null,
        lastOkAt: row?.lastOkAt ?? null,
        lastError: row?.lastError ?? null,
        lastErrorCode: row?.lastErrorCode ?? null,
        lastErrorAt: row?.lastErrorAt ?? null,
        uidValidity: row?.uidValidity ?? null,
        lastUid: row?.lastUid ?? 0,
      },
    }
  }

  return {
    getMailbox: view,

    /** Saves the configuration; an empty or absent password keeps the stored one, `null` clears it. */
    saveMailbox(input: MailboxFields, actor: string): MailboxView {
      realOnly()
      const held = repo.mailbox()
      const { password, ...fields } = input
      const sealed =
        password === null
          ? null
          : password === undefined || password === ''
            ? (held?.password ?? null)
            : cipher.encrypt(password)
      if (fields.enabled && !sealed) throw invalid([{ path: 'password', code: 'required' }])
      repo.saveMailbox(fields, sealed, deps.now().toISOString())
      audit.record(actor, 'notices.saveMailbox', 'notices:mailbox', {
        ...fields,
        // Whether the password changed, never its value.
        passwordChanged: password !== undefined && password !== '',
      })
      events.emit('notices:mailboxChanged', {})
      watcher?.refresh()
      return view()
    },

    /** Logs in with the form's values (or the saved ones) and opens the folder; reads nothing. */
    async testMailbox(input?: MailboxFields) {
      const w = realOnly()
      const row = repo.mailbox()
      const settings = input ? settingsOf(input) : row ? settingsOf(row) : null
      const checkedAt = deps.now().toISOString()
      if (!settings)
        return {
          ok: false,
          message: 'La casella degli avvisi non è ancora configurata.',
          checkedAt,
        }
      const typed = input?.password ? input.password : null
      const result = await w.check(settings, typed)
      return { ok: result.code === null, message: result.message, checkedAt }
    },

    async pollNow() {
      const report = await realOnly().pollNow()
      return {
        ok: report.ok,
        message: report.message,
        stored: report.stored,
        ignored: report.ignored,
      }
    },

    list(limit: number, cursor?: string | null) {
      return { ...repo.page(limit, cursor), total: repo.count() }
    },

    /**
     * Opens an attachment: with the system's viewer on the desktop, else its bytes for the
     * page to download. The file is checked against the SHA-256 taken when it arrived.
     */
    async openAttachment(id: number, actor: string): Promise<OpenedAttachment> {
      const att = repo.attachment(id)
      if (!att) throw notFound(`attachment ${id}`)
      const path = files.pathOf(att.file)
      if (!(await statIfPresent(path)))
        throw new CoreError(
          'not_found',
          `the file of attachment ${id} is missing from the workspace`,
        )
      const content = await readFile(path)
      if (sha256Hex(content) !== att.sha256)
        throw new CoreError('conflict', `the file of attachment ${id} changed on disk`)
      audit.record(actor, 'notices.openAttachment', `notice:${att.noticeId}`, { name: att.name })
      const described = { name: att.name, mediaType: att.mediaType, size: att.size, path }
      if (deps.openFile) {
        const failure = await deps.openFile(path)
        if (failure)
          throw new CoreError('unavailable', `the system viewer did not open it: ${failure}`)
        return { ...described, opened: true }
      }
      return { ...described, opened: false, base64: content.toString('base64') }
    },

    /** An avviso entered by hand, or read from a notice (then linked to it). */
    createAvviso(input: ManualAvviso, actor: string): ManualAvvisoResult {
      const notice = input.noticeId === undefined ? undefined : repo.get(input.noticeId)
      if (input.noticeId !== undefined && !notice) throw notFound(`notice ${input.noticeId}`)
      const result = manual.create(input, actor, notice)
      if (notice) {
        repo.linkAvviso(notice.id, result.itemId)
        events.emit('notices:changed', { ids: [notice.id] })
      }
      return result
    },

    start: () => watcher?.start(),
    stop: async () => watcher?.stop(),
  }
}

export type NoticesService = ReturnType<typeof createNoticesService>
