import { parsePhoneNumberFromString } from 'libphonenumber-js/max'

/**
 * The shapes providers give their identifiers, so that a mistyped account is
 * refused on the form, field by field, instead of failing on the first alert.
 * Each format is a validation code (shared/validation/issues.ts) whose message
 * says what the provider's value looks like and where to find it.
 */
export const ACCOUNT_FORMATS = [
  /** Twilio Account SID: AC and 32 hexadecimal digits. */
  'twilio_account_sid',
  /** Twilio Content SID of an approved template: HX and 32 hexadecimal digits. */
  'twilio_content_sid',
  /** Twilio SMS sender: an E.164 number, a Messaging Service SID (MG…) or an alphanumeric sender. */
  'twilio_sender',
  /** Twilio WhatsApp sender: whatsapp:+E.164, +E.164 or a Messaging Service SID (MG…). */
  'whatsapp_sender',
  /** A number that places calls, in E.164 (+39…). */
  'phone_e164',
  /** Vonage's caller number: E.164 with or without the plus (Vonage writes it without). */
  'vonage_number',
  /** An SMS sender: a number (E.164 or a short code) or up to 11 letters and digits. */
  'sms_sender',
  /** An identifier in UUID form (a Vonage application id). */
  'uuid',
  /** Telegram chat: a numeric id (-100… for channels) or @username. */
  'telegram_chat',
  /** Telegram bot token from @BotFather: the bot's number, a colon, 30+ characters. */
  'telegram_bot_token',
  /** Meta Graph numeric id (a page, a WhatsApp phone number id). */
  'graph_id',
  /** Meta Graph API version: v23.0. */
  'graph_version',
  /** X handle: up to 15 letters, digits or underscores, with or without @. */
  'x_handle',
  /** Bluesky handle: a domain name (name.bsky.social) or a DID. */
  'bluesky_handle',
  /** WhatsApp template name: lower-case letters, digits and underscores. */
  'whatsapp_template_name',
  /** WhatsApp template language code: it, en_US. */
  'whatsapp_language',
  /** YouTube channel id: UC and 22 letters, digits, dashes or underscores. */
  'youtube_channel_id',
  /** An https address (plain http only for a server on this computer). */
  'https_url',
] as const
export type AccountFormat = (typeof ACCOUNT_FORMATS)[number]

const HEX32 = '[0-9a-fA-F]{32}'
const MESSAGING_SERVICE = new RegExp(`^MG${HEX32}$`)
/** GSM alphanumeric sender ids: at most 11 characters, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 .&_-]{1,11}$/
const SHORT_CODE = /^\d{3,8}$/
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?'
const BLUESKY_HANDLE = new RegExp(
  `^@?(?:${DNS_LABEL}\\.)+[a-zA-Z](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$`,
)
const DID = /^did:(?:plc|web):[A-Za-z0-9._:%-]+$/
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** A number as E.164 (+, country code, no spaces) that libphonenumber knows as a real number. */
export function isE164(value: string): boolean {
  if (!/^\+[1-9]\d{6,14}$/.test(value)) return false
  return parsePhoneNumberFromString(value)?.isValid() ?? false
}

function isHttpsUrl(value: string): boolean {
  try {
    const u = new URL(value)
    if (u.protocol === 'https:') return u.hostname.length > 0
    return u.protocol === 'http:' && LOOPBACK.has(u.hostname)
  } catch {
    return false
  }
}

const CHECKS: Record<AccountFormat, (v: string) => boolean> = {
  twilio_account_sid: (v) => new RegExp(`^AC${HEX32}$`).test(v),
  twilio_content_sid: (v) => new RegExp(`^HX${HEX32}$`).test(v),
  twilio_sender: (v) =>
    isE164(v) ||
    MESSAGING_SERVICE.test(v) ||
    // A cut Messaging Service SID is not a sender name.
    (ALPHANUMERIC_SENDER.test(v) && !/^MG[0-9a-fA-F]+$/.test(v)),
  whatsapp_sender: (v) => isE164(v.replace(/^whatsapp:/, '')) || MESSAGING_SERVICE.test(v),
  phone_e164: isE164,
  vonage_number: (v) => isE164(v.startsWith('+') ? v : `+${v}`),
  sms_sender: (v) => isE164(v) || SHORT_CODE.test(v) || ALPHANUMERIC_SENDER.test(v),
  uuid: (v) => UUID.test(v),
  telegram_chat: (v) => /^-?\d{1,20}$/.test(v) || /^@[A-Za-z][A-Za-z0-9_]{1,31}$/.test(v),
  telegram_bot_token: (v) => /^\d+:[A-Za-z0-9_-]{30,}$/.test(v),
  graph_id: (v) => /^\d{1,25}$/.test(v),
  graph_version: (v) => /^v\d{1,3}\.\d{1,2}$/.test(v),
  x_handle: (v) => /^@?[A-Za-z0-9_]{1,15}$/.test(v),
  bluesky_handle: (v) => BLUESKY_HANDLE.test(v) || DID.test(v),
  whatsapp_template_name: (v) => /^[a-z0-9_]{1,512}$/.test(v),
  whatsapp_language: (v) => /^[a-z]{2,3}(?:_[A-Z]{2})?$/.test(v),
  youtube_channel_id: (v) => /^UC[0-9A-Za-z_-]{22}$/.test(v),
  https_url: isHttpsUrl,
}

/** True when `value` (already trimmed) has the provider's shape for `format`. */
export function matchesFormat(format: AccountFormat, value: string): boolean {
  return CHECKS[format](value)
}
