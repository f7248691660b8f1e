import type { ImportProgress } from './import-contacts'

/** An import's progress as the wizard shows it: rows done, share of the whole, time left. */
export interface ImportProgressReport extends ImportProgress {
  /** Of the whole run (a commit checks, then writes), 0–100. */
  percent: number
  /** Whole seconds, estimated from the pace so far; null until there is a pace to go by. */
  secondsLeft: number | null
}

/**
 * Share of a commit's time spent checking rows before writing starts
 * (measured on 100,000 generated rows: 1.3 s of 3.4 s).
 */
export const CHECKING_SHARE_OF_COMMIT = 0.35

/** Below this share done, or this soon after the start, a time left would be a guess. */
const MIN_FRACTION = 0.02
const MIN_ELAPSED_MS = 200

/**
 * Turns the importer's row counts into reports for a progress bar, at most one
 * every `intervalMs` (plus each change of phase and the end), so a fast import
 * does not flood the window with events.
 */
export function createProgressMeter(
  options: { dryRun: boolean; now: () => number; intervalMs?: number },
  emit: (report: ImportProgressReport) => void,
): (progress: ImportProgress) => void {
  const interval = options.intervalMs ?? 100
  const start = options.now()
  let lastAt = -Infinity
  let lastPhase: ImportProgress['phase'] | null = null
  let lastPercent = -1
  return (p) => {
    const phaseShare = p.rows > 0 ? Math.min(1, p.rowsDone / p.rows) : 1
    const fraction = options.dryRun
      ? phaseShare
      : p.phase === 'checking'
        ? CHECKING_SHARE_OF_COMMIT * phaseShare
        : CHECKING_SHARE_OF_COMMIT + (1 - CHECKING_SHARE_OF_COMMIT) * phaseShare
    const at = options.now()
    const percent = Math.floor(fraction * 100)
    const finished = options.dryRun ? phaseShare === 1 : p.phase === 'writing' && phaseShare === 1
    if (p.phase === lastPhase && at - lastAt < interval && !(finished && percent !== lastPercent))
      return
    lastAt = at
    lastPhase = p.phase
    lastPercent = percent
    const elapsed = at - start
    const secondsLeft =
      fraction >= MIN_FRACTION && elapsed >= MIN_ELAPSED_MS
        ? Math.ceil(((elapsed / fraction) * (1 - fraction)) / 1000)
        : null
    emit({ ...p, percent, secondsLeft })
  }
}
