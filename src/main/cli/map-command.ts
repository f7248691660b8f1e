import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_SETTINGS } from '../../shared/contract/settings'
import {
  ALERT_KINDS,
  ALERT_LEVELS,
  type AlertKind,
  type AlertLevel,
} from '../../shared/templates/alert-kinds'
import { isInstant } from '../../shared/time'
import { renderMapCard } from '../core/maps'
import { resourcesDir } from './context'
import { UsageError } from './usage'

/** The level words a person types: "gialla" as well as "giallo", "rossa" as well as "rosso". */
const LEVEL_ALIASES: Record<string, AlertLevel> = {
  ...Object.fromEntries(ALERT_LEVELS.map((l) => [l, l])),
  gialla: 'giallo',
  rossa: 'rosso',
}

/** `"Empoli=arancione,Vinci=gialla"` → the comuni with their levels. */
export function parseComuniLevels(text: string): { name: string; level: AlertLevel }[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (items.length === 0) throw new UsageError('--comuni needs at least one "Comune=livello"')
  return items.map((item) => {
    const eq = item.lastIndexOf('=')
    const name = eq > 0 ? item.slice(0, eq).trim() : ''
    const word =
      eq > 0
        ? item
            .slice(eq + 1)
            .trim()
            .toLowerCase()
        : ''
    const level = LEVEL_ALIASES[word]
    if (!name || !level) {
      throw new UsageError(
        `--comuni: "${item}" is not Comune=livello (livello: verde, gialla, arancione, rossa)`,
      )
    }
    return { name, level }
  })
}

/**
 * `vedetta map --comuni "Empoli=arancione,Vinci=gialla" [--kind idraulico]
 * [--from ISO --to ISO] [--headline TEXT] [--ente NAME] [--hashtag TAG] [--square]
 * --out FILE.png`: draws the alert map card (the same code as the posts) and
 * prints its alt text.
 */
export async function mapCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      comuni: { type: 'string' },
      kind: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      headline: { type: 'string' },
      ente: { type: 'string' },
      hashtag: { type: 'string' },
      square: { type: 'boolean' },
      out: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`)
  if (!values.comuni) throw new UsageError('--comuni "Comune=livello,…" is required')
  if (!values.out) throw new UsageError('--out FILE.png is required')
  const kind = (values.kind ?? 'idraulico') as AlertKind
  if (!ALERT_KINDS.includes(kind)) {
    throw new UsageError(`--kind must be one of ${ALERT_KINDS.join(', ')}, not "${values.kind}"`)
  }
  for (const flag of ['from', 'to'] as const) {
    const v = values[flag]
    if (v !== undefined && !isInstant(v)) {
      throw new UsageError(
        `--${flag} must be an ISO date-time with its offset (2026-12-03T14:00:00+01:00), not "${v}"`,
      )
    }
  }
  const comuni = parseComuniLevels(values.comuni)
  let card
  try {
    card = renderMapCard(
      {
        comuni,
        kind,
        validFrom: values.from ?? null,
        validTo: values.to ?? null,
        headline: values.headline ?? null,
        ente: {
          name: values.ente ?? DEFAULT_SETTINGS.ente,
          hashtag: values.hashtag ?? DEFAULT_SETTINGS.hashtag,
        },
      },
      resourcesDir(),
      values.square ? 'square' : 'landscape',
    )
  } catch (err) {
    // An unknown comune is a mistake in the command line, not a fault.
    if (err instanceof RangeError) throw new UsageError(err.message)
    throw err
  }
  writeFileSync(resolve(values.out), card.png)
  process.stdout.write(card.alt + '\n')
  return 0
}
