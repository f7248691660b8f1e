import { z } from 'zod'
import { command, shaped, shapedList } from './define'

/**
 * The on-call roster (Configurazione → Reperibilità) and the escalations that
 * page it: who is on call now, in Rome's time; who was paged, who took it.
 */

const id = z.number({ error: 'invalid' }).int({ error: 'invalid' }).positive({ error: 'invalid' })
/** A whole number in a range, the range told to the form. */
const between = (min: number, max: number) =>
  z
    .number({ error: 'number' })
    .int({ error: 'number' })
    .refine((n) => n >= min && n <= max, { error: 'range', params: { min, max } })

/** Trimmed text of at most `max` characters, the limit told to the form. */
const short = (max: number) =>
  z
    .string()
    .trim()
    .refine((s) => s.length <= max, { error: 'too_long', params: { max } })

/** `HH:MM` on Rome's wall clock. */
const wallTime = z
  .string({ error: 'required' })
  .trim()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'invalid' })

/** `YYYY-MM-DD`, a calendar day in Rome. */
const day = z
  .string({ error: 'required' })
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'invalid' })

const optionalText = (max: number) =>
  short(max)
    .nullable()
    .default(null)
    .transform((s) => (s === '' ? null : s))

/** A person on the roster: a contact, with the numbers the room reaches them on when on call. */
export interface OncallPerson {
  id: number
  /** Null when the contact was deleted since (the person stays, with what the roster knew). */
  contactId: number | null
  name: string
  /** E.164. */
  phone: string | null
  /** The numeric id of the person's private chat with the room's bot. */
  telegramChatId: string | null
  email: string | null
}

/** A weekly shift: from `starts` on `weekday` to `ends` (the next day when not later than `starts`). */
export interface OncallShift {
  id: number
  label: string
  /** 1 = Monday … 7 = Sunday. */
  weekday: number
  starts: string
  ends: string
  /** Person ids in the order they are paged: first on call, second, coordinator. */
  chain: number[]
}

/** From `from` to `to` (days in Rome, both included) `replacementId` stands in for `personId`. */
export interface OncallException {
  id: number
  from: string
  to: string
  personId: number
  replacementId: number
  note: string
}

export const ONCALL_LEVELS = ['giallo', 'arancione', 'rosso'] as const

export const OncallSettings = z.strictObject({
  /** The Telegram account whose bot pages people (the room's bot). */
  telegramAccountId: id.nullable(),
  /** The SMS account pages also go through. */
  smsAccountId: id.nullable(),
  /** The voice account each page also rings the person through (none: no call). */
  voiceAccountId: id.nullable(),
  /** Minutes without an answer before the next in the chain is paged. */
  escalateAfterMinutes: between(1, 120),
  /** Times the whole chain is gone through before the escalation is left unanswered. */
  rounds: between(1, 10),
  triggers: z.strictObject({
    /** A new or upgraded bulletin for our comuni, at this level or above. */
    bulletins: z.boolean(),
    minLevel: z.enum(ONCALL_LEVELS, { error: 'choice' }),
    /** The room's machinery in trouble (dispatcher stalled, a loop failing), as Stato shows it. */
    health: z.boolean(),
    /** A channel account whose sends or connection check keep failing. */
    channels: z.boolean(),
    /** Minutes a health problem or a failing channel lasts before it pages (a blip does not). */
    graceMinutes: between(0, 120),
    /**
     * A citizen's message with words of distress, outside staffed hours or when nobody
     * has used the room for `idleMinutes`: someone may need help and no one is reading.
     */
    distress: z.boolean(),
    /**
     * What counts as distress: words or word beginnings ("allagat" is allagato, allagata…),
     * or short phrases ("anziano solo"); case and accents do not matter.
     */
    distressWords: z
      .array(short(40).refine((w) => w.length >= 3, { error: 'invalid' }))
      .refine((a) => a.length >= 1, { error: 'required' })
      .refine((a) => a.length <= 60, { error: 'too_long', params: { max: 60 } }),
    /** Minutes without anyone using the room after which it counts as unattended. */
    idleMinutes: between(1, 240),
    /** A partner asked to relay a red alert that has not done so after `relayMinutes`. */
    relays: z.boolean(),
    relayMinutes: between(5, 240),
  }),
  /**
   * Outside staffed hours a citizen who writes privately (SMS, e-mail, a private Telegram
   * chat) gets one automatic answer per period: from the end of one staffed stretch to the
   * start of the next. Staffed hours repeat weekly, on Rome's wall clock.
   */
  /**
   * Approving a draft from the phone («APPROVA <n> <PIN>»): the draft «Apri bozza» starts
   * from a bulletin goes to these channel accounts and lists (none: the phone cannot send),
   * and one person's approval may send at most `maxRecipients` messages; above that, and for
   * every red alert, a second person of the chain must approve too.
   */
  phone: z.strictObject({
    accountIds: z
      .array(id)
      .refine((a) => a.length <= 20, { error: 'too_long', params: { max: 20 } })
      .refine((a) => new Set(a).size === a.length, { error: 'duplicate' }),
    listIds: z
      .array(id)
      .refine((a) => a.length <= 50, { error: 'too_long', params: { max: 50 } })
      .refine((a) => new Set(a).size === a.length, { error: 'duplicate' }),
    maxRecipients: between(1, 1_000_000),
  }),
  afterHours: z.strictObject({
    enabled: z.boolean(),
    text: z
      .string({ error: 'required' })
      .trim()
      .min(1, { error: 'required' })
      .refine((s) => s.length <= 480, { error: 'too_long', params: { max: 480 } }),
    staffed: z
      .array(
        z.strictObject({
          weekday: z.number().int({ error: 'choice' }).min(1, { error: 'choice' }).max(7, {
            error: 'choice',
          }),
          starts: wallTime,
          ends: wallTime,
        }),
      )
      .refine((a) => a.length <= 21, { error: 'too_long', params: { max: 21 } }),
  }),
})
export type OncallSettings = z.infer<typeof OncallSettings>

