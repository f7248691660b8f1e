import { createI18n } from 'vue-i18n'
import it from './it'
import en from './en'

export type Locale = 'it' | 'en'
const STORAGE_KEY = 'vedetta.locale'

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'it' ? saved : 'it'
}

/** Italian first, English available; the choice is remembered per machine. */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'it',
  messages: { it, en },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}
