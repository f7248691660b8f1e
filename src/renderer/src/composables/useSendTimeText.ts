import { useI18n } from 'vue-i18n'
import { spokenDuration, type SendTimeEstimate } from '@shared/alerts/send-time'
import type { ChannelFamily } from '@shared/channels/kinds'

/** Words for send times: "e-mail: 5.003 a 5/s ≈ 17 min", "≈ 1 h 23 min", "mancano ≈ 4 min". */
export function useSendTimeText() {
  const { t, locale } = useI18n()
  // Grouped from the thousands, as people write counts: 5.003, not 5003.
  const count = (n: number) =>
    new Intl.NumberFormat(locale.value, {
      useGrouping: 'always',
    } as unknown as Intl.NumberFormatOptions).format(n)
  const rate = (n: number) =>
    new Intl.NumberFormat(locale.value, { maximumFractionDigits: 1 }).format(n)
  const duration = (seconds: number) => {
    const d = spokenDuration(seconds)
    if (d.unit === 'under_minute') return t('sendTime.duration.under_minute')
    if (d.unit === 'minutes') return t('sendTime.duration.minutes', { minutes: d.minutes })
    return t('sendTime.duration.hours', { hours: d.hours, minutes: d.minutes })
  }
  const channel = (family: ChannelFamily | null) => (family ? t(`sendTime.family.${family}`) : '')
  const estimate = (family: ChannelFamily | null, e: SendTimeEstimate) =>
    e.bound === 'concurrency'
      ? t('sendTime.estimateCalls', {
          channel: channel(family),
          n: count(e.rows),
          slots: count(e.concurrency),
          duration: duration(e.seconds),
        })
      : t('sendTime.estimate', {
          channel: channel(family),
          n: count(e.rows),
          rate: rate(e.ratePerSecond),
          duration: duration(e.seconds),
        })
  return { count, rate, duration, channel, estimate }
}
