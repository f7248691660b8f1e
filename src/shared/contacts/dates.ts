/**
 * Reads a calendar day as Italian offices write it (`31/01/2024`, `31-1-24`,
 * `31.01.2024`) or as ISO (`2024-01-31`, also with a time) and returns
 * `YYYY-MM-DD`, or null when it is not a real day.
 */
export function parseDay(text: string): string | null {
  const s = text.trim()
  let year: number
  let month: number
  let day: number
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s)
  const italian = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(s)
  if (iso) {
    ;[year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  } else if (italian) {
    ;[day, month, year] = [Number(italian[1]), Number(italian[2]), Number(italian[3])]
    // Two-digit years in a contact list are this century (consents are recent).
    if (italian[3]?.length === 2) year += 2000
  } else {
    return null
  }
  const date = new Date(Date.UTC(year, month - 1, day))
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return null
  }
  return date.toISOString().slice(0, 10)
}
