import { useI18n } from 'vue-i18n'
import type { FeedSource } from '@shared/feeds/types'

/**
 * A source's last error in the operator's language. The core writes it as an Italian
 * sentence with the details (the HTTP status, the file); in another language the UI says
 * what its stable code means instead, so no Italian sentence reaches an English screen.
 */
export function useFeedError() {
  const { t, te, locale } = useI18n()
  return (s: Pick<FeedSource, 'lastError' | 'lastErrorCode'>): string => {
    if (!s.lastError) return ''
    if (locale.value === 'it') return s.lastError
    const key = `feeds.errorCodes.${s.lastErrorCode ?? 'internal'}`
    return te(key) ? t(key) : t('feeds.errorCodes.internal')
  }
}
