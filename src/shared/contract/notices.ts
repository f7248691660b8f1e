import { z } from 'zod'
import { BULLETIN_RISKS, type WarningLevel } from '../feeds/types'
import { isInstant, parseInstant, parseRomeInput } from '../time'
import { command, shaped } from './define'

/*
 * The region's notices by e-mail (the centro funzionale sends its avvisi as e-mails with PDF
 * attachments) and avvisi an operator enters by hand. Pure (zod and shared code only).
 */

const id = z.number().int().positive()

/**
 * How the connection to the mailbox is protected: `tls` is implicit TLS (IMAPS, port 993),
 * `starttls` upgrades a plain connection before logging in (port 143) and refuses a server
 * that does not offer it, `none` sends everything in clear and is accepted only for a server
 * on this computer (127.0.0.1, ::1, localhost).
 */
export const MAILBOX_SECURITY = ['tls', 'starttls', 'none'] as const
export type MailboxSecurity = (typeof MAILBOX_SECURITY)[number]

const HOST_RE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\[?[0-9a-fA-F:]+\]?$/
const ADDRESS_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/
const DOMAIN_RE = /^@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/

/** True for a host on this computer: the only place a mailbox may be read without TLS. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}

/**
 * One allowed sender: an address (`avvisi@regione.toscana.it`) or a whole domain
 * (`@regione.toscana.it`). Compared without regard to case.
 */
export const allowedSenderSchema = z
  .string({ error: 'email' })
  .trim()
  .toLowerCase()
  .refine((v) => v.length <= 254, { error: 'too_long', params: { max: 254 } })
  .refine((s) => ADDRESS_RE.test(s) || DOMAIN_RE.test(s), { error: 'email' })

/** The notices mailbox as the ICT office configures it. The password is write-only. */
export const mailboxInputSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    host: z
      .string({ error: 'host' })
      .trim()
      .min(1, { error: 'required' })
      .max(253, { error: 'host' })
      .regex(HOST_RE, { error: 'host' }),
    port: z
      .number({ error: 'port' })
      .int({ error: 'port' })
      .min(1, { error: 'port' })
      .max(65535, { error: 'port' }),
    security: z.enum(MAILBOX_SECURITY, { error: 'choice' }).default('tls'),
    username: z
      .string({ error: 'required' })
      .trim()
      .min(1, { error: 'required' })
      .refine((v) => v.length <= 320, { error: 'too_long', params: { max: 320 } }),
    /** A string sets it, `null` clears it, absent or empty keeps the stored one. */
    password: z
      .string()
      .refine((v) => v.length <= 1024, { error: 'too_long', params: { max: 1024 } })
      .nullable()
      .optional(),
    folder: z
      .string()
      .trim()
      .min(1, { error: 'required' })
      .refine((v) => v.length <= 200, { error: 'too_long', params: { max: 200 } })
      .default('INBOX'),
    /** Only messages from these senders become notices; the others are left in the mailbox. */
    allowedSenders: z
      .array(allowedSenderSchema)
      .refine((v) => v.length <= 100, { error: 'too_long', params: { max: 100 } })
      .default([]),
    intervalS: z
      .number({ error: 'number' })
      .int({ error: 'number' })
      .refine((n) => n >= 30 && n <= 86400, { error: 'range', params: { min: 30, max: 86400 } })
      .default(120),
  })
  .superRefine((m, ctx) => {
    if (m.security === 'none' && !isLoopbackHost(m.host))
      ctx.addIssue({
        code: 'custom',
        path: ['security'],
        message: 'invalid',
        params: { detail: 'cleartext' },
      })
    if (m.enabled && m.allowedSenders.length === 0)
      ctx.addIssue({ code: 'custom', path: ['allowedSenders'], message: 'required' })
  })
export type MailboxInput = z.input<typeof mailboxInputSchema>
export type MailboxFields = z.output<typeof mailboxInputSchema>

