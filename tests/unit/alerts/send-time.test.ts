import { describe, expect, it } from 'vitest'
import { accountPace, sendTimeOf } from '../../../src/main/core/alerts/send-time'
import {
  estimateSendTime,
  exceedsSendLimit,
  observedRate,
  settingsPace,
  spokenDuration,
  timeLeft,
} from '../../../src/shared/alerts/send-time'

describe('how long an account takes to send an alert', () => {
  it('paces e-mail at the account’s rate: 5,003 at 5/s is about 17 minutes', () => {
    const e = sendTimeOf({ kind: 'email_smtp', settings: { ratePerSecond: 5 } }, 5003)
    expect(e).toMatchObject({ rows: 5003, ratePerSecond: 5, bound: 'rate' })
    // The measured send took 16 min 50 s (1,010 s).
    expect(e.seconds).toBeGreaterThan(990)
    expect(e.seconds).toBeLessThan(1010)
    expect(spokenDuration(e.seconds)).toEqual({ unit: 'minutes', minutes: 17 })
  })

  it('uses the kind’s default where the account set no rate (Twilio SMS: 1/s)', () => {
    const e = sendTimeOf({ kind: 'sms_twilio', settings: {} }, 5000)
    expect(e.ratePerSecond).toBe(1)
    expect(spokenDuration(e.seconds)).toEqual({ unit: 'hours', hours: 1, minutes: 23 })
    const fast = sendTimeOf({ kind: 'sms_twilio', settings: { ratePerSecond: '50' } }, 5002)
    expect(fast.seconds).toBe(100)
  })

  it('grows with the list and shrinks with the rate, in proportion', () => {
    const pace = accountPace({ kind: 'sms_gateway', settings: { ratePerSecond: 10 } })
    const small = estimateSendTime(1_000, pace).seconds
    const large = estimateSendTime(10_000, pace).seconds
    expect(large / small).toBeGreaterThan(9.5)
    expect(large / small).toBeLessThan(10.5)
    const twice = estimateSendTime(10_000, { ...pace, ratePerSecond: 20, burst: 20 }).seconds
    expect(large / twice).toBeCloseTo(2, 1)
  })

  it('lets the burst go at once: a few messages take no time', () => {
    expect(sendTimeOf({ kind: 'email_smtp', settings: {} }, 10).seconds).toBe(0)
    expect(sendTimeOf({ kind: 'email_smtp', settings: {} }, 0).seconds).toBe(0)
  })

  it('paces calls by the lines they hold when that is slower than the rate', () => {
    const settings = { ratePerSecond: 5, maxConcurrentCalls: 10 }
    const e = sendTimeOf({ kind: 'voice_twilio', settings }, 1000, 40)
    expect(e.bound).toBe('concurrency')
    expect(e.concurrency).toBe(10)
    // 100 waves of 10 calls, each ringing and speaking for about a minute.
    expect(e.seconds).toBe(100 * 60)
    const wider = sendTimeOf(
      { kind: 'voice_twilio', settings: { ...settings, maxConcurrentCalls: 100 } },
      1000,
      40,
    )
    expect(e.seconds / wider.seconds).toBeCloseTo(10, 0)
  })

  it('counts an SMTP pool’s connections as its concurrency', () => {
    const pace = accountPace({ kind: 'email_smtp', settings: { maxConnections: 12 } })
    expect(pace.concurrency).toBe(12)
    expect(pace.ratePerSecond).toBe(10)
  })

  it('warns past the limit, not at it', () => {
    const e = estimateSendTime(3001, { ratePerSecond: 5, burst: 1, concurrency: 1 })
    expect(e.seconds).toBe(600)
    expect(exceedsSendLimit(e, 10)).toBe(false)
    expect(exceedsSendLimit({ ...e, seconds: 601 }, 10)).toBe(true)
  })
})

describe('time left while sending', () => {
  it('reads the pace from the last minute of progress', () => {
    const t0 = 1_000_000
    const samples = [
      { at: t0, done: 0 },
      { at: t0 + 10_000, done: 50 },
      { at: t0 + 20_000, done: 100 },
    ]
    expect(observedRate(samples)).toBeCloseTo(5)
    expect(timeLeft(1000, observedRate(samples), undefined)).toEqual({
      seconds: 200,
      source: 'observed',
    })
  })

  it('says nothing of the observed pace before five seconds of readings', () => {
    expect(
      observedRate([
        { at: 0, done: 0 },
        { at: 2000, done: 10 },
      ]),
    ).toBeUndefined()
    expect(observedRate([])).toBeUndefined()
  })

  it('falls back to the account’s configured rate, and says when nothing moves', () => {
    const pace = settingsPace('sms_twilio', {})
    expect(pace?.ratePerSecond).toBe(1)
    expect(timeLeft(120, undefined, pace)).toEqual({ seconds: 120, source: 'configured' })
    expect(timeLeft(120, 0, pace)).toEqual({ seconds: null, source: 'observed' })
    expect(settingsPace('email_smtp', { ratePerSecond: '5' })).toMatchObject({
      ratePerSecond: 5,
      concurrency: 5,
    })
    expect(settingsPace('mastodon', {})).toBeUndefined()
  })
})
