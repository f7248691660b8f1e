import type { HealthProblem } from '../../../shared/contract'
import type { Log } from './log'

/**
 * What is wrong with the room's own machinery right now (the dispatcher cannot
 * write, receipts or inbound polling keep failing, a listener throws), as the
 * Stato panel shows it. One entry per source: raising it again updates the
 * message; clearing it removes it. Every change is logged and emitted.
 */
export interface SystemHealth {
  raise(source: string, message: string): void
  clear(source: string): void
  list(): HealthProblem[]
}

export function createSystemHealth(deps: {
  log: Log
  now: () => Date
  emit(problems: HealthProblem[]): void
}): SystemHealth {
  const problems = new Map<string, HealthProblem>()
  const publish = () => deps.emit([...problems.values()])
  return {
    raise(source, message) {
      const known = problems.get(source)
      if (known?.message === message) return
      problems.set(source, { source, message, since: known?.since ?? deps.now().toISOString() })
      deps.log.warn(source, message)
      publish()
    },
    clear(source) {
      if (!problems.delete(source)) return
      deps.log.info(source, 'ripreso')
      publish()
    },
    list: () => [...problems.values()],
  }
}
