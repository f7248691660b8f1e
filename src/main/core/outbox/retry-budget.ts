/**
 * The retry budget an account's settings ask for (`retryBudgetHours`, see
 * RETRY_BUDGET_FIELD), in milliseconds; undefined means the default (6 hours).
 * A message is retried at least this long, or until its alert's validity ends.
 */
export function retryBudgetFromSettings(settings: Record<string, unknown>): number | undefined {
  const hours = settings.retryBudgetHours
  return typeof hours === 'number' && Number.isFinite(hours) && hours > 0
    ? hours * 3_600_000
    : undefined
}
