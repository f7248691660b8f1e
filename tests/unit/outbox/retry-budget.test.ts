import { describe, expect, it } from 'vitest'
import { CHANNEL_KINDS } from '../../../src/shared/channels/kinds'
import { defaultSettings, settingsSchema } from '../../../src/shared/channels/settings-schema'
import { retryBudgetFromSettings } from '../../../src/main/core/outbox/retry-budget'
import { retryDeadline } from '../../../src/main/core/outbox/outcome'

describe('retry budget per account', () => {
  it('is a setting of every kind, 6 hours for a new account, typed in hours in the form', () => {
    for (const kind of CHANNEL_KINDS) {
      expect(defaultSettings(kind).retryBudgetHours).toBe(6)
      const parsed = settingsSchema(kind).safeParse({
        ...defaultSettings(kind),
        retryBudgetHours: '12',
      })
      // Other required settings may be missing: only this field's verdict matters here.
      const issue = parsed.success
        ? undefined
        : parsed.error.issues.find((i) => i.path[0] === 'retryBudgetHours')
      expect(issue).toBeUndefined()
      const tooLong = settingsSchema(kind).safeParse({ retryBudgetHours: 500 })
      expect(tooLong.success ? [] : tooLong.error.issues.map((i) => i.path[0])).toContain(
        'retryBudgetHours',
      )
    }
  })

  it('turns the hours into the time a message keeps being retried, never less than the alert is valid', () => {
    const created = Date.parse('2026-12-03T02:00:00Z')
    const budget = retryBudgetFromSettings({ retryBudgetHours: 12 })
    expect(budget).toBe(12 * 3_600_000)
    const validTo = created + 30 * 60_000
    expect(retryDeadline(created, validTo, budget!)).toBe(created + 12 * 3_600_000)
    expect(retryDeadline(created, created + 48 * 3_600_000, budget!)).toBe(created + 48 * 3_600_000)
    // Not set, or nonsense: the default applies.
    expect(retryBudgetFromSettings({})).toBeUndefined()
    expect(retryBudgetFromSettings({ retryBudgetHours: -3 })).toBeUndefined()
  })
})
