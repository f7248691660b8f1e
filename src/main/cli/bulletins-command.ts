import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { formatRomeShort } from '../../shared/time'
import { checkSource, type CheckResult } from '../core/bulletins/check-source'
import type { OurComune } from '../core/feeds/dpc/our-levels'
import { createComuniRepository } from '../core/comuni'
import { latestVersion } from '../core/db/migrate'
import { MIGRATIONS } from '../core/db/migrations'
import { WORKSPACE_FILE } from '../core/workspace'
import { resourcesDir } from './context'
import { UsageError } from './usage'

/**
 * Our comuni: those of the workspace given, read through its repository on a read-only
 * connection (checking a source stores nothing),
 * else the Circondario's defaults shipped in resources/comuni.json.
 */
function ourComuni(dataDir: string | undefined): OurComune[] {
  if (dataDir === undefined) {
    const file = JSON.parse(readFileSync(join(resourcesDir(), 'comuni.json'), 'utf8')) as {
      comuni: OurComune[]
    }
    return file.comuni
  }
  const path = join(resolve(dataDir), WORKSPACE_FILE)
  if (!existsSync(path))
    throw new Error(`no Vedetta workspace in ${dataDir} (${WORKSPACE_FILE} missing)`)
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    if ((db.pragma('user_version', { simple: true }) as number) < latestVersion(MIGRATIONS))
      throw new Error(
        `the workspace in ${dataDir} is from an older Vedetta: open it once with this version first`,
      )
    return createComuniRepository(db).list()
  } finally {
    db.close()
  }
}

/** What was understood, for a person: each bulletin, then the areas that concern our comuni. */
function describe(result: CheckResult): string {
  const lines: string[] = []
  for (const b of result.bulletins) {
    lines.push(
      `${b.id} (${b.kind})${b.issuedAt ? `, emesso ${formatRomeShort(b.issuedAt)}` : ''}${
        b.updateOf ? `, aggiorna ${b.updateOf}` : ''
      }`,
    )
    const ours = b.areas.filter((a) => a.ours.length > 0)
    for (const a of ours) {
      lines.push(
        `  ${a.name} — ${a.risk} ${a.level ?? 'senza livello'}` +
          `${a.validFrom && a.validTo ? ` (${formatRomeShort(a.validFrom)} → ${formatRomeShort(a.validTo)})` : ''}: ` +
          a.ours.join(', '),
      )
    }
    lines.push(`  ${b.areas.length} aree lette, ${ours.length} riguardano i nostri comuni`)
  }
  for (const w of result.warnings) lines.push(`avviso: ${w}`)
  return lines.join('\n')
}

/** `vedetta bulletins check SOURCE [--json] [--data-dir DIR]` */
export async function bulletinsCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  if (verb !== 'check')
    throw new UsageError('usage: vedetta bulletins check SOURCE [--json] [--data-dir DIR]')
  const { values, positionals } = parseArgs({
    args: rest,
    options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length !== 1)
    throw new UsageError('vedetta bulletins check needs exactly one SOURCE')
  const source = positionals[0]!
  const ours = ourComuni(values['data-dir'])
  const result = await checkSource(/^https?:\/\//i.test(source) ? source : resolve(source), {
    ours,
  })
  if (result.bulletins.length === 0) throw new Error(`nothing could be read from ${source}`)
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`)
  else process.stdout.write(`${describe(result)}\n`)
  return 0
}
