import { z } from 'zod'
import type { ChannelFamily } from '../channels/kinds'
import { CITIZEN_FAMILIES, type CitizenCategory as InboxCategory } from '../citizens/types'
import { ALERT_KINDS, ALERT_LEVELS } from '../templates/alert-kinds'
import { parseDuration, parseScenarioTime } from './time'

/**
 * The scenario file of a training drill (YAML or JSON): a timeline of what the
 * world does to the room — bulletins, mayors' ordinances, citizens writing,
 * partners relaying late, channels failing — and the checkpoints the trainer
 * expects the team to meet.
 *
 * Lists, partners and channel accounts are named as the ICT office names them in
 * the workspace (e.g. "Genitori — Istituto Checchi"); the loader checks that they
 * exist. Times use the notations of `./time`: `at: T+1:30`, `within: 15m`.
 * Every schema message is an issue code of `./issues`, so one catalogue words them.
 */

export const SCENARIO_SCHEMA_VERSION = 1

export const EVENT_TYPES = [
  'bulletin',
  'ordinance',
  'citizen_messages',
  'partner_relay',
  'channel_fault',
  'note',
] as const
export type ScenarioEventType = (typeof EVENT_TYPES)[number]

export const CHECKPOINT_TYPES = [
  'first_send',
  'citizen_replies',
  'partner_relay_requested',
  'journal_entry',
] as const
export type CheckpointType = (typeof CHECKPOINT_TYPES)[number]

export const CHANNEL_FAMILIES = [
  'sms',
  'email',
  'telegram',
  'facebook',
  'x',
  'mastodon',
  'bluesky',
  'website',
  'voice',
  'whatsapp',
] as const satisfies readonly ChannelFamily[]

/** Where citizens write to us from: the families the citizens' inbox receives. */
export const INBOUND_FAMILIES = CITIZEN_FAMILIES

export const CITIZEN_CATEGORIES = ['question', 'rumour', 'complaint', 'help_request'] as const
export type CitizenCategory = (typeof CITIZEN_CATEGORIES)[number]

/** The inbox category a drill's citizen message is filed under. */
export const INBOX_CATEGORY: Record<CitizenCategory, InboxCategory> = {
  question: 'domanda',
  rumour: 'voce',
  complaint: 'lamentela',
  help_request: 'richiesta_aiuto',
}

/** Same vocabulary as the simulated adapters' fault windows. */
export const CHANNEL_FAULTS = ['down', 'rate_limited', 'reject'] as const
export type ChannelFaultKind = (typeof CHANNEL_FAULTS)[number]

export const ORDINANCE_SUBJECTS = ['chiusura_scuole', 'evacuazione', 'viabilita', 'altro'] as const

export const MSG_TYPES = ['Alert', 'Update', 'Cancel'] as const

/** `after: start` in a checkpoint means the moment the drill started. */
export const START_REF = 'start'

const ID_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/

const text = (max: number) =>
  z
    .string({ error: 'wrong_type' })
    .trim()
    .min(1, { error: 'empty' })
    .max(max, { error: 'too_long' })
const name = text(200)
const id = z.string({ error: 'wrong_type' }).regex(ID_RE, { error: 'id_format' })
const scenarioTime = z.custom<string>(
  (v) => typeof v === 'string' && parseScenarioTime(v) !== null,
  {
    error: 'time_format',
  },
)
const duration = z.custom<string>((v) => typeof v === 'string' && (parseDuration(v) ?? 0) > 0, {
  error: 'duration_format',
})
const isoDateTime = z.iso.datetime({ offset: true })
const startTime = z.custom<string>((v) => v === 'now' || isoDateTime.safeParse(v).success, {
  error: 'datetime_format',
})
/** How long a partner takes to relay once asked, or `never`. */
const relayDelay = z.custom<string>(
  (v) => v === 'never' || (typeof v === 'string' && parseDuration(v) !== null),
  {
    error: 'delay_format',
  },
)
const countOf = (min: number, max: number) =>
  z
    .number({ error: 'wrong_type' })
    .int({ error: 'wrong_type' })
    .refine((n) => n >= min && n <= max, { error: 'range', params: { min, max } })
/** A share of the calls, 0 to 100 per cent. */
const percent = z
  .number({ error: 'wrong_type' })
  .refine((n) => n >= 0 && n <= 100, { error: 'range', params: { min: 0, max: 100 } })

/**
 * How the people a drill calls answer, in per cent of the calls; the rest pick
 * up and hear the message. Each try draws again: a person who did not answer
 * may answer the next call.
 */
const callsShape = z
  .strictObject(
    {
      nonRisponde: percent.default(0),
      occupato: percent.default(0),
      segreteria: percent.default(0),
      /** How long a call rings before it is answered or given up. */
      squilli: duration.default('20s'),
    },
    { error: 'wrong_type' },
  )
  .refine((c) => c.nonRisponde + c.occupato + c.segreteria <= 100, {
    error: 'range',
    params: { min: 0, max: 100 },
    path: ['nonRisponde'],
  })

const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: 'choice' })

const bulletinShape = {
  type: z.literal('bulletin'),
  /** Who issues it, e.g. "Centro Funzionale Regione Toscana". */
  source: name,
  level: choice(ALERT_LEVELS),
  kind: choice(ALERT_KINDS),
  /** CAP msgType: a new alert, an upgrade/downgrade of an earlier one, or its end (cessata allerta). */
  msgType: choice(MSG_TYPES).default('Alert'),
  /** Id of the earlier bulletin event this one updates or cancels. */
  references: id.optional(),
  comuni: z.array(name, { error: 'wrong_type' }).min(1, { error: 'empty' }),
  headline: text(300),
  description: text(4000),
  instruction: text(4000).optional(),
  /** When the alert takes effect and ends, on the drill timeline. */
  onset: scenarioTime,
  expires: scenarioTime,
}