/** Words of people in danger in a flood, as they write them (a start of a word is enough). */
export const DEFAULT_DISTRESS_WORDS: string[] = [
  'aiuto',
  'aiutateci',
  'soccors',
  'sos',
  'allagat',
  'acqua in casa',
  'bloccat',
  'intrappolat',
  'isolat',
  'ferit',
  'anziano solo',
  'anziana sola',
  'non riesco a uscire',
  'crollat',
  'disperso',
  'dispersa',
]

export const DEFAULT_ONCALL_SETTINGS: OncallSettings = {
  telegramAccountId: null,
  smsAccountId: null,
  voiceAccountId: null,
  escalateAfterMinutes: 10,
  rounds: 3,
  triggers: {
    bulletins: true,
    minLevel: 'giallo',
    health: true,
    channels: true,
    graceMinutes: 3,
    distress: true,
    distressWords: DEFAULT_DISTRESS_WORDS,
    idleMinutes: 15,
    relays: true,
    relayMinutes: 30,
  },
  phone: { accountIds: [], listIds: [], maxRecipients: 500 },
  afterHours: {
    enabled: false,
    text: 'Questo canale non è presidiato 24 ore su 24: per emergenze chiama il 112.',
    staffed: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, starts: '08:00', ends: '18:00' })),
  },
}

export interface OncallRoster {
  people: OncallPerson[]
  shifts: OncallShift[]
  exceptions: OncallException[]
  settings: OncallSettings
}

/** One step of the chain as it stands at an instant (exceptions applied). */
export interface OnCallStep {
  position: number
  personId: number
  name: string
  /** The person of the shift this one stands in for, when an exception applies. */
  replaces: { personId: number; name: string } | null
}

/** Who is on call at an instant. */
export interface OnCallNow {
  at: string
  shift: OncallShift | null
  /** When the shift began and ends (instants). */
  from: string | null
  until: string | null
  chain: OnCallStep[]
}

export type EscalationState = 'open' | 'acknowledged' | 'dismissed' | 'unanswered' | 'unstaffed'
export type EscalationTriggerKind = 'bulletin' | 'health' | 'channel' | 'distress' | 'relay'

export interface EscalationPageView {
  at: string
  round: number
  step: number
  personId: number
  name: string
  channel: 'telegram' | 'sms' | 'voice'
  /** `uncertain`: a call whose request left with no answer back (it is never placed again). */
  outcome: 'sent' | 'failed' | 'simulated' | 'uncertain'
  error: string | null
  /** A call, once the provider says: a person answered or not (answering is not taking charge). */
  call?: 'answered' | 'not_answered'
}

export interface EscalationView {
  id: number
  trigger: { kind: EscalationTriggerKind; params: Record<string, string | number | null> }
  /** What the page said first, in Italian as the phone showed it. */
  title: string
  state: EscalationState
  startedAt: string
  /** When the next in the chain is paged, while open. */
  nextAt: string | null
  closedAt: string | null
  /** Who took it or set it aside: a person's name, or the operator in the room. */
  closedBy: string | null
  closedVia: 'telegram' | 'room' | null
  round: number
  step: number
  chain: { personId: number; name: string }[]
  pages: EscalationPageView[]
}

export const OncallPersonInput = z.strictObject({
  id: id.optional(),
  contactId: id,
  phone: optionalText(40),
  telegramChatId: z
    .string()
    .trim()
    .regex(/^([1-9]\d{4,15})?$/, { error: 'invalid' })
    .nullable()
    .default(null)
    .transform((s) => (s === '' ? null : s)),
  email: optionalText(320),
})
export type OncallPersonInput = z.input<typeof OncallPersonInput>

export const OncallShiftInput = z.strictObject({
  id: id.optional(),
  label: short(60).default(''),
  weekday: z.number().int({ error: 'choice' }).min(1, { error: 'choice' }).max(7, {
    error: 'choice',
  }),
  starts: wallTime,
  ends: wallTime,
  chain: z
    .array(id)
    .min(1, { error: 'required' })
    .refine((ids) => ids.length <= 6, { error: 'too_long', params: { max: 6 } })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'duplicate' }),
})
export type OncallShiftInput = z.input<typeof OncallShiftInput>

