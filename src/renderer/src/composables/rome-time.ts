import { useI18n } from 'vue-i18n'
import { ROME_TIME_ZONE } from '@shared/time'

const SHORT: Intl.DateTimeFormatOptions = {
  day: '2-digit',
  month: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
}

/**
 * Dates on screen in Italian time, like the texts that are sent and the times
 * the composer takes, whatever zone the computer is set to; words in the UI's
 * language. `when(iso)` is day, month and time; '—' for nothing.
 */
export function useRomeTime() {
  const { d } = useI18n()
  const when = (
    iso: string | null | undefined,
    options: Intl.DateTimeFormatOptions = SHORT,
  ): string => (iso ? d(new Date(iso), { ...options, timeZone: ROME_TIME_ZONE }) : '—')
  return { when }
}
