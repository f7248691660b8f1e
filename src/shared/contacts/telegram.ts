/** Telegram's rule for public usernames: 5–32 characters, letters, digits and underscores. */
const USERNAME = /^[a-z][a-z0-9_]{3,30}[a-z0-9]$/i

/**
 * Reads a Telegram handle as people write it (`@mario_rossi`, `mario_rossi`,
 * `https://t.me/mario_rossi`) and returns it without `@`, or null when it is not one.
 */
export function normalizeTelegram(text: string): string | null {
  const handle = text
    .trim()
    .replace(/^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me)\//i, '')
    .replace(/^@/, '')
  return USERNAME.test(handle) ? handle : null
}
