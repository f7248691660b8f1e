import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { IMPORT_FIELDS, type ImportField } from '../../shared/contacts/csv-fields'
import { runContactsExport, runContactsImport, type CliResult } from '../core/contacts'
import { dataDirFrom } from './context'
import { UsageError } from './usage'

/** `--map "Cellulare genitore=phone"`: a header the importer does not know, mapped to a field (or `ignore`). */
function parseMapping(values: string[] = []): Record<string, ImportField | null> {
  const mapping: Record<string, ImportField | null> = {}
  for (const v of values) {
    const at = v.lastIndexOf('=')
    const header = v.slice(0, at)
    const field = v.slice(at + 1).trim()
    if (at <= 0 || !header) throw new UsageError(`--map expects "Header=field", not "${v}"`)
    if (field === 'ignore') mapping[header] = null
    else if ((IMPORT_FIELDS as readonly string[]).includes(field))
      mapping[header] = field as ImportField
    else
      throw new UsageError(
        `--map: unknown field "${field}" (known: ${IMPORT_FIELDS.join(', ')}, ignore)`,
      )
  }
  return mapping
}

/** A number option: `--max-removal-share 0.2` (0 to 1), `--confirm-removal 995` (a count). */
function parseNumber(
  name: string,
  value: string | undefined,
  kind: 'share' | 'count',
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value.trim())
  const ok =
    value.trim() !== '' && (kind === 'share' ? n >= 0 && n <= 1 : Number.isInteger(n) && n >= 0)
  if (!ok)
    throw new UsageError(
      kind === 'share'
        ? `--${name} expects a share between 0 and 1 (0.2 is 20%), not "${value}"`
        : `--${name} expects the number of contacts the report showed, not "${value}"`,
    )
  return n
}

function emit(result: CliResult): number {
  if (result.stdout) process.stdout.write(result.stdout)
  if (result.stderr) process.stderr.write(result.stderr)
  return result.exitCode
}

/** `vedetta contacts import|export …` */
export async function contactsCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  if (verb === 'import') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        'data-dir': { type: 'string' },
        list: { type: 'string' },
        'dry-run': { type: 'boolean' },
        strict: { type: 'boolean' },
        json: { type: 'boolean' },
        sync: { type: 'string' },
        map: { type: 'string', multiple: true },
        'max-removal-share': { type: 'string' },
        'confirm-removal': { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    })
    if (positionals.length !== 1)
      throw new UsageError('vedetta contacts import needs exactly one FILE')
    return emit(
      runContactsImport({
        file: resolve(positionals[0]!),
        dataDir: dataDirFrom(values['data-dir']),
        list: values.list,
        dryRun: values['dry-run'],
        strict: values.strict,
        json: values.json,
        sourceKey: values.sync,
        mapping: parseMapping(values.map),
        maxRemovalShare: parseNumber('max-removal-share', values['max-removal-share'], 'share'),
        confirmRemoval: parseNumber('confirm-removal', values['confirm-removal'], 'count'),
      }),
    )
  }
  if (verb === 'export') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { 'data-dir': { type: 'string' } },
      strict: true,
      allowPositionals: true,
    })
    if (positionals.length !== 1)
      throw new UsageError('vedetta contacts export needs exactly one FILE')
    return emit(
      runContactsExport({
        file: resolve(positionals[0]!),
        dataDir: dataDirFrom(values['data-dir']),
      }),
    )
  }
  throw new UsageError('vedetta contacts: use "import FILE" or "export FILE"')
}
