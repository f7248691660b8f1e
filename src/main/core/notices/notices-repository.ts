import type {
  MailboxFields,
  MailboxSecurity,
  NoticeAttachmentView,
  NoticeView,
} from '../../../shared/contract/notices'
import type { Db } from '../db/open'

/** The stored mailbox row; the password stays sealed here. */
export interface MailboxRow {
  enabled: boolean
  host: string
  port: number
  security: MailboxSecurity
  username: string
  password: Buffer | null
  folder: string
  allowedSenders: string[]
  intervalS: number
  uidValidity: string | null
  lastUid: number
  lastPollAt: string | null
  lastOkAt: string | null
  lastError: string | null
  lastErrorCode: string | null
  lastErrorAt: string | null
  updatedAt: string
}

interface MailboxDbRow {
  enabled: number
  host: string
  port: number
  security: MailboxSecurity
  username: string
  password: Buffer | null
  folder: string
  allowed_senders: string
  interval_s: number
  uid_validity: string | null
  last_uid: number
  last_poll_at: string | null
  last_ok_at: string | null
  last_error: string | null
  last_error_code: string | null
  last_error_at: string | null
  updated_at: string
}

interface NoticeDbRow {
  id: number
  message_id: string
  from_address: string
  from_name: string | null
  subject: string
  received_at: string
  sent_at: string | null
  text_body: string
  size: number
  skipped: 'too_large' | null
  skipped_limit: number | null
  feed_item_id: number | null
}

interface AttachmentDbRow {
  id: number
  notice_id: number
  name: string
  size: number
  media_type: string
  sha256: string
  file: string
}

/** A notice to store: the message as read, its files already written. */
export interface NoticeToStore {
  messageId: string
  from: string
  fromName: string | null
  subject: string
  receivedAt: string
  sentAt: string | null
  text: string
  size: number
  uidValidity: string
  uid: number
  skipped?: { code: 'too_large'; limit: number }
  attachments: { name: string; size: number; mediaType: string; sha256: string; file: string }[]
}

export interface StoredAttachment extends NoticeAttachmentView {
  noticeId: number
  /** Relative to the notices folder. */
  file: string
}

const toMailbox = (r: MailboxDbRow): MailboxRow => ({
  enabled: r.enabled === 1,
  host: r.host,
  port: r.port,
  security: r.security,
  username: r.username,
  password: r.password,
  folder: r.folder,
  allowedSenders: JSON.parse(r.allowed_senders) as string[],
  intervalS: r.interval_s,
  uidValidity: r.uid_validity,
  lastUid: r.last_uid,
  lastPollAt: r.last_poll_at,
  lastOkAt: r.last_ok_at,
  lastError: r.last_error,
  lastErrorCode: r.last_error_code,
  lastErrorAt: r.last_error_at,
  updatedAt: r.updated_at,
})

function encodeCursor(n: { receivedAt: string; id: number }): string {
  return Buffer.from(JSON.stringify([n.receivedAt, n.id])).toString('base64url')
}
function decodeCursor(cursor: string | null | undefined): [string, number] {
  // Past every real key: the first page.
  if (!cursor) return ['\uffff', Number.MAX_SAFE_INTEGER]
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[]
    if (typeof at === 'string' && typeof id === 'number') return [at, id]
  } catch {
    // An unreadable cursor starts from the top, like none.
  }
  return ['\uffff', Number.MAX_SAFE_INTEGER]
}

