/**
 * CAP 1.2 date-times: `YYYY-MM-DDThh:mm:ss±hh:mm`, no fractions and never `Z`
 * (the schema's pattern refuses both). Written in Italian local time with its
 * offset, as Italian bulletins are read.
 */

import { toRomeIso } from '../../../../../shared/time'

/** The instant as a CAP date-time, or undefined when the input is not a date. */
export function toCapDateTime(value: string | number | Date): string | undefined {
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return undefined
  return toRomeIso(date)
}
