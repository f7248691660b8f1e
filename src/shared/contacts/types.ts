import type { ChannelFamily } from '../channels/kinds'
import type { PhoneType } from './phone'
import type { ListFilter } from './schemas'

/** The channel families that reach a person directly (not a page we own). */
export type ContactFamily = Extract<
  ChannelFamily,
  'sms' | 'email' | 'telegram' | 'voice' | 'whatsapp'
>
export const CONTACT_FAMILIES: readonly ContactFamily[] = [
  'sms',
  'email',
  'telegram',
  'voice',
  'whatsapp',
]

/** What an opt-out covers: one family, or every channel. */
export const OPT_OUT_SCOPES = ['sms', 'email', 'telegram', 'all'] as const
export type OptOutScope = (typeof OPT_OUT_SCOPES)[number]

export interface ContactPhone {
  e164: string
  type: PhoneType
  /** The number as it was written when it was first recorded. */
  original: string
}

/** One consent event: the legal basis for messaging a person. History is never deleted. */
export interface Consent {
  id: number
  source: string
  /** The day consent was given (`YYYY-MM-DD`), when known. */
  givenOn: string | null
  recordedAt: string
}

/** One opt-out event. It stays active until lifted by an explicit new consent; history is kept. */
export interface OptOut {
  id: number
  scope: OptOutScope
  /** The day the person opted out (`YYYY-MM-DD`). */
  on: string
  /** The channel the request came from (a channel account name, "sportello", "telefono"…). */
  channel: string | null
  reason: string | null
  recordedAt: string
  liftedAt: string | null
  liftedReason: string | null
}

export interface Contact {
  id: number
  name: string
  phones: ContactPhone[]
  email: string | null
  /** Telegram username without `@`. */
  telegram: string | null
  comuneId: number | null
  comuneName: string | null
  /** Role names from the configurable vocabulary. */
  roles: string[]
  /** School or institution. */
  institution: string | null
  /** ISO 639-1 code of the preferred language. */
  language: string
  tags: string[]
  notes: string | null
  /**
   * The day the person said yes to alerts on WhatsApp (`YYYY-MM-DD`). WhatsApp's
   * rules need that yes of its own: without it the person gets nothing there.
   */
  whatsappOptInOn: string | null
  /**
   * Better reached by a call than by an SMS (someone who does not read texts): when an
   * alert also calls, they get the call instead of the SMS.
   */
  prefersCall: boolean
  /** Newest first. */
  consents: Consent[]
  /** Newest first, lifted ones included. */
  optOuts: OptOut[]
  /** Scopes currently opted out of. */
  activeOptOuts: OptOutScope[]
  createdAt: string
  updatedAt: string
}

/** A row in search results: enough to show and pick, without the histories. */
export interface ContactSummary {
  id: number
  name: string
  phones: Pick<ContactPhone, 'e164' | 'type'>[]
  email: string | null
  telegram: string | null
  comuneName: string | null
  roles: string[]
  institution: string | null
  language: string
  activeOptOuts: OptOutScope[]
}

export interface SearchPage {
  items: ContactSummary[]
  /** Pass back to get the next page; null at the end. */
  nextCursor: string | null
}

/** How one field changed when contacts were merged. */
export interface FieldChange {
  field: string
  from: string | null
  to: string | null
}

/** A merge, described so the UI can show it: who went into whom, and why. */
export interface ContactMerge {
  /** The contact that remains. */
  intoContactId: number
  /** Contacts that were folded into it and no longer exist. */
  mergedContactIds: number[]
  /** The shared keys that made them the same person. */
  matchedBy: { field: 'phone' | 'email'; value: string }[]
  changes: FieldChange[]
}

export interface SaveContactResult {
  contact: Contact
  /** Set when the input matched existing contacts and was merged into them. */
  merge: ContactMerge | null
}

export interface Comune {
  id: number
  name: string
  /** ISTAT code (six digits), when known. */
  istatCode: string | null
  /** Province abbreviation (`FI`). */
  province: string | null
  /**
   * The regional alert zone(s) the comune lies in, as the DPC criticality bulletin names
   * them ("Valdarno Inf."): how every bulletin source knows a zone is ours.
   */
  alertZones: string[]
}

export interface Role {
  id: number
  /** Italian name, the key people write in files (`genitore`). */
  name: string
  labelEn: string | null
}

export type ListKind = 'static' | 'dynamic'

export interface ContactList {
  id: number
  name: string
  kind: ListKind
  description: string | null
  /** The saved filter of a dynamic list; null for a static one. */
  filter: ListFilter | null
  /** Its members are reached only by phone calls through it (no SMS, e-mail…). */
  callsOnly: boolean
  createdAt: string
  updatedAt: string
}

/** How many addresses a list reaches per family, after opt-outs and duplicates. */
export interface ListReach {
  members: number
  sms: number
  email: number
  telegram: number
  /** People with a number that rings (one call each, landline or mobile). */
  voice: number
  /** Mobiles of people who said yes to WhatsApp. */
  whatsapp: number
}

export interface Recipient {
  contactId: number
  name: string
  /** E.164 number, e-mail address or Telegram username. */
  address: string
  language: string
}

/**
 * Why someone on a list gets nothing on a family: a landline (or another
 * number that takes no SMS), an opt-out, no address for that family, or a
 * duplicate (the same person or address already reached through another list).
 */
export type SkipReason =
  | 'landline'
  | 'not_mobile'
  | 'opted_out'
  | 'no_address'
  | 'duplicate'
  /** WhatsApp: the person never said yes to receiving it there. */
  | 'no_whatsapp_consent'
  /** SMS: the person prefers a call, and the alert calls them. */
  | 'prefers_call'
  /** Reached through a list for calls only, and this is not a call. */
  | 'calls_only'

export interface SkippedRecipient {
  contactId: number
  name: string
  reason: SkipReason
  /** The address skipped (a landline number, a duplicate address), when there is one. */
  address: string | null
}

export interface ResolvedRecipients {
  family: ContactFamily
  recipients: Recipient[]
  skipped: SkippedRecipient[]
}

export const RELAY_MODES = ['message_admins', 'direct_post'] as const
export type RelayMode = (typeof RELAY_MODES)[number]

export const PARTNER_PAGE_KINDS = [
  'facebook',
  'instagram',
  'website',
  'telegram',
  'x',
  'youtube',
  'other',
] as const
export type PartnerPageKind = (typeof PARTNER_PAGE_KINDS)[number]

export interface PartnerPage {
  id: number
  kind: PartnerPageKind
  url: string
  /** The channel account holding the page token they granted, for direct posts. */
  channelAccountId: number | null
}

export interface PartnerAdmin {
  contactId: number
  name: string
  email: string | null
  phones: string[]
  telegram: string | null
}

export interface Partner {
  id: number
  name: string
  relayMode: RelayMode
  notes: string | null
  pages: PartnerPage[]
  admins: PartnerAdmin[]
  createdAt: string
  updatedAt: string
}
