import { useI18n } from 'vue-i18n'
import type { CheckParams } from '@shared/channels/check-results'

export interface StoredCheck {
  ok: boolean | null
  message: string | null
  code: string | null | undefined
  params: CheckParams | null | undefined
}

/**
 * A connection check's result in the operator's language. The core writes an Italian
 * sentence with every detail, shown as it is on Italian screens; in another language the
 * check's code and parameters are worded instead, with the provider's own words quoted
 * (they are evidence for ICT, not ours to translate), so no Italian sentence reaches an
 * English screen. A check stored before codes existed keeps its sentence.
 */
export function useCheckText() {
  const { t, te, locale } = useI18n()
  return (check: StoredCheck): string => {
    const message = check.message ?? ''
    if (!check.code) return message
    if (locale.value === 'it' && message) return message
    const params: Record<string, string | number> = {
      provider: '',
      ...(check.params ?? {}),
      code: check.code,
    }
    const group = check.ok ? 'passed' : 'failed'
    const variant = `channelChecks.${group}.${check.code}_${String(params.service ?? '')}`
    const exact = `channelChecks.${group}.${check.code}`
    const key = te(variant)
      ? variant
      : te(exact)
        ? exact
        : check.ok
          ? null
          : 'channelChecks.failed.other'
    if (key === null) return message
    const text = t(key, params)
    const said = params.providerText
    return !check.ok && typeof said === 'string' && said !== ''
      ? t('channelChecks.providerSaid', { text, provider: params.provider, said })
      : text
  }
}
