import { z } from 'zod'

const emailSchema = z.email()

/** Lower-cased, trimmed e-mail address, or null when it is not an address. */
export function normalizeEmail(text: string): string | null {
  const candidate = text
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase()
  return emailSchema.safeParse(candidate).success ? candidate : null
}
