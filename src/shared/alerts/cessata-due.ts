import type { Alert } from './types'
import { alertChains, isCessata } from './versions'

/** An alert whose version in force ran out and was never closed by a cessata. */
export interface CessataDue {
  /** The version in force: the cessata follows it up. */
  inForce: Alert
  /** A cessata already being written for it, if any. */
  draftId: number | null
}

/**
 * The alerts to close: of each alert and its follow-ups, the version in force
 * (the latest confirmed one) when its validity has ended at `nowMs` and it is
 * not itself a cessata. The room offers "L'allerta è scaduta alle 8: inviare la
 * cessata?" for each. Most recently ended first.
 */
export function cessataDue(alerts: readonly Alert[], nowMs: number): CessataDue[] {
  const due: CessataDue[] = []
  for (const chain of alertChains(alerts)) {
    const inForce = chain.inForce
    if (!inForce || isCessata(inForce) || Date.parse(inForce.validTo) > nowMs) continue
    const draft = chain.versions.find((v) => isCessata(v.alert) && v.alert.status === 'draft')
    due.push({ inForce, draftId: draft?.alert.id ?? null })
  }
  return due.sort((a, b) => Date.parse(b.inForce.validTo) - Date.parse(a.inForce.validTo))
}
