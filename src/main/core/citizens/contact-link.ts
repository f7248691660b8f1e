import type { Db } from '../db/open'

/**
 * Recognises a citizen who is already in the address book: an SMS from a
 * stored number or an e-mail from a stored address links to that contact, so
 * the panel can show who wrote (and the operator knows it is a school, a mayor…).
 */
export function createContactLinker(db: Db) {
  const byPhone = db.prepare('SELECT contact_id FROM contact_phones WHERE e164 = ?').pluck()
  const byEmail = db.prepare('SELECT id FROM contacts WHERE email = ?').pluck()
  return (family: string, handle: string | null): number | null => {
    if (!handle) return null
    if (family === 'sms' && handle.startsWith('+'))
      return (byPhone.get(handle) as number | undefined) ?? null
    if (family === 'email') return (byEmail.get(handle.toLowerCase()) as number | undefined) ?? null
    return null
  }
}
