import type {
  BulletinDraft,
  BulletinDraftGroup,
  BulletinDraftWarning,
} from '../../../shared/bulletins/draft'
import type { BulletinRisk, FeedItem } from '../../../shared/feeds/types'
import type { AlertKind, AlertLevel } from '../../../shared/templates/alert-kinds'
import { ALLERTA_WORDS, ourLevels, type OurComune, type OurLevel } from '../feeds/dpc/our-levels'
import { createComuniMatcher } from '../feeds/dpc/match-comuni'
import { foldText } from '../../../shared/contacts/text'
import { levelFromText, maxLevel } from '../feeds/parsers/levels'
import { WARNING_LEVELS } from '../feeds/types'

/** Words (Italian and English, as CAP `event` and headlines use them) → alert kind. Most specific first. */
const KIND_WORDS: [AlertKind, RegExp][] = [
  ['idraulico', /idraulic|flood|alluvion|esondaz|piena|arno|elsa|fiume|river/i],
  ['pioggia', /idrogeolog|pioggi|rain|precipitaz|frana|landslide/i],
  ['temporali', /temporal|thunder|storm|grandin|hail/i],
  ['neve', /neve|nevicat|snow/i],
  ['ghiaccio', /ghiacci|gelat|ice|frost|freezing/i],
  ['vento', /vent[oi]|wind|raffic/i],
  ['mareggiate', /mareggiat|coastal|costier|wave|marine/i],
]

export function kindFromText(text: string): AlertKind {
  for (const [kind, re] of KIND_WORDS) if (re.test(text)) return kind
  return 'generico'
}

/** Text folded for whole-word comparison: accents removed, lower case, punctuation as spaces. */
const words = (s: string) => ` ${foldText(s)} `

/**
 * Our comuni named by the bulletin: listed in its areas (by ISTAT code or exact name), else
 * named as whole words in its areas' names or its text ("Vinci" is not in "Provincia"); all
 * of them when none is named (the whole source is ours).
 */
export function comuniFromBulletin(
  item: FeedItem,
  ourAreas: string[],
  comuni: readonly OurComune[],
): string[] {
  const matcher = createComuniMatcher(comuni)
  const listed = new Set(
    item.bulletin.areas.flatMap((a) => (a.comuni ?? []).map((n) => matcher.match(n)?.comune.name)),
  )
  const byList = comuni.filter((c) => listed.has(c.name))
  if (byList.length) return byList.map((c) => c.name)
  const haystack = words(
    [
      ...ourAreas,
      ...item.bulletin.areas.map((a) => a.name),
      item.headline,
      item.bulletin.description ?? '',
    ].join(' | '),
  )
  const named = comuni.filter((c) => haystack.includes(words(c.name)))
  return (named.length ? named : comuni).map((c) => c.name)
}

/** The alert kind a published risk is sent as. */
const KIND_OF_RISK: Record<BulletinRisk, AlertKind> = {
  idraulico: 'idraulico',
  idrogeologico: 'pioggia',
  temporali: 'temporali',
  neve: 'neve',
  ghiaccio: 'ghiaccio',
  vento: 'vento',
  mareggiate: 'mareggiate',
  meteo: 'generico',
}
/** When one comune has several risks at its highest level, the draft is written for the first. */
const RISK_ORDER: readonly BulletinRisk[] = [
  'idraulico',
  'idrogeologico',
  'temporali',
  'neve',
  'ghiaccio',
  'vento',
  'mareggiate',
  'meteo',
]
const RISK_WORDS: Record<BulletinRisk, string> = {
  idraulico: 'rischio idraulico',
  idrogeologico: 'rischio idrogeologico',
  temporali: 'temporali',
  neve: 'neve',
  ghiaccio: 'ghiaccio',
  vento: 'vento',
  mareggiate: 'mareggiate',
  meteo: 'meteo',
}
const rank = (l: AlertLevel) => WARNING_LEVELS.indexOf(l)
const earliest = (a: string | null, b: string | null) =>
  a === null ? b : b === null || a < b ? a : b
const latest = (a: string | null, b: string | null) =>
  a === null ? b : b === null || a > b ? a : b

/**
 * Our comuni grouped by their highest level in a per-zone bulletin and the risk it is for,
 * highest first; comuni left at green are in no group. Empty when nothing is above green.
 */
