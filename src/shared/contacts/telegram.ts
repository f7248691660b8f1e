/** Telegram's rule for public usernames: 5–32 characters, letters, digits and underscores. */
const USERNAME = /^[a-z][a-z0-9_]{3,30}[a-z0-9]$/i

/** A numeric chat id, as a bot learns it when the person writes to it first (negative for groups). */
const CHAT_ID = /^-?\d{5,16}$/

/**
 * Reads a Telegram handle as people write it (`@mario_rossi`, `mario_rossi`,
 * `https://t.me/mario_rossi`) and returns it without `@`, or a numeric chat id
 * as it is, or null when it is neither. A bot can message a person only by chat
 * id (once they have written to it); usernames reach public channels and groups.
 */
export function normalizeTelegram(text: string): string | null {
  if (CHAT_ID.test(text.trim())) return text.trim()
  const handle = text
    .trim()
    .replace(/^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me)\//i, '')
    .replace(/^@/, '')
  return USERNAME.test(handle) ? handle : null
}
