import { describe, expect, it } from 'vitest'
import { diffVersions, versionInForce } from '../../../src/main/core/alerts/version-diff'
import type { Alert } from '../../../src/main/core/alerts/types'
import { alertFixture } from '../../support/alert-fixture'
import { italianAt } from '../../../src/shared/alerts/version-changes'
import { cessataDue } from '../../../src/shared/alerts/cessata-due'
import { pickFollowUpTemplate, templateRole } from '../../../src/shared/templates/follow-up'

const version = (over: Partial<Alert> = {}): Alert =>
  alertFixture({
    identifier: 'vedetta-1',
    comuni: [{ name: 'Empoli', istatCode: '048014' }],
    validFrom: '2026-12-03T12:00:00.000Z',
    validTo: '2026-12-04T07:00:00.000Z',
    headline: 'Piena dell’Arno',
    description: 'Possibile passaggio della piena.',
    instruction: 'Stai lontano dagli argini.',
    createdBy: 'Maria',
    createdAt: '2026-12-03T11:00:00.000Z',
    updatedAt: '2026-12-03T11:00:00.000Z',
    confirmedBy: 'Maria',
    confirmedAt: '2026-12-03T11:05:00.000Z',
    ...over,
  })

describe('what a follow-up changes', () => {
  it('names the new level, the comuni added and removed, and the new validity', () => {
    const inForce = version({
      comuni: [{ name: 'Empoli' }, { name: 'Fucecchio' }],
    })
    const draft = version({
      id: 2,
      msgType: 'Update',
      status: 'draft',
      confirmedAt: null,
      level: 'rosso',
      comuni: [{ name: 'empoli ' }, { name: 'Vinci' }, { name: 'Certaldo' }],
      validTo: '2026-12-04T08:00:00+01:00',
      description: 'Piena in transito a Empoli nella notte.',
    })
    expect(diffVersions(inForce, draft)).toEqual({
      inForce: { alertId: 1, msgType: 'Alert', confirmedAt: '2026-12-03T11:05:00.000Z' },
      level: { from: 'arancione', to: 'rosso' },
      comuniAdded: ['Vinci', 'Certaldo'],
      comuniRemoved: ['Fucecchio'],
      validFrom: null,
      // The same instant written with another offset is no change…
      validTo: null,
      headline: false,
      description: true,
      instruction: false,
      none: false,
    })
    // …another instant is.
    expect(
      diffVersions(inForce, { ...draft, validTo: '2026-12-04T09:00:00+01:00' }).validTo,
    ).toEqual({ from: '2026-12-04T07:00:00.000Z', to: '2026-12-04T09:00:00+01:00' })
  })

  it('says nothing changed when only the texts or the spacing did', () => {
    const inForce = version()
    const draft = version({
      id: 2,
      description: '  Possibile passaggio   della piena. ',
      texts: { sms: 'Nuovo testo' } as Alert['texts'],
    })
    expect(diffVersions(inForce, draft)).toMatchObject({ none: true, level: null })
  })

  it('compares with the version confirmed last, not with drafts, cancelled or stopped ones', () => {
    const versions = [
      version({ id: 1, confirmedAt: '2026-12-03T11:05:00.000Z' }),
      version({ id: 2, status: 'sending', confirmedAt: '2026-12-03T15:00:00.000Z' }),
      version({ id: 3, status: 'stopped', confirmedAt: '2026-12-03T16:00:00.000Z' }),
      version({ id: 4, status: 'cancelled', confirmedAt: '2026-12-03T16:30:00.000Z' }),
      version({ id: 5, status: 'draft', confirmedAt: null }),
    ]
    expect(versionInForce(versions, 5)?.id).toBe(2)
    expect(versionInForce(versions.slice(2))).toBeUndefined()
    // Confirmed in the same instant: the later version.
    expect(
      versionInForce([
        version({ id: 7, confirmedAt: '2026-12-03T15:00:00.000Z' }),
        version({ id: 6, confirmedAt: '2026-12-03T15:00:00.000Z' }),
      ])?.id,
    ).toBe(7)
  })
})

