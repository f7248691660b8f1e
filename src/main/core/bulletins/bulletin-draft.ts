import type { BulletinDraft, BulletinDraftWarning } from '../../../shared/bulletins/draft'
import type { FeedItem } from '../../../shared/feeds/types'
import type { AlertKind, AlertLevel } from '../../../shared/templates/alert-kinds'
import { levelFromText, maxLevel } from '../feeds/parsers/levels'

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

const norm = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

/** Our comuni named by the bulletin's areas (or its text); all of them when the whole source is ours. */
export function comuniFromBulletin(
  item: FeedItem,
  ourAreas: string[],
  comuni: readonly string[],
): string[] {
  const haystack = norm(
    [
      ...ourAreas,
      ...item.bulletin.areas.map((a) => a.name),
      item.headline,
      item.bulletin.description ?? '',
    ].join(' | '),
  )
  const named = comuni.filter((c) => haystack.includes(norm(c)))
  return named.length ? named : [...comuni]
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
  comuni: readonly string[],
  templateFor: (kind: AlertKind, level: AlertLevel) => string | null,
): BulletinDraft {
  const b = item.bulletin
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
