import { WARNING_LEVELS } from '../types'
import type { Bulletin, BulletinArea, BulletinRisk, WarningLevel } from '../types'
import { foldText } from '../../../../shared/contacts/text'
import { createComuniMatcher, type OurComune as NamedComune } from './match-comuni'

/*
 * What a bulletin with one level per zone, risk and day (the DPC criticality bulletin) says
 * for our comuni, and what an update changed for them. A comune is in an area when the area's
 * zone is one of the comune's alert zones (Configurazione → Comuni) or when the publisher
 * lists the comune in the area (by ISTAT code or exact name, never by substring).
 */

/** One of our comuni as bulletins are matched against it: name, ISTAT code, alert zones. */
export interface OurComune extends NamedComune {
  alertZones: readonly string[]
}

/** Whether a zone is one of our comuni's (by alert zone) or lists one of them (by ISTAT code or name). */
export function createZoneMatcher(ours: readonly OurComune[]) {
  const matcher = createComuniMatcher(ours)
  const byZone = ours.map((c) => ({ c, zones: new Set(c.alertZones.map(foldZone)) }))
  return {
    /** Our comuni in a zone, in the order of `ours`. */
    comuniIn(zone: string, published: readonly string[]): string[] {
      const folded = foldZone(zone)
      const listed = new Set(published.map((n) => matcher.match(n)?.comune.name))
      return byZone
        .filter(({ c, zones }) => zones.has(folded) || listed.has(c.name))
        .map(({ c }) => c.name)
    },
  }
}

/** A `keepZone` for the DPC builders: the zones that touch our comuni, or every zone (`keepAll`). */
export function keepOurZones(options: { ours: readonly OurComune[]; keepAll?: boolean }) {
  if (options.keepAll) return undefined
  const zones = createZoneMatcher(options.ours)
  return (zone: string, comuni: readonly string[]) => zones.comuniIn(zone, comuni).length > 0
}

/** The areas of a bulletin that touch at least one of our comuni, with the comuni they touch. */
export function ourAreasOf(
  bulletin: Bulletin,
  ours: readonly OurComune[],
): { area: BulletinArea; comuni: string[] }[] {
  const zones = createZoneMatcher(ours)
  return bulletin.areas.flatMap((area) => {
    const comuni = zones.comuniIn(area.zone ?? area.name, area.comuni ?? [])
    return comuni.length > 0 ? [{ area, comuni }] : []
  })
}

/** Zone names compare folded: accents, case and punctuation do not matter ("Valdarno Inf." = "valdarno inf"). */
export const foldZone = foldText

/** One comune's level for one risk on one day. */
export interface OurLevel {
  comune: string
  risk: BulletinRisk | null
  day: BulletinArea['day'] | null
  level: WarningLevel
  validFrom: string | null
  validTo: string | null
  zone: string
}

/** Every (comune, risk, day) level the bulletin gives our comuni; the highest when zones overlap. */
export function ourLevels(bulletin: Bulletin, ours: readonly OurComune[]): OurLevel[] {
  const byKey = new Map<string, OurLevel>()
  for (const { area, comuni } of ourAreasOf(bulletin, ours)) {
    if (!area.level) continue
    for (const comune of comuni) {
      const key = `${comune}|${area.risk ?? ''}|${area.day ?? ''}`
      const held = byKey.get(key)
      if (held && rank(held.level) >= rank(area.level)) continue
      byKey.set(key, {
        comune,
        risk: area.risk ?? null,
        day: area.day ?? null,
        level: area.level,
        validFrom: area.validFrom ?? null,
        validTo: area.validTo ?? null,
        zone: area.zone ?? area.name,
      })
    }
  }
  return [...byKey.values()]
}

const rank = (level: WarningLevel | null | undefined): number =>
  level ? WARNING_LEVELS.indexOf(level) : -1

/** A level that changed for some of our comuni, for one risk and day. */
export interface LevelChange {
  comuni: string[]
  risk: BulletinRisk | null
  day: BulletinArea['day'] | null
  from: WarningLevel | null
  to: WarningLevel | null
}

/**
 * What `next` changed for our comuni compared with `previous` (null: compared with nothing,
 * so every level above green is a change). Comuni with the same change are grouped, in the
 * order of the comuni list.
 */
export function levelChanges(
  previous: Bulletin | null,
  next: Bulletin,
  ours: readonly OurComune[],
): LevelChange[] {
  const key = (l: OurLevel) => `${l.comune}|${l.risk ?? ''}|${l.day ?? ''}`
  const before = new Map((previous ? ourLevels(previous, ours) : []).map((l) => [key(l), l]))
  const after = new Map(ourLevels(next, ours).map((l) => [key(l), l]))
  const grouped = new Map<string, LevelChange>()
  const order = new Map(ours.map((c, i) => [c.name, i]))
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const from = before.get(k)?.level ?? (previous ? null : 'verde')
    const to = after.get(k)?.level ?? null
    if (from === to || (from === null && to === 'verde') || (from === 'verde' && to === null))
      continue
    const sample = (after.get(k) ?? before.get(k)) as OurLevel
    const g = `${sample.risk ?? ''}|${sample.day ?? ''}|${from ?? ''}|${to ?? ''}`
    const change = grouped.get(g) ?? {
      comuni: [],
      risk: sample.risk,
      day: sample.day,
      from: previous ? from : null,
      to,
    }
    change.comuni.push(sample.comune)
    grouped.set(g, change)
  }
  for (const c of grouped.values())
    c.comuni.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
  return [...grouped.values()].sort(
    (a, b) => dayRank(a.day) - dayRank(b.day) || rank(b.to) - rank(a.to),
  )
}

const DAYS = ['today', 'tomorrow', 'aftertomorrow'] as const
const dayRank = (day: LevelChange['day']) => (day ? DAYS.indexOf(day) : -1)

/** Level words as an alert is named in Italian ("allerta gialla"). */
export const ALLERTA_WORDS: Record<WarningLevel, string> = {
  verde: 'verde',
  giallo: 'gialla',
  arancione: 'arancione',
  rosso: 'rossa',
}

const DAY_WORDS: Record<NonNullable<LevelChange['day']>, string> = {
  today: 'oggi',
  tomorrow: 'domani',
  aftertomorrow: 'dopodomani',
}

/** "Empoli, Vinci: idraulico da gialla ad arancione, domani" — one sentence per change. */
export function describeChange(change: LevelChange): string {
  const what = change.risk ?? 'livello'
  const to = change.to ? ALLERTA_WORDS[change.to] : 'non più indicato'
  const toPhrase = change.to === 'arancione' ? `ad ${to}` : `a ${to}`
  const level =
    change.from === null
      ? `${what} ${to}`
      : `${what} da ${ALLERTA_WORDS[change.from]} ${change.to === null ? to : toPhrase}`
  const day = change.day ? `, ${DAY_WORDS[change.day]}` : ''
  return `${change.comuni.join(', ')}: ${level}${day}`
}
