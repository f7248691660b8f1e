/**
 * Channel kinds Vedetta sends through, and the settings each one declares.
 *
 * One descriptor per kind drives three things: the runtime schema that checks
 * settings (main process and CLI), the form the ICT office fills in (renderer),
 * and the adapter that reads them (core). Secrets are declared apart: they are
 * write-only from the UI and never travel back to the renderer.
 */

import type { AccountFormat } from './formats'

export const CHANNEL_KINDS = [
  'sms_twilio',
  'sms_gateway',
  'sms_smpp',
  'email_smtp',
  'telegram',
  'facebook_page',
  'x',
  'mastodon',
  'bluesky',
  'website',
  'voice_twilio',
  'voice_vonage',
  'whatsapp_twilio',
  'whatsapp_cloud',
  'youtube',
] as const

export type ChannelKind = (typeof CHANNEL_KINDS)[number]

/** What a message on this kind goes to: people from lists, or a page/profile we own. */
export type ChannelAudience = 'people' | 'page'

/** The family a kind belongs to, used to pick template variants and recipients. */
export type ChannelFamily =
  | 'sms'
  | 'email'
  | 'telegram'
  | 'facebook'
  | 'x'
  | 'mastodon'
  | 'bluesky'
  | 'website'
  | 'voice'
  | 'whatsapp'
  | 'youtube'

export type SettingType =
  'text' | 'url' | 'host' | 'port' | 'number' | 'select' | 'boolean' | 'email' | 'path'

export interface SettingField {
  key: string
  type: SettingType
  required: boolean
  /** The provider's shape for the value (shared/channels/formats.ts), checked on save. */
  format?: AccountFormat
  /** Pre-filled value for a new account (the provider's public endpoint, its usual port…). */
  default?: string | number | boolean
  options?: readonly string[]
  min?: number
  max?: number
}

export interface SecretField {
  key: string
  /** Needed for the account to work; required when the account is created. */
  required: boolean
  /** The provider's shape for the value, checked when one is typed. */
  format?: AccountFormat
}

export interface ChannelKindDescriptor {
  kind: ChannelKind
  family: ChannelFamily
  audience: ChannelAudience
  settings: readonly SettingField[]
  secrets: readonly SecretField[]
}

const text = (key: string, required = true, extra: Partial<SettingField> = {}): SettingField => ({
  key,
  type: 'text',
  required,
  ...extra,
})
const url = (key: string, def?: string, required = true): SettingField => ({
  key,
  type: 'url',
  required,
  // Tokens and passwords travel with these requests: https, or a server on this computer.
  format: 'https_url',
  ...(def === undefined ? {} : { default: def }),
})
const price: SettingField = {
  key: 'pricePerSegment',
  type: 'number',
  required: false,
  default: 0,
  min: 0,
  max: 10,
}

const number = (key: string, def: number, min: number, max: number): SettingField => ({
  key,
  type: 'number',
  required: false,
  default: def,
  min,
  max,
})

/**
 * What every voice account says about its calls: the language of the
 * synthesised voice, how many tries per person and how far apart, the price
 * per minute for the preview's cost range, the provider's caps on calls per
 * second and calls at once, and the night hours when only orange and red
 * alerts may ring (HH:MM-HH:MM, Europe/Rome; empty for no quiet hours).
 */
const VOICE_CALLS: readonly SettingField[] = [
  text('language', true, { default: 'it-IT' }),
  text('voice', false),
  number('attempts', 3, 1, 5),
  number('attemptIntervalMinutes', 10, 1, 120),
  { key: 'machineDetection', type: 'boolean', required: false, default: true },
  number('pricePerMinute', 0, 0, 10),
  number('ratePerSecond', 1, 0.1, 100),
  number('maxConcurrentCalls', 10, 1, 500),
  text('quietHours', false, { default: '22:00-07:00' }),
]

/**
 * Posts carry the alert map card with its alt text (outbox/message-builder.ts
 * MAP_CARD_FAMILIES); on unless the account switches it off.
 */
const MAP_CARD: SettingField = { key: 'mapCard', type: 'boolean', required: false, default: true }

/** Every Twilio account (SMS, calls, WhatsApp) is named by its SID: AC and 32 hex digits. */
const TWILIO_ACCOUNT_SID = text('accountSid', true, { format: 'twilio_account_sid' })

/**
 * A WhatsApp message a business starts must be a template the provider
 * approved; `templateVariables` names the alert fields that fill its {{1}},
 * {{2}}… in order (see shared/channels/whatsapp-variables.ts).
 */
const WHATSAPP_TEMPLATE_VARIABLES = text('templateVariables', true, {
  default: 'titolo,comuni,istruzioni',
})