/** The mailbox as the UI may see it: never the password, only whether one is stored. */
export interface MailboxView {
  configured: boolean
  enabled: boolean
  host: string
  port: number
  security: MailboxSecurity
  username: string
  folder: string
  allowedSenders: string[]
  intervalS: number
  passwordSet: boolean
  status: {
    lastPollAt: string | null
    lastOkAt: string | null
    /** The last failure, in Italian for the operator (never a secret). */
    lastError: string | null
    lastErrorCode: string | null
    lastErrorAt: string | null
    /** The folder's UIDVALIDITY and the highest UID read: only newer messages are fetched. */
    uidValidity: string | null
    lastUid: number
  }
}

export interface NoticeAttachmentView {
  id: number
  name: string
  size: number
  mediaType: string
  sha256: string
}

/** One e-mail from an allowed sender, kept with its attachments. */
export interface NoticeView {
  id: number
  messageId: string
  from: string
  fromName: string | null
  subject: string
  /** When the mailbox received it (the server's date), ISO UTC. */
  receivedAt: string
  /** The Date header, when the sender gave one. */
  sentAt: string | null
  /** Plain text of the message (HTML reduced to text): render as text. */
  text: string
  size: number
  attachments: NoticeAttachmentView[]
  /** Set when the content was not downloaded: `too_large` (over `limit` bytes). */
  skipped: { code: 'too_large'; limit: number } | null
  /** The avviso this notice was turned into, when it was. */
  avvisoItemId: number | null
}

/** A connection check or a poll, as the operator reads it. */
export const MailboxCheck = z.object({
  ok: z.boolean(),
  /** Italian, for the operator; never a secret. */
  message: z.string(),
  checkedAt: z.string(),
})

const LEVELS = ['verde', 'giallo', 'arancione', 'rosso'] as const satisfies readonly WarningLevel[]

/**
 * An instant with its offset, or a bare wall time (`2026-02-07T14:00`) read on Rome's clock:
 * the spring hour that does not exist is refused (`time_gap`), the autumn hour that happens
 * twice is the first unless the client sends the instant it means.
 */
const romeInstant = z
  .string({ error: 'required' })
  .trim()
  .min(1, { error: 'required' })
  .transform((s, ctx) => {
    if (isInstant(s)) return new Date(parseInstant(s)).toISOString()
    const wall = parseRomeInput(s)
    if (wall.ok) return wall.iso
    ctx.addIssue({
      code: 'custom',
      message: wall.code,
      ...(wall.params ? { params: wall.params } : {}),
    })
    return z.NEVER
  })

const httpLink = z
  .string()
  .trim()
  .refine((v) => v.length <= 2000, { error: 'too_long', params: { max: 2000 } })
  .refine(
    (u) => {
      if (u === '') return true
      try {
        const { protocol } = new URL(u)
        return protocol === 'http:' || protocol === 'https:'
      } catch {
        return false
      }
    },
    { error: 'url' },
  )
  .transform((u) => (u === '' ? undefined : u))

/**
 * An avviso entered by hand (or read from a notice): its number, the alert zones it names,
 * the risk and level, when it applies (Rome's clock) and the link to the published document.
 */
export const manualAvvisoSchema = z
  .strictObject({
    number: z
      .string({ error: 'required' })
      .trim()
      .min(1, { error: 'required' })
      .refine((v) => v.length <= 40, { error: 'too_long', params: { max: 40 } }),
    /** Alert zones as the region names them ("Valdarno Inf."): our comuni's, or typed. */
    zones: z
      .array(
        z
          .string()
          .trim()
          .min(1, { error: 'required' })
          .refine((v) => v.length <= 80, { error: 'too_long', params: { max: 80 } }),
        { error: 'required' },
      )
      .min(1, { error: 'required' })
      .refine((v) => v.length <= 40, { error: 'too_long', params: { max: 40 } }),
    risk: z.enum(BULLETIN_RISKS, { error: 'choice' }),
    level: z.enum(LEVELS, { error: 'choice' }),
    validFrom: romeInstant,
    validTo: romeInstant,
    link: httpLink.optional(),
    /** The notice (e-mail) this avviso is read from: linked to it. */
    noticeId: id.optional(),
  })
  .refine((a) => a.validTo > a.validFrom, {
    path: ['validTo'],
    error: 'invalid',
    params: { detail: 'before_valid_from' },
  })
