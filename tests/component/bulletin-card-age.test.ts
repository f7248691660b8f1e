import { readFileSync } from 'node:fs'
import path from 'node:path'
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createI18n } from 'vue-i18n'
import { parseCap } from '../../src/main/core/feeds/parsers/cap'
import type { FeedItem } from '../../src/shared/feeds/types'
import { messages } from '../../src/renderer/src/i18n'
import BulletinCard from '../../src/renderer/src/components/bulletins/BulletinCard.vue'

const SPECS = path.resolve(__dirname, '../../../shared/specs')
// Met Éireann's real MeteoAlarm detail of December 2022 (expires 2022-12-08T11:59:59Z).
const ireland = parseCap(readFileSync(path.join(SPECS, 'meteoalarm/ireland_sample_detail.xml')), {
  meteoAlarm: true,
})
const item: FeedItem = {
  id: 1,
  sourceId: 1,
  externalId: ireland.externalId,
  capIdentifier: ireland.capIdentifier,
  hash: 'h',
  fetchedAt: '2022-12-07T00:00:00.000Z',
  sent: '2022-12-07T14:00:00.000Z',
  kind: 'atom_cap_index',
  level: ireland.level ?? null,
  headline: ireland.headline ?? '',
  isOurs: false,
  supersedesId: null,
  bulletin: ireland,
}

function card(now: number, locale: 'it' | 'en' = 'it') {
  const i18n = createI18n({ legacy: false, locale, messages })
  return mount(BulletinCard, { props: { item, now }, global: { plugins: [i18n] } })
}

describe('a bulletin card', () => {
  it('marks a bulletin past its expiry as "scaduto" and shows the year of another year', () => {
    const w = card(Date.parse('2026-12-03T09:00:00Z'))
    expect(w.text()).toContain('scaduto')
    expect(w.find('time').text()).toBe('07/12/2022, 15:00')
    expect(card(Date.parse('2026-12-03T09:00:00Z'), 'en').text()).toContain('expired')
  })

  it('shows a bulletin still valid this year as before: no marker, no year', () => {
    const w = card(Date.parse('2022-12-07T20:00:00Z'))
    expect(w.text()).not.toContain('scaduto')
    expect(w.find('time').text()).toBe('07/12, 15:00')
  })

  it('marks it once its expiry has passed, the same year', () => {
    const w = card(Date.parse('2022-12-08T12:00:00Z'))
    expect(w.text()).toContain('scaduto')
    expect(w.find('time').text()).toBe('07/12, 15:00')
  })
})

describe('bulletin cards in a list', () => {
  it('name their buttons after their bulletin, so a screen reader tells them apart', () => {
    const i18n = createI18n({ legacy: false, locale: 'it', messages })
    const other = { ...item, id: 2, headline: 'Allerta gialla per temporali', isOurs: true }
    const names = [item, other].flatMap((it) =>
      mount(BulletinCard, { props: { item: it }, global: { plugins: [i18n] } })
        .findAll('button')
        .map((b) => b.attributes('aria-label')),
    )
    expect(names).toEqual([
      `Dettagli: ${item.headline}`,
      'Dettagli: Allerta gialla per temporali',
      'Prepara allerta: Allerta gialla per temporali',
    ])
    // The visible word starts the name (what is seen is what can be said to a voice control).
    for (const n of names) expect(n).toMatch(/^(Dettagli|Prepara allerta): /)
  })
})