/** The notices mailbox and the notices read from it. Statements prepared once. */
export function createNoticesRepository(db: Db) {
  const s = {
    mailbox: db.prepare<[], MailboxDbRow>('SELECT * FROM notices_mailbox WHERE id = 1'),
    upsertMailbox: db.prepare(
      `INSERT INTO notices_mailbox (id, enabled, host, port, security, username, password, folder,
         allowed_senders, interval_s, updated_at)
       VALUES (1, @enabled, @host, @port, @security, @username, @password, @folder,
         @allowed_senders, @interval_s, @now)
       ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, host = excluded.host,
         port = excluded.port, security = excluded.security, username = excluded.username,
         password = excluded.password, folder = excluded.folder,
         allowed_senders = excluded.allowed_senders, interval_s = excluded.interval_s,
         updated_at = excluded.updated_at`,
    ),
    resetPosition: db.prepare(
      'UPDATE notices_mailbox SET uid_validity = NULL, last_uid = 0 WHERE id = 1',
    ),
    advance: db.prepare(
      `UPDATE notices_mailbox SET uid_validity = @validity,
         last_uid = CASE WHEN uid_validity IS @validity THEN max(last_uid, @uid) ELSE @uid END
       WHERE id = 1`,
    ),
    pollOk: db.prepare(
      `UPDATE notices_mailbox SET last_poll_at = @at, last_ok_at = @at, last_error = NULL,
         last_error_code = NULL WHERE id = 1`,
    ),
    pollFailed: db.prepare(
      `UPDATE notices_mailbox SET last_poll_at = @at, last_error = @message,
         last_error_code = @code, last_error_at = @at WHERE id = 1`,
    ),
    insertNotice: db.prepare(
      `INSERT INTO notices (message_id, from_address, from_name, subject, received_at, sent_at,
         fetched_at, text_body, size, uid_validity, uid, skipped, skipped_limit)
       VALUES (@message_id, @from_address, @from_name, @subject, @received_at, @sent_at,
         @fetched_at, @text_body, @size, @uid_validity, @uid, @skipped, @skipped_limit)
       ON CONFLICT (message_id) DO NOTHING`,
    ),
    insertAttachment: db.prepare(
      `INSERT INTO notice_attachments (notice_id, name, size, media_type, sha256, file)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    page: db.prepare<[string, string, number, number], NoticeDbRow>(
      `SELECT * FROM notices WHERE received_at < ? OR (received_at = ? AND id < ?)
       ORDER BY received_at DESC, id DESC LIMIT ?`,
    ),
    count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM notices'),
    get: db.prepare<[number], NoticeDbRow>('SELECT * FROM notices WHERE id = ?'),
    attachmentsOf: db.prepare<[number], AttachmentDbRow>(
      'SELECT * FROM notice_attachments WHERE notice_id = ? ORDER BY id',
    ),
    attachment: db.prepare<[number], AttachmentDbRow>(
      'SELECT * FROM notice_attachments WHERE id = ?',
    ),
    link: db.prepare('UPDATE notices SET feed_item_id = ? WHERE id = ?'),
  }

  const toAttachment = (a: AttachmentDbRow): StoredAttachment => ({
    id: a.id,
    noticeId: a.notice_id,
    name: a.name,
    size: a.size,
    mediaType: a.media_type,
    sha256: a.sha256,
    file: a.file,
  })
  const toNotice = (r: NoticeDbRow): NoticeView => ({
    id: r.id,
    messageId: r.message_id,
    from: r.from_address,
    fromName: r.from_name,
    subject: r.subject,
    receivedAt: r.received_at,
    sentAt: r.sent_at,
    text: r.text_body,
    size: r.size,
    attachments: s.attachmentsOf.all(r.id).map(({ id, name, size, media_type, sha256 }) => ({
      id,
      name,
      size,
      mediaType: media_type,
      sha256,
    })),
    skipped: r.skipped ? { code: r.skipped, limit: r.skipped_limit ?? 0 } : null,
    avvisoItemId: r.feed_item_id,
  })

  /** One message read: stored (unless its Message-ID is held) and the position advanced, together. */
  const storeOne = db.transaction((n: NoticeToStore, fetchedAt: string): number | null => {
    const result = s.insertNotice.run({
      message_id: n.messageId,
      from_address: n.from,
      from_name: n.fromName,
      subject: n.subject,
      received_at: n.receivedAt,
      sent_at: n.sentAt,
      fetched_at: fetchedAt,
      text_body: n.text,
      size: n.size,
      uid_validity: n.uidValidity,
      uid: n.uid,
      skipped: n.skipped?.code ?? null,
      skipped_limit: n.skipped?.limit ?? null,
    })
    s.advance.run({ validity: n.uidValidity, uid: n.uid })
    if (result.changes === 0) return null
    const id = Number(result.lastInsertRowid)
    for (const a of n.attachments)
      s.insertAttachment.run(id, a.name, a.size, a.mediaType, a.sha256, a.file)
    return id
  })

  return {
    mailbox(): MailboxRow | null {
      const row = s.mailbox.get()
      return row ? toMailbox(row) : null
    },

    /**
     * Saves the configuration; `password` is the sealed value to keep. Another server, user or
     * folder is another mailbox: it is read from its start (held notices are not duplicated).
     */
    saveMailbox(fields: Omit<MailboxFields, 'password'>, password: Buffer | null, now: string) {
      db.transaction(() => {
        const before = s.mailbox.get()
        s.upsertMailbox.run({
          enabled: fields.enabled ? 1 : 0,
          host: fields.host,
          port: fields.port,
          security: fields.security,
          username: fields.username,
          password,
          folder: fields.folder,
          allowed_senders: JSON.stringify(fields.allowedSenders),
          interval_s: fields.intervalS,
          now,
        })
        if (
          before &&
          (before.host.toLowerCase() !== fields.host.toLowerCase() ||
            before.port !== fields.port ||
            before.username !== fields.username ||
            before.folder !== fields.folder)
        )
          s.resetPosition.run()
      })()
    },

    /** Past a message that is not kept (unknown sender): it is not read again. */
    advance(uidValidity: string, uid: number): void {
      s.advance.run({ validity: uidValidity, uid })
    },

    /** Stores a notice; null when its Message-ID was already held (the position advances anyway). */
    store(notice: NoticeToStore, fetchedAt: string): number | null {
      return storeOne(notice, fetchedAt)
    },

    recordOk(at: string): void {
      s.pollOk.run({ at })
    },

    recordFailure(at: string, code: string, message: string): void {
      s.pollFailed.run({ at, code, message })
    },

    /** Newest first (by the time the mailbox received them), keyset-paged. */
    page(
      limit: number,
      cursor?: string | null,
    ): { items: NoticeView[]; nextCursor: string | null } {
      const [at, id] = decodeCursor(cursor)
      const rows = s.page.all(at, at, id, limit + 1)
      const items = rows.slice(0, limit).map(toNotice)
      const last = items.at(-1)
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null }
    },

    count: (): number => s.count.get()?.n ?? 0,

    get(id: number): NoticeView | undefined {
      const row = s.get.get(id)
      return row ? toNotice(row) : undefined
    },

    attachment(id: number): StoredAttachment | undefined {
      const row = s.attachment.get(id)
      return row ? toAttachment(row) : undefined
    },

    /** Records the avviso a notice was turned into. */
    linkAvviso(noticeId: number, feedItemId: number): void {
      s.link.run(feedItemId, noticeId)
    },
  }
}

export type NoticesRepository = ReturnType<typeof createNoticesRepository>