export type ManualAvvisoInput = z.input<typeof manualAvvisoSchema>
export type ManualAvviso = z.output<typeof manualAvvisoSchema>

/** What entering an avviso did. */
export interface ManualAvvisoResult {
  /** The stored bulletin (under the source of avvisi entered by hand). */
  itemId: number
  /** `new`, `revised` (the same number entered again with changes) or `unchanged`. */
  change: 'new' | 'revised' | 'unchanged'
  /** Our comuni in the avviso's zones; empty when none of its zones is ours. */
  comuni: string[]
  /** True when it raised the banner (and offered the prefilled draft). */
  raised: boolean
}

/** Opening an attachment: the desktop shell opens it with the system's viewer; a browser downloads it. */
export interface OpenedAttachment {
  name: string
  mediaType: string
  size: number
  /** Where the file is kept, in the workspace folder. */
  path: string
  /** True when the system's viewer was asked to open it (desktop); else `base64` is the file. */
  opened: boolean
  base64?: string
}

/** Outputs are typed by the interfaces above and checked here by the fields the screens read. */
const MailboxOut = shaped<MailboxView>({
  configured: z.boolean(),
  enabled: z.boolean(),
  host: z.string(),
  port: z.number().int(),
  username: z.string(),
  folder: z.string(),
  allowedSenders: z.array(z.string()),
  intervalS: z.number().int(),
  passwordSet: z.boolean(),
  status: z.looseObject({ lastPollAt: z.string().nullable(), lastError: z.string().nullable() }),
})
const NoticeOut = shaped<NoticeView>({
  id,
  messageId: z.string(),
  from: z.string(),
  fromName: z.string().nullable(),
  subject: z.string(),
  receivedAt: z.string(),
  text: z.string(),
  size: z.number().int().min(0),
  attachments: z.array(z.looseObject({})),
})

export const noticesCommands = {
  /** The notices mailbox configuration (the password only as set / not set). */
  'notices:getMailbox': command(z.strictObject({}), MailboxOut),
  'notices:saveMailbox': command(mailboxInputSchema, MailboxOut),
  /**
   * Logs in and opens the folder, reading nothing: the saved configuration, or the one in the
   * form (its password when typed, the stored one otherwise).
   */
  'notices:testMailbox': command(
    z.strictObject({ mailbox: mailboxInputSchema.optional() }),
    MailboxCheck,
  ),
  /** Reads the mailbox now, whatever its schedule. */
  'notices:pollNow': command(
    z.strictObject({}),
    z.object({
      ok: z.boolean(),
      message: z.string(),
      stored: z.number(),
      ignored: z.number(),
    }),
  ),
  /** Newest first, by pages: `cursor` is the previous page's `nextCursor`. */
  'notices:list': command(
    z.strictObject({
      limit: z.number().int().min(1).max(200).default(50),
      cursor: z.string().max(200).nullable().optional(),
    }),
    z.object({
      items: z.array(NoticeOut),
      nextCursor: z.string().nullable(),
      total: z.number(),
    }),
  ),
  'notices:openAttachment': command(
    z.strictObject({ id }),
    shaped<OpenedAttachment>({
      name: z.string(),
      mediaType: z.string(),
      size: z.number().int().min(0),
      path: z.string(),
      opened: z.boolean(),
      base64: z.base64().optional(),
    }),
  ),
  /**
   * Stores an avviso as a bulletin of the source of avvisi entered by hand and, when it
   * concerns our comuni, raises the banner with the prefilled draft; with `noticeId` the
   * notice is linked to it.
   */
  'notices:createAvviso': command(
    manualAvvisoSchema,
    shaped<ManualAvvisoResult>({
      itemId: id,
      change: z.enum(['new', 'revised', 'unchanged']),
      comuni: z.array(z.string()),
      raised: z.boolean(),
    }),
  ),
}

export const noticesEvents = {
  /** New notices were stored (or one was linked to an avviso): lists read again. */
  'notices:changed': z.object({ ids: z.array(id) }),
  /** The mailbox's configuration or status changed (a poll, an error, a save). */
  'notices:mailboxChanged': z.object({}),
}
