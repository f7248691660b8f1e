import { formatDuration, formatScenarioTime } from '@shared/drills/time'
import { describeScenarioIssue, type ScenarioIssue } from '@shared/drills/issues'
import type { CheckpointResult } from '@shared/drills/checkpoints'
import type { FieldIssue } from '@shared/validation/issues'
import { formatRomeShort } from '@shared/time'

/** `T+1:05`, or a dash for nothing. */
export const scenarioTime = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : formatScenarioTime(ms)

export const duration = (ms: number): string => formatDuration(ms)

/** How early or late a checkpoint was done, in words from the catalogue. */
export function margin(
  c: Pick<CheckpointResult, 'marginMs'>,
  t: (key: string, values: Record<string, unknown>) => string,
): string {
  if (c.marginMs === undefined) return ''
  return c.marginMs >= 0
    ? t('drills.early', { d: formatDuration(c.marginMs) })
    : t('drills.lateBy', { d: formatDuration(-c.marginMs) })
}

/** A scenario issue for the trainer, in the UI's language. */
export const issueText = (issue: ScenarioIssue, locale: string): string =>
  (issue.line > 0 ? `riga ${issue.line}: ` : '') +
  describeScenarioIssue(issue, locale === 'en' ? 'en' : 'it')

/** An injected event's field issue, worded by the scenario catalogue when it carries its code. */
export function injectIssueText(issue: FieldIssue, locale: string): string {
  const code = issue.params?.scenarioIssue
  if (typeof code !== 'string') return `${issue.path}: ${issue.code}`
  const { scenarioIssue: _code, ...params } = issue.params ?? {}
  return describeScenarioIssue(
    { path: issue.path, code: code as ScenarioIssue['code'], params },
    locale === 'en' ? 'en' : 'it',
  )
}

/** A creation date as the room reads it: Italian time, as in the drill's report. */
export const dateTime = (iso: string, locale: string): string =>
  formatRomeShort(iso, locale === 'en' ? 'en' : 'it') ?? iso
