import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@shared/contract'
import type { FieldIssue } from '@shared/validation/issues'

/**
 * A form's problems as the core reported them: field-level issues by path
 * (translated with the shared validation catalogue), or one failure sentence
 * when the error is not about a field (a conflict, a lost connection).
 */
export function useFormIssues() {
  const { t } = useI18n()
  const issues = ref<FieldIssue[]>([])
  const failure = ref('')

  /** The first issue on any of these paths (the boundary and the core may name a field differently). */
  const issueFor = (...paths: string[]) => issues.value.find((i) => paths.includes(i.path))
  const message = (issue: FieldIssue | undefined) =>
    issue ? t(`validation.${issue.code}`, issue.params ?? {}) : ''
  const errorOf = (...paths: string[]) => message(issueFor(...paths))

  function clear() {
    issues.value = []
    failure.value = ''
  }
  /** Files an error from the api: issues go to their fields, anything else becomes `failure`. */
  function take(err: unknown, failureText: (message: string) => string) {
    if (err instanceof ApiError && err.issues.length) issues.value = err.issues
    else failure.value = failureText(err instanceof Error ? err.message : String(err))
  }

  return { issues, failure, issueFor, message, errorOf, clear, take }
}
