import type { Role } from '@shared/contacts'

const languageNames = new Map<string, Intl.DisplayNames>()

/** A language code as a name in the interface's language (`es` → "spagnolo"). */
export function languageName(code: string, locale: string): string {
  let names = languageNames.get(locale)
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'language', fallback: 'code' })
    languageNames.set(locale, names)
  }
  return names.of(code) ?? code
}

/** A role as the reader says it: the Italian name is the key, English has its own label. */
export function roleLabel(role: Pick<Role, 'name' | 'labelEn'>, locale: string): string {
  return locale === 'en' && role.labelEn ? role.labelEn : role.name
}