describe('times said the Italian way, in Rome', () => {
  it('drops the minutes on the hour and keeps the day', () => {
    // 07:00 UTC is 8 in Rome in December.
    expect(italianAt('2026-12-04T07:00:00Z', 'a')).toBe('alle 8 di venerdì 4 dicembre')
    expect(italianAt('2026-12-04T07:30:00Z', 'da')).toBe('dalle 8:30 di venerdì 4 dicembre')
    expect(italianAt('2026-12-04T00:05:00Z', 'a', false)).toBe('all’1:05')
    expect(italianAt('2026-12-03T23:00:00Z', 'da', false)).toBe('da mezzanotte')
    // Summer time: 06:00 UTC is 8 in Rome.
    expect(italianAt('2026-07-10T06:00:00Z', 'a', false)).toBe('alle 8')
  })
})

describe('the template a follow-up starts from', () => {
  const t = (id: string, name: string, kind: string) =>
    ({ id, name, kind, level: 'verde' }) as Parameters<typeof templateRole>[0] & { id: string }
  const all = [
    t('neve-arancione', 'Neve - allerta arancione', 'neve'),
    t('t-1', 'Neve - il nostro aggiornamento', 'neve'),
    t('cessata-allerta', 'Cessata allerta', 'cessata_allerta'),
    t('aggiornamento-vento', 'Vento forte - aggiornamento', 'vento'),
    t('cessata-vento', 'Vento - fine', 'vento'),
  ]

  it('prefers the shipped one of the kind, then the office’s own, then the generic cessata', () => {
    expect(pickFollowUpTemplate(all, 'vento', 'Update')?.id).toBe('aggiornamento-vento')
    expect(pickFollowUpTemplate(all, 'vento', 'Cancel')?.id).toBe('cessata-vento')
    expect(pickFollowUpTemplate(all, 'neve', 'Update')?.id).toBe('t-1')
    expect(pickFollowUpTemplate(all, 'neve', 'Cancel')?.id).toBe('cessata-allerta')
    expect(pickFollowUpTemplate(all, 'pioggia', 'Update')).toBeUndefined()
  })

  it('never takes an alert template for a follow-up', () => {
    expect(all.map(templateRole)).toEqual(['alert', 'update', 'cancel', 'update', 'cancel'])
  })
})

describe('an alert that ran out without a cessata', () => {
  const NOW = Date.parse('2026-12-04T09:00:00Z')

  it('is due once the validity of its version in force has ended', () => {
    const first = version({ id: 1, validTo: '2026-12-04T07:00:00.000Z' })
    // An update confirmed later moved the end to 10 Rome time: not due yet.
    const update = version({
      id: 2,
      msgType: 'Update',
      referencesAlertId: 1,
      confirmedAt: '2026-12-03T20:00:00.000Z',
      validTo: '2026-12-04T09:00:00.001Z',
    })
    expect(cessataDue([first], NOW)).toEqual([{ inForce: first, draftId: null }])
    expect(cessataDue([first, update], NOW)).toEqual([])
    expect(cessataDue([first, update], NOW + 1)).toEqual([{ inForce: update, draftId: null }])
  })

  it('names the cessata being written, and is no longer due once one is confirmed', () => {
    const first = version({ id: 1 })
    const draft = version({
      id: 2,
      msgType: 'Cancel',
      referencesAlertId: 1,
      status: 'draft',
      confirmedAt: null,
    })
    expect(cessataDue([first, draft], NOW)).toEqual([{ inForce: first, draftId: 2 }])
    const sent = { ...draft, status: 'done' as const, confirmedAt: '2026-12-04T08:00:00.000Z' }
    expect(cessataDue([first, sent], NOW)).toEqual([])
    // A version never confirmed does not count.
    expect(cessataDue([version({ status: 'cancelled' })], NOW)).toEqual([])
  })
})
