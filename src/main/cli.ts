/**
 * The `vedetta` command line. Every failure is one line on stderr and a
 * non-zero exit: 2 for a usage mistake, 1 for anything else.
 */
import { backupCommand, restoreCommand } from './cli/backup-command'
import { bulletinsCommand } from './cli/bulletins-command'
import { contactsCommand } from './cli/contacts-command'
import { demoCommand } from './cli/demo-command'
import { drillCommand } from './cli/drill-command'
import { hostCommand } from './cli/host-command'
import { mapCommand } from './cli/map-command'
import { USAGE, UsageError } from './cli/usage'

type Command = (argv: string[]) => Promise<number>

const COMMANDS: Record<string, Command> = {
  host: hostCommand,
  backup: backupCommand,
  restore: restoreCommand,
  contacts: contactsCommand,
  bulletins: bulletinsCommand,
  demo: demoCommand,
  drill: drillCommand,
  map: mapCommand,
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE + '\n')
    return name ? 0 : 2
  }
  const command = COMMANDS[name]
  if (!command) throw new UsageError(`unknown command "${name}" (try: vedetta help)`)
  return command(rest)
}

function oneLine(err: unknown): string {
  const e = err as { code?: string; message?: string }
  // node:util parseArgs reports unknown flags with this code; its message is already one line.
  const text = e?.message ?? String(err)
  return text.split('\n')[0]!
}

/** Runs the command line and exits the process with its code. */
export function run(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const usage =
        err instanceof UsageError || (err as { code?: string })?.code?.startsWith('ERR_PARSE_ARGS')
      process.stderr.write(`vedetta: ${oneLine(err)}\n`)
      process.exit(usage ? 2 : 1)
    },
  )
}

if (require.main === module) run(process.argv.slice(2))
