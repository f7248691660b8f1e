import { describe, expect, it } from 'vitest'
import type { DrillReport } from '../../../src/shared/contract/drills'
import { renderReportHtml } from '../../../src/main/core/drill-runtime'
import { expectMachineZone } from '../../support/zone-check'

// Run once per zone (vitest.config.ts): a report printed in New York reads as one printed in Rome.
const zone = expectMachineZone()

const report: DrillReport = {
  drill: {
    id: '20260113-120000-abcd',
    title: 'Esercitazione neve',
    scenarioId: 'neve-arancione-empolese',
    scenarioTitle: 'Neve',
    createdAt: '2026-01-13T23:30:00.000Z',
    createdBy: 'Maria',
    state: 'ended',
    startedAt: '2026-07-13T11:05:00.000Z',
    endedAt: null,
    reachedMs: 0,
  },
  final: true,
  generatedAt: '2026-07-13T22:11:00.000Z',
  timeline: [],
  checkpoints: [],
  publications: [],
  coverage: { lists: [], pages: [], partners: [] },
  citizens: { received: 0, answered: 0, medianResponseMs: null, byEvent: [] },
  faults: [],
  oncall: [],
  earlier: [],
}

describe(`The drill report's dates, on a computer set to ${zone}`, () => {
  it('are Italian time, winter and summer, across midnight', () => {
    const html = renderReportHtml(report)
    expect(html).toContain('creata da Maria il 14/01/26, 00:30')
    expect(html).toContain('avviata 13/07/26, 13:05')
    expect(html).toContain('Generato il 14/07/26, 00:11 da Vedetta.')
  })
})