export const OncallExceptionInput = z
  .strictObject({
    id: id.optional(),
    from: day,
    to: day,
    personId: id,
    replacementId: id,
    note: short(300).default(''),
  })
  .refine((e) => e.from <= e.to, { error: 'range', path: ['to'] })
  .refine((e) => e.personId !== e.replacementId, { error: 'duplicate', path: ['replacementId'] })
export type OncallExceptionInput = z.input<typeof OncallExceptionInput>

/**
 * A person's personal PIN for decisions from the phone (4 to 8 digits): write-only, the
 * room never reads it back; setting one clears a lock.
 */
export const OncallPinInput = z.strictObject({
  personId: id,
  pin: z
    .string({ error: 'required' })
    .trim()
    .regex(/^\d{4,8}$/, { error: 'invalid' }),
})
export type OncallPinInput = z.input<typeof OncallPinInput>

/** Whether a person has a PIN, and whether wrong tries locked it. */
export interface OncallPinStatus {
  personId: number
  set: boolean
  locked: boolean
}

/** Outputs are typed by the interfaces above and checked here by the fields the screens read. */
const maybeText = z.string().nullable()
const personShape = {
  id,
  contactId: id.nullable(),
  name: z.string(),
  phone: maybeText,
  telegramChatId: maybeText,
  email: maybeText,
}
const shiftShape = {
  id,
  label: z.string(),
  weekday: z.number().int().min(1).max(7),
  starts: z.string(),
  ends: z.string(),
  chain: z.array(id),
}
const exceptionShape = {
  id,
  from: z.string(),
  to: z.string(),
  personId: id,
  replacementId: id,
  note: z.string(),
}
const pinShape = { personId: id, set: z.boolean(), locked: z.boolean() }
const EscalationOut = shaped<EscalationView>({
  id,
  trigger: z.looseObject({ kind: z.string(), params: z.record(z.string(), z.unknown()) }),
  title: z.string(),
  state: z.enum(['open', 'acknowledged', 'dismissed', 'unanswered', 'unstaffed']),
  startedAt: z.string(),
  closedBy: maybeText,
  round: z.number().int(),
  step: z.number().int(),
  chain: z.array(z.looseObject({ personId: id, name: z.string() })),
  pages: z.array(z.looseObject({ at: z.string(), personId: id })),
})

export const oncallCommands = {
  /** People, shifts, exceptions and settings, as configured. */
  'oncall:roster': command(
    z.strictObject({}),
    shaped<OncallRoster>({
      people: z.array(z.looseObject(personShape)),
      shifts: z.array(z.looseObject(shiftShape)),
      exceptions: z.array(z.looseObject(exceptionShape)),
      settings: z.looseObject({ escalateAfterMinutes: z.number(), rounds: z.number() }),
    }),
  ),
  'oncall:savePerson': command(OncallPersonInput, shaped<OncallPerson>(personShape)),
  /** Refused (conflict) while the person is in a chain or an exception. */
  'oncall:deletePerson': command(z.strictObject({ id }), z.object({ id })),
  /** Sets (or replaces) a person's PIN; the answer never carries it. */
  'oncall:setPin': command(OncallPinInput, shaped<OncallPinStatus>(pinShape)),
  /** Which people have a PIN, and which are locked. */
  'oncall:pins': command(z.strictObject({}), shapedList<OncallPinStatus>(pinShape)),
  'oncall:saveShift': command(OncallShiftInput, shaped<OncallShift>(shiftShape)),
  'oncall:deleteShift': command(z.strictObject({ id }), z.object({ id })),
  'oncall:saveException': command(OncallExceptionInput, shaped<OncallException>(exceptionShape)),
  'oncall:deleteException': command(z.strictObject({ id }), z.object({ id })),
  'oncall:updateSettings': command(OncallSettings.partial(), OncallSettings),
  /** Who is on call at `at` (an ISO instant; now when absent), computed in Europe/Rome. */
  'oncall:now': command(
    z.strictObject({ at: z.iso.datetime({ offset: true }).optional() }),
    shaped<OnCallNow>({
      at: z.string(),
      shift: z.looseObject(shiftShape).nullable(),
      from: maybeText,
      until: maybeText,
      chain: z.array(z.looseObject({ position: z.number().int(), personId: id, name: z.string() })),
    }),
  ),
  /** Escalations, newest first. */
  'oncall:escalations': command(
    z.strictObject({ limit: z.number().int().min(1).max(200).default(20) }),
    z.array(EscalationOut),
  ),
  /** The room takes charge: paging stops and those paged are told. */
  'oncall:acknowledge': command(z.strictObject({ id }), EscalationOut),
  /**
   * Someone is using the room (the page sends it on typing, clicks and taps, at most once
   * a minute): a distress message then waits for them instead of paging.
   */
  'oncall:present': command(z.strictObject({}), z.object({ at: z.string() })),
}

export const oncallEvents = {
  /** The roster or its settings changed: who is on call may have changed too. */
  'oncall:changed': z.object({ what: z.enum(['roster', 'settings']) }),
  /** An escalation began, paged someone, was taken or closed. */
  'oncall:escalation': EscalationOut,
}
