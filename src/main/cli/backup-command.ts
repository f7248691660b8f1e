import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { backupDatabase, restoreWorkspace } from '../core/backup'
import { lockHolder } from '../core/host-lock'
import { dataDirFrom, openCore } from './context'
import { UsageError } from './usage'

function fileArg(argv: string[], verb: string) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' } },
    strict: true,
    allowPositionals: true,
  })
  if (positionals.length !== 1) throw new UsageError(`vedetta ${verb} needs exactly one FILE`)
  return { file: resolve(positionals[0]!), dataDir: dataDirFrom(values['data-dir']) }
}

export async function backupCommand(argv: string[]): Promise<number> {
  const { file, dataDir } = fileArg(argv, 'backup')
  const core = openCore(dataDir)
  try {
    await backupDatabase(core.db, file)
  } finally {
    core.close()
  }
  process.stdout.write(`Backup written to ${file}\n`)
  return 0
}

export async function restoreCommand(argv: string[]): Promise<number> {
  const { file, dataDir } = fileArg(argv, 'restore')
  const holder = lockHolder(dataDir)
  if (holder !== undefined)
    throw new Error(
      `Vedetta is running on this workspace (process ${holder}): stop it before restoring`,
    )
  const { previous, frozen } = await restoreWorkspace(dataDir, file)
  process.stdout.write(
    `Workspace restored from ${file}${previous ? `; the previous one is kept as ${previous}` : ''}\n`,
  )
  // Nothing resends on its own after a restore: say what was stopped, so the operator decides.
  if (frozen.stoppedAlerts.length + frozen.cancelledRows + frozen.uncertainRows > 0)
    process.stdout.write(
      `Nothing restarts by itself: ${frozen.stoppedAlerts.length} alert(s) stopped, ` +
        `${frozen.cancelledRows} queued message(s) cancelled, ` +
        `${frozen.uncertainRows} in-flight message(s) marked uncertain (see the journal)\n`,
    )
  return 0
}
