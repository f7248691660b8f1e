import { describe, expect, it } from 'vitest'
import {
  CHECKING_SHARE_OF_COMMIT,
  createProgressMeter,
  type ImportProgressReport,
} from '../../../src/main/core/contacts/csv/import-progress'

/** A meter on a hand-moved clock: reports are counted, not timed. */
function meter(dryRun: boolean) {
  let t = 0
  const out: ImportProgressReport[] = []
  const update = createProgressMeter({ dryRun, now: () => t, intervalMs: 100 }, (r) => out.push(r))
  return { update, out, at: (ms: number) => (t = ms) }
}

describe('import progress', () => {
  it('a commit is checking, then writing: the bar goes once from 0 to 100', () => {
    const m = meter(false)
    m.update({ phase: 'checking', rowsDone: 0, rows: 1000 })
    m.at(500)
    m.update({ phase: 'checking', rowsDone: 1000, rows: 1000 })
    m.at(600)
    m.update({ phase: 'writing', rowsDone: 0, rows: 900 })
    m.at(1100)
    m.update({ phase: 'writing', rowsDone: 450, rows: 900 })
    m.at(1600)
    m.update({ phase: 'writing', rowsDone: 900, rows: 900 })
    expect(m.out.map((r) => r.percent)).toEqual([
      0,
      CHECKING_SHARE_OF_COMMIT * 100,
      CHECKING_SHARE_OF_COMMIT * 100,
      Math.floor((CHECKING_SHARE_OF_COMMIT + (1 - CHECKING_SHARE_OF_COMMIT) / 2) * 100),
      100,
    ])
    expect(m.out.at(-1)).toMatchObject({ phase: 'writing', rowsDone: 900, secondsLeft: 0 })
  })

  it('estimates the time left from the pace so far, and says nothing before there is one', () => {
    const m = meter(true)
    m.update({ phase: 'checking', rowsDone: 0, rows: 10_000 })
    m.at(2000)
    m.update({ phase: 'checking', rowsDone: 2500, rows: 10_000 })
    // A quarter in two seconds: six more.
    expect(m.out.map((r) => r.secondsLeft)).toEqual([null, 6])
  })

  it('reports at most once per interval within a phase, but always a change of phase and the end', () => {
    const m = meter(false)
    for (let i = 0; i <= 100; i++) {
      m.at(i)
      m.update({ phase: 'checking', rowsDone: i * 10, rows: 1000 })
    }
    expect(m.out).toHaveLength(2) // at 0 and at 100 ms
    m.at(101)
    m.update({ phase: 'writing', rowsDone: 0, rows: 10 })
    m.at(102)
    m.update({ phase: 'writing', rowsDone: 10, rows: 10 })
    expect(m.out.slice(2).map((r) => r.percent)).toEqual([35, 100])
  })
})