export function draftGroups(
  item: FeedItem,
  comuni: readonly OurComune[],
  templateFor: (kind: AlertKind, level: AlertLevel) => string | null,
): BulletinDraftGroup[] {
  const perComune = new Map<string, OurLevel[]>()
  for (const l of ourLevels(item.bulletin, comuni)) {
    if (l.level === 'verde') continue
    perComune.set(l.comune, [...(perComune.get(l.comune) ?? []), l])
  }
  const groups = new Map<string, BulletinDraftGroup>()
  for (const c of comuni) {
    const levels = perComune.get(c.name)
    if (!levels) continue
    const top = levels.reduce((a, b) => (rank(b.level) > rank(a.level) ? b : a)).level
    const atTop = levels.filter((l) => l.level === top)
    const risks = RISK_ORDER.filter((r) => atTop.some((l) => l.risk === r))
    const kind = risks[0] ? KIND_OF_RISK[risks[0]] : 'generico'
    const key = `${top}|${kind}`
    const g = groups.get(key) ?? {
      level: top,
      kind,
      comuni: [],
      zones: [],
      risks: [],
      validFrom: null,
      validTo: null,
      templateId: templateFor(kind, top),
    }
    g.comuni.push(c.name)
    for (const l of atTop) {
      if (!g.zones.includes(l.zone)) g.zones.push(l.zone)
      g.validFrom = earliest(g.validFrom, l.validFrom)
      g.validTo = latest(g.validTo, l.validTo)
    }
    for (const r of risks) if (!g.risks.includes(r)) g.risks.push(r)
    groups.set(key, g)
  }
  return [...groups.values()].sort((a, b) => rank(b.level) - rank(a.level))
}

/** "Allerta gialla per temporali e rischio idrogeologico" */
function groupHeadline(g: BulletinDraftGroup): string {
  const risks = RISK_ORDER.filter((r) => g.risks.includes(r)).map((r) => RISK_WORDS[r])
  const named = risks.length > 1 ? `${risks.slice(0, -1).join(', ')} e ${risks.at(-1)}` : risks[0]
  return `Allerta ${ALLERTA_WORDS[g.level]}${named ? ` per ${named}` : ''}`
}

/**
 * Turns a bulletin for our zones into a prefilled draft: kind from its event,
 * level from the bulletin (yellow when it gives none; the higher one, with a warning, when
 * its headline names another colour), comuni, validity, description and instructions, and
 * the matching template. The operator always reviews it before anything is sent.
 */
export function draftFromBulletin(
  item: FeedItem,
  alert: { ourAreas: string[]; level: AlertLevel | null },
  comuniOrNames: readonly (OurComune | string)[],
  templateFor: (kind: AlertKind, level: AlertLevel) => string | null,
  groupIndex = 0,
): BulletinDraft {
  const b = item.bulletin
  const comuni = comuniOrNames.map((c) =>
    typeof c === 'string' ? { name: c, istatCode: null, alertZones: [] } : c,
  )
  const groups = draftGroups(item, comuni, templateFor)
  if (groups.length > 0) {
    const index = Math.min(Math.max(0, Math.trunc(groupIndex)), groups.length - 1)
    const g = groups[index] as BulletinDraftGroup
    return {
      kind: g.kind,
      level: g.level,
      comuni: g.comuni,
      validFrom: g.validFrom,
      validTo: g.validTo,
      headline: groupHeadline(g),
      description: b.description ?? '',
      instruction: b.instruction ?? '',
      warnings: [],
      templateId: g.templateId,
      feedItemId: item.id,
      groups,
      group: index,
    }
  }
  // The most specific field first: a snow bulletin may well name the Arno valley in its text.
  const kind =
    [b.event, item.headline, b.description]
      .filter((t): t is string => Boolean(t))
      .map(kindFromText)
      .find((k) => k !== 'generico') ?? 'generico'
  const warnings: BulletinDraftWarning[] = []
  let level: AlertLevel = alert.level ?? 'giallo'
  const named = levelFromText(item.headline)
  if (b.msgType !== 'Cancel' && named && named !== alert.level) {
    warnings.push({ code: 'headline_level', params: { headline: named, bulletin: alert.level } })
    level = maxLevel([named, alert.level]) ?? level
  }
  if (b.msgType === 'Cancel') level = 'verde'
  const draftKind: AlertKind = b.msgType === 'Cancel' ? 'cessata_allerta' : kind
  return {
    kind: draftKind,
    level,
    comuni: comuniFromBulletin(item, alert.ourAreas, comuni),
    validFrom: b.onset ?? b.effective ?? null,
    validTo: b.expires ?? null,
    headline: item.headline,
    description: b.description ?? '',
    instruction: b.instruction ?? '',
    warnings,
    templateId: templateFor(draftKind, level),
    feedItemId: item.id,
  }
}
