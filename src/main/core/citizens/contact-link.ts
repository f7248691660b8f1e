import { createContactsRepository } from '../contacts/contacts-repository'
import type { Db } from '../db/open'

/**
 * Recognises a citizen who is already in the address book: an SMS from a
 * stored number or an e-mail from a stored address links to that contact, so
 * the panel can show who wrote (and the operator knows it is a school, a mayor…).
 */
export function createContactLinker(db: Db) {
  const contacts = createContactsRepository(db)
  return (family: string, handle: string | null): number | null => {
    if (!handle) return null
    if (family === 'sms' && handle.startsWith('+')) return contacts.idByPhone(handle) ?? null
    if (family === 'email') return contacts.idByEmail(handle.toLowerCase()) ?? null
    return null
  }
}
