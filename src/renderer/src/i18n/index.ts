import { createI18n } from 'vue-i18n'
import it from './it'
import en from './en'

export type Locale = 'it' | 'en'
const STORAGE_KEY = 'vedetta.locale'

/**
 * Each screen's domain brings its own messages in `domains/<name>.ts`
 * (`export default { it: { ns: {…} }, en: { ns: {…} } }`), merged here, so a
 * new screen adds one file instead of editing a shared catalogue.
 */
type DomainMessages = { it: Record<string, unknown>; en: Record<string, unknown> }
const domains = Object.values(
  import.meta.glob<{ default: DomainMessages }>('./domains/*.ts', { eager: true }),
).map((m) => m.default)

export const messages = {
  it: Object.assign({}, it, ...domains.map((d) => d.it)) as typeof it,
  en: Object.assign({}, en, ...domains.map((d) => d.en)) as typeof it,
}

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'it' ? saved : 'it'
}

/** Italian first, English available; the choice is remembered per machine. */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'it',
  messages,
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  localStorage.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale
}
