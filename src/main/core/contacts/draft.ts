import type { NewOptOut, NewPhone } from './contacts-repository'

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
  consent: { source: string; givenOn: string | null } | null
  optOuts: NewOptOut[]
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
