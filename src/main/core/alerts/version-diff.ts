/**
 * What a follow-up changes against the version in force: the latest confirmed
 * version of the same alert (the first alert, or an update after it). Pure:
 * the versions come in, the structured changes go out; the preview shows them
 * as a sentence in the operator's language.
 */

import type { VersionChanges } from '../../../shared/alerts/version-changes'
import { parseInstant } from '../../../shared/time'
import type { Alert } from './types'

type Version = Pick<
  Alert,
  | 'id'
  | 'msgType'
  | 'confirmedAt'
  | 'level'
  | 'comuni'
  | 'validFrom'
  | 'validTo'
  | 'headline'
  | 'description'
  | 'instruction'
>

/** Confirmed and not taken back: its messages are leaving or have left. */
export const isConfirmedVersion = (a: Pick<Alert, 'status' | 'confirmedAt'>): boolean =>
  (a.status === 'scheduled' || a.status === 'sending' || a.status === 'done') &&
  a.confirmedAt !== null

/**
 * The version in force among the versions of one alert, leaving out `draftId`:
 * the one confirmed last (the higher id when two were confirmed at once).
 */
export function versionInForce<T extends Pick<Alert, 'id' | 'status' | 'confirmedAt'>>(
  versions: readonly T[],
  draftId?: number,
): T | undefined {
  let best: T | undefined
  for (const v of versions) {
    if (v.id === draftId || !isConfirmedVersion(v)) continue
    if (
      !best ||
      v.confirmedAt! > best.confirmedAt! ||
      (v.confirmedAt === best.confirmedAt && v.id > best.id)
    ) {
      best = v
    }
  }
  return best
}

const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('it')
const sameText = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ') === b.trim().replace(/\s+/g, ' ')
const sameInstant = (a: string, b: string) => {
  try {
    return parseInstant(a) === parseInstant(b)
  } catch {
    return a === b
  }
}

/** The changes from the version in force to the draft. */
export function diffVersions(inForce: Version, draft: Version): VersionChanges {
  const before = new Set(inForce.comuni.map((c) => key(c.name)))
  const after = new Set(draft.comuni.map((c) => key(c.name)))
  const comuniAdded = draft.comuni.filter((c) => !before.has(key(c.name))).map((c) => c.name)
  const comuniRemoved = inForce.comuni.filter((c) => !after.has(key(c.name))).map((c) => c.name)
  const level = inForce.level === draft.level ? null : { from: inForce.level, to: draft.level }
  const validFrom = sameInstant(inForce.validFrom, draft.validFrom)
    ? null
    : { from: inForce.validFrom, to: draft.validFrom }
  const validTo = sameInstant(inForce.validTo, draft.validTo)
    ? null
    : { from: inForce.validTo, to: draft.validTo }
  const headline = !sameText(inForce.headline, draft.headline)
  const description = !sameText(inForce.description, draft.description)
  const instruction = !sameText(inForce.instruction, draft.instruction)
  return {
    inForce: { alertId: inForce.id, msgType: inForce.msgType, confirmedAt: inForce.confirmedAt },
    level,
    comuniAdded,
    comuniRemoved,
    validFrom,
    validTo,
    headline,
    description,
    instruction,
    none:
      !level &&
      comuniAdded.length === 0 &&
      comuniRemoved.length === 0 &&
      !validFrom &&
      !validTo &&
      !headline &&
      !description &&
      !instruction,
  }
}
