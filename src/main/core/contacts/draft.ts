import type { ContactFields, NewOptOut, NewPhone } from './contacts-repository'

/**
 * A contact as the user or a file described it, normalized (E.164 numbers,
 * lower-case e-mail, resolved comune and role ids) and not yet saved.
 * `null` means "not given": saving over an existing contact keeps its value.
 */
export interface ContactDraft {
  name: string
  phones: NewPhone[]
  email: string | null
  telegram: string | null
  comuneId: number | null
  roleIds: number[]
  institution: string | null
  language: string | null
  tags: string[]
  notes: string | null
  /** The day the person said yes to WhatsApp; null: not said here. */
  whatsappOptInOn: string | null
  /** The person took back their yes to WhatsApp ("no" in an import, unticked on the form). */
  whatsappWithdrawn: boolean
  /** A call rather than an SMS: true, false (said no), or null (not said here). */
  prefersCall: boolean | null
  consent: { source: string; givenOn: string | null } | null
  optOuts: NewOptOut[]
}

/**
 * What saving `draft` over a contact does to one field, by the overlay rule:
 * a given value wins, a missing one keeps what is there. Two exceptions for
 * WhatsApp's yes: a withdrawal clears it, and an existing yes keeps its first
 * day (a nightly re-import saying "sì" again is not a new consent).
 * Returns `undefined` when the field stays as it is.
 */
export function overlayField<K extends keyof ContactFields>(
  draft: ContactDraft,
  field: K,
  current: ContactFields,
): ContactFields[K] | undefined {
  if (field === 'prefersCall') {
    // Stored as true or null (no preference): a said "no" clears it, a missing one keeps it.
    const wanted = draft.prefersCall === null ? undefined : draft.prefersCall ? true : null
    return (wanted === undefined || wanted === current.prefersCall ? undefined : wanted) as
      ContactFields[K] | undefined
  }
  if (field === 'whatsappOptInOn') {
    if (draft.whatsappWithdrawn)
      return (current.whatsappOptInOn === null ? undefined : null) as ContactFields[K] | undefined
    if (current.whatsappOptInOn !== null) return undefined
  }
  const given = draft[field] as ContactFields[K] | null
  return given === null || given === current[field] ? undefined : given
}

/** The keys that make two contacts the same person. */
export function draftKeys(
  draft: Pick<ContactDraft, 'phones' | 'email'>,
): { field: 'phone' | 'email'; value: string }[] {
  const keys: { field: 'phone' | 'email'; value: string }[] = draft.phones.map((p) => ({
    field: 'phone' as const,
    value: p.e164,
  }))
  if (draft.email) keys.push({ field: 'email', value: draft.email })
  return keys
}