/** The approved template's text with its {{1}}, {{2}}…, pasted for the preview (optional). */
const WHATSAPP_TEMPLATE_BODY = text('templateBody', false)

const KIND_DESCRIPTORS: Record<ChannelKind, ChannelKindDescriptor> = {
  sms_twilio: {
    kind: 'sms_twilio',
    family: 'sms',
    audience: 'people',
    settings: [
      url('baseUrl', 'https://api.twilio.com'),
      TWILIO_ACCOUNT_SID,
      text('from', true, { format: 'twilio_sender' }),
      price,
      { key: 'ratePerSecond', type: 'number', required: false, default: 1, min: 0.1, max: 1000 },
    ],
    secrets: [{ key: 'authToken', required: true }],
  },
  sms_gateway: {
    kind: 'sms_gateway',
    family: 'sms',
    audience: 'people',
    settings: [
      url('baseUrl', 'https://api.skebby.it/API/v1.0/REST/'),
      text('username'),
      text('sender', true, { format: 'sms_sender' }),
      {
        key: 'messageType',
        type: 'select',
        required: true,
        default: 'GP',
        options: ['GP', 'TI', 'SI'],
      },
      price,
      { key: 'ratePerSecond', type: 'number', required: false, default: 5, min: 0.1, max: 1000 },
    ],
    secrets: [{ key: 'password', required: true }],
  },
  sms_smpp: {
    kind: 'sms_smpp',
    family: 'sms',
    audience: 'people',
    settings: [
      { key: 'host', type: 'host', required: true },
      { key: 'port', type: 'port', required: true, default: 2775 },
      { key: 'tls', type: 'boolean', required: false, default: false },
      text('systemId'),
      text('systemType', false),
      text('sourceAddr', true, { format: 'sms_sender' }),
      price,
      { key: 'ratePerSecond', type: 'number', required: false, default: 10, min: 0.1, max: 1000 },
    ],
    secrets: [{ key: 'password', required: true }],
  },
  email_smtp: {
    kind: 'email_smtp',
    family: 'email',
    audience: 'people',
    settings: [
      { key: 'host', type: 'host', required: true },
      { key: 'port', type: 'port', required: true, default: 587 },
      {
        key: 'security',
        type: 'select',
        required: true,
        default: 'starttls',
        options: ['starttls', 'tls', 'none'],
      },
      text('username', false),
      { key: 'fromAddress', type: 'email', required: true },
      text('fromName', false),
      { key: 'ratePerSecond', type: 'number', required: false, default: 10, min: 0.1, max: 1000 },
      // A pool of connections, each carrying up to maxMessages messages before it is renewed.
      { key: 'maxConnections', type: 'number', required: false, default: 5, min: 1, max: 50 },
      { key: 'maxMessages', type: 'number', required: false, default: 100, min: 1, max: 10000 },
    ],
    secrets: [{ key: 'password', required: false }],
  },
  telegram: {
    kind: 'telegram',
    family: 'telegram',
    audience: 'page',
    settings: [
      url('baseUrl', 'https://api.telegram.org'),
      text('chatId', true, { format: 'telegram_chat' }),
      MAP_CARD,
    ],
    secrets: [{ key: 'botToken', required: true, format: 'telegram_bot_token' }],
  },
  facebook_page: {
    kind: 'facebook_page',
    family: 'facebook',
    audience: 'page',
    settings: [
      url('baseUrl', 'https://graph.facebook.com'),
      text('apiVersion', true, { default: 'v23.0', format: 'graph_version' }),
      text('pageId', true, { format: 'graph_id' }),
      MAP_CARD,
    ],
    secrets: [{ key: 'pageAccessToken', required: true }],
  },
  x: {
    kind: 'x',
    family: 'x',
    audience: 'page',
    settings: [
      url('baseUrl', 'https://api.x.com'),
      text('handle', true, { format: 'x_handle' }),
      MAP_CARD,
    ],
    secrets: [{ key: 'accessToken', required: true }],
  },
  mastodon: {
    kind: 'mastodon',
    family: 'mastodon',
    audience: 'page',
    settings: [
      url('baseUrl'),
      {
        key: 'visibility',
        type: 'select',
        required: true,
        default: 'public',
        options: ['public', 'unlisted'],
      },
      MAP_CARD,
    ],
    secrets: [{ key: 'accessToken', required: true }],
  },
  bluesky: {
    kind: 'bluesky',
    family: 'bluesky',
    audience: 'page',
    settings: [
      url('baseUrl', 'https://bsky.social'),
      text('handle', true, { format: 'bluesky_handle' }),
      MAP_CARD,
    ],
    secrets: [{ key: 'appPassword', required: true }],
  },
  website: {
    kind: 'website',
    family: 'website',
    audience: 'page',
    settings: [
      { key: 'outputDir', type: 'path', required: true },
      url('publicBaseUrl'),
      url('putUrl', undefined, false),
      text('senderId', true, { default: 'protezionecivile@example.org' }),
      MAP_CARD,
    ],
    secrets: [{ key: 'putToken', required: false }],
  },
  voice_twilio: {
    kind: 'voice_twilio',
    family: 'voice',
    audience: 'people',
    settings: [
      url('baseUrl', 'https://api.twilio.com'),
      TWILIO_ACCOUNT_SID,
      text('from', true, { format: 'phone_e164' }),
      ...VOICE_CALLS,
    ],
    secrets: [{ key: 'authToken', required: true }],
  },
  voice_vonage: {
    kind: 'voice_vonage',
    family: 'voice',
    audience: 'people',
    settings: [
      url('baseUrl', 'https://api.nexmo.com'),
      text('applicationId', true, { format: 'uuid' }),
      text('from', true, { format: 'vonage_number' }),
      ...VOICE_CALLS,
    ],
    // The application's RSA private key (PEM): calls are authorised by a JWT it signs.
    secrets: [{ key: 'privateKey', required: true }],
  },
  whatsapp_twilio: {
    kind: 'whatsapp_twilio',
    family: 'whatsapp',
    audience: 'people',
    settings: [
      url('baseUrl', 'https://api.twilio.com'),
      TWILIO_ACCOUNT_SID,
      text('from', true, { format: 'whatsapp_sender' }),
      text('contentSid', true, { format: 'twilio_content_sid' }),
      WHATSAPP_TEMPLATE_VARIABLES,
      WHATSAPP_TEMPLATE_BODY,
      number('pricePerMessage', 0, 0, 10),
      number('ratePerSecond', 1, 0.1, 100),
    ],
    secrets: [{ key: 'authToken', required: true }],
  },
  whatsapp_cloud: {
    kind: 'whatsapp_cloud',
    family: 'whatsapp',
    audience: 'people',
    settings: [
      url('baseUrl', 'https://graph.facebook.com'),
      text('apiVersion', true, { default: 'v23.0', format: 'graph_version' }),
      text('phoneNumberId', true, { format: 'graph_id' }),
      text('templateName', true, { format: 'whatsapp_template_name' }),
      text('templateLanguage', true, { default: 'it', format: 'whatsapp_language' }),
      WHATSAPP_TEMPLATE_VARIABLES,
      WHATSAPP_TEMPLATE_BODY,
      number('pricePerMessage', 0, 0, 10),
      number('ratePerSecond', 10, 0.1, 1000),
    ],
    secrets: [{ key: 'accessToken', required: true }],
  },
  // Comments on the channel's videos come into the citizens' inbox and are answered there; the
  // Data API has no way to publish a post, so alerts reach YouTube only as a link (`{{youtube}}`).
  // Replies need OAuth (client id + secret + refresh token); an API key alone reads comments.
  youtube: {
    kind: 'youtube',
    family: 'youtube',
    audience: 'page',
    settings: [
      url('baseUrl', 'https://www.googleapis.com'),
      url('tokenUrl', 'https://oauth2.googleapis.com/token'),
      text('channelId', true, { format: 'youtube_channel_id' }),
      text('clientId', false),
      // Units of the project's daily quota the comment polling may spend (Google resets it at
      // midnight Pacific time); replies and live-stream look-ups are counted apart.
      number('dailyQuotaUnits', 2000, 50, 1_000_000),
    ],
    secrets: [
      { key: 'clientSecret', required: false },
      { key: 'refreshToken', required: false },
      { key: 'apiKey', required: false },
    ],
  },
}

/**
 * How long a message that could not leave (provider down, refusing, asking to
 * slow down) keeps being retried, in hours: at least this long, or until the
 * alert's validity ends if that is later. Every kind has it.
 */
export const RETRY_BUDGET_FIELD: SettingField = {
  key: 'retryBudgetHours',
  type: 'number',
  required: false,
  default: 6,
  min: 1,
  max: 72,
}

export const CHANNEL_KIND_DESCRIPTORS = Object.fromEntries(
  Object.entries(KIND_DESCRIPTORS).map(([kind, d]) => [
    kind,
    { ...d, settings: [...d.settings, RETRY_BUDGET_FIELD] },
  ]),
) as unknown as Record<ChannelKind, ChannelKindDescriptor>

export function describeKind(kind: ChannelKind): ChannelKindDescriptor {
  return CHANNEL_KIND_DESCRIPTORS[kind]
}