const ordinanceShape = {
  type: z.literal('ordinance'),
  /** The comune whose mayor signs it. */
  comune: name,
  subject: choice(ORDINANCE_SUBJECTS),
  title: text(300),
  text: text(4000),
  /** Streets, frazioni or zones it applies to (evacuation areas). */
  zones: z.array(name, { error: 'wrong_type' }).optional(),
}

const citizenMessage = z.union(
  [
    text(1000),
    z.strictObject({ author: name.optional(), text: text(1000) }, { error: 'wrong_type' }),
  ],
  { error: 'wrong_type' },
)

const citizenMessagesShape = {
  type: z.literal('citizen_messages'),
  /** Where they arrive: comments on the page, mentions on X, replies to the SMS… */
  channel: choice(INBOUND_FAMILIES),
  category: choice(CITIZEN_CATEGORIES),
  comune: name.optional(),
  /** Sample texts; the burst reuses them in turn when `count` is larger. */
  messages: z.array(citizenMessage, { error: 'wrong_type' }).min(1, { error: 'empty' }),
  /** How many messages in the burst (default: one per sample). */
  count: countOf(1, 10_000).optional(),
  /** Spread the burst over this long (default: all at once). */
  over: duration.optional(),
}

const partnerRelayShape = {
  type: z.literal('partner_relay'),
  partner: name,
  /** From now on, once asked, the partner relays after this long, or `never`. */
  delay: relayDelay,
}

const channelFaultShape = {
  type: z.literal('channel_fault'),
  /** The channel account, by its name in the workspace. */
  channel: name,
  fault: choice(CHANNEL_FAULTS),
  duration,
  detail: text(500).optional(),
}

const noteShape = {
  type: z.literal('note'),
  /** For the trainer only (what to watch, what to role-play on the phone). */
  text: text(4000),
}

const timing = { id: id.optional(), at: scenarioTime }
const injected = { id: id.optional() }

/** One event of the timeline. */
export const scenarioEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...timing, ...bulletinShape }),
  z.strictObject({ ...timing, ...ordinanceShape }),
  z.strictObject({ ...timing, ...citizenMessagesShape }),
  z.strictObject({ ...timing, ...partnerRelayShape }),
  z.strictObject({ ...timing, ...channelFaultShape }),
  z.strictObject({ ...timing, ...noteShape }),
])

/** An event the trainer injects by hand: it happens now, so it has no `at`. */
export const injectedEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...injected, ...bulletinShape }),
  z.strictObject({ ...injected, ...ordinanceShape }),
  z.strictObject({ ...injected, ...citizenMessagesShape }),
  z.strictObject({ ...injected, ...partnerRelayShape }),
  z.strictObject({ ...injected, ...channelFaultShape }),
  z.strictObject({ ...injected, ...noteShape }),
])

const checkpointBase = {
  id,
  description: text(500),
  /** The event id the clock starts from, or `start`. */
  after: z.string({ error: 'wrong_type' }).min(1, { error: 'empty' }),
  within: duration,
}

/** What the trainer expects the team to do, and how soon. */
export const checkpointSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...checkpointBase,
    type: z.literal('first_send'),
    family: choice(CHANNEL_FAMILIES).optional(),
    list: name.optional(),
    channel: name.optional(),
  }),
  z.strictObject({
    ...checkpointBase,
    type: z.literal('citizen_replies'),
    count: countOf(1, 10_000),
  }),
  z.strictObject({ ...checkpointBase, type: z.literal('partner_relay_requested'), partner: name }),
  z.strictObject({ ...checkpointBase, type: z.literal('journal_entry') }),
])

export const scenarioSchema = z.strictObject(
  {
    schemaVersion: z.literal(SCENARIO_SCHEMA_VERSION, { error: 'schema_version' }),
    id,
    title: text(200),
    description: text(4000),
    author: text(200).optional(),
    language: choice(['it', 'en']).default('it'),
    /** What T+0:00 stands for: `now` (the moment the drill starts) or a fixed ISO date-time. */
    start: startTime.default('now'),
    events: z.array(scenarioEventSchema, { error: 'wrong_type' }).min(1, { error: 'empty' }),
    checkpoints: z.array(checkpointSchema, { error: 'wrong_type' }).default([]),
    /** Voice channels: how the people called answer (the simulated twins draw from it). */
    chiamate: callsShape.optional(),
  },
  { error: 'wrong_type' },
)

export type Scenario = z.output<typeof scenarioSchema>
export type ScenarioEvent = z.output<typeof scenarioEventSchema>
export type InjectedEvent = z.output<typeof injectedEventSchema>
export type Checkpoint = z.output<typeof checkpointSchema>

/** An event of one type, scheduled (with `at`) or injected by hand: what handlers receive. */
export type EventBody<T extends ScenarioEventType = ScenarioEventType> = Extract<
  InjectedEvent,
  { type: T }
>
export type BulletinEvent = EventBody<'bulletin'>
export type OrdinanceEvent = EventBody<'ordinance'>
export type CitizenMessagesEvent = EventBody<'citizen_messages'>
export type PartnerRelayEvent = EventBody<'partner_relay'>
export type ChannelFaultEvent = EventBody<'channel_fault'>
export type NoteEvent = EventBody<'note'>
