/**
 * CAP 1.2 date-times: `YYYY-MM-DDThh:mm:ss±hh:mm`, no fractions and never `Z`
 * (the schema's pattern refuses both). Written in Italian local time with its
 * offset, as Italian bulletins are read.
 */

const TIME_ZONE = 'Europe/Rome'

const formatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
})

/** The instant as a CAP date-time, or undefined when the input is not a date. */
export function toCapDateTime(value: string | number | Date): string | undefined {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return undefined
  const parts = Object.fromEntries(formatter.formatToParts(date).map((p) => [p.type, p.value]))
  // longOffset reads "GMT+01:00", or just "GMT" at offset zero.
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00'
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`
}
