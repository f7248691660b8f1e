/*
 * Which published files make the newest DPC bulletin. The DPC names each criticality
 * bulletin after its emission (`YYYYMMDD_HHMM.json`, Rome time); a later file of the same
 * day is an aggiornamento or an errata corrige of the first, so it replaces it. The
 * meteorological vigilance bulletin is one file a day (`YYYYMMDD.json`).
 */

const CRITICITA_INDEX = /^(\d{8})_(\d{4})\.json$/
const VIGILANZA_INDEX = /^(\d{8})\.json$/

export interface NewestCriticita {
  /** The newest bulletin's stem ("20260720_2331"). */
  stem: string
  /** Earlier stems of the same emission day, newest first: the bulletins it replaces. */
  earlier: string[]
}

/** The newest criticality bulletin among a folder's file names; null when there is none. */
export function newestCriticita(names: readonly string[]): NewestCriticita | null {
  const stems = names
    .map((n) => CRITICITA_INDEX.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}_${m[2]}`)
    .sort()
  const stem = stems.at(-1)
  if (!stem) return null
  const day = stem.slice(0, 8)
  const earlier = stems.filter((s) => s !== stem && s.startsWith(`${day}_`)).reverse()
  return { stem, earlier }
}

/** The newest vigilance bulletin's day ("20260720") among a folder's file names. */
export function newestVigilanza(names: readonly string[]): string | null {
  return (
    names
      .map((n) => VIGILANZA_INDEX.exec(n)?.[1])
      .filter((d): d is string => d !== undefined)
      .sort()
      .at(-1) ?? null
  )
}
