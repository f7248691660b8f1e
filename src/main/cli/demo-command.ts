import { parseArgs } from 'node:util'
import { seedDemoWorkspace } from '../core/demo/seed-demo'
import { dataDirFrom, openCore, resourcesDir } from './context'
import { UsageError } from './usage'

/** `vedetta demo --data-dir DIR`: a demo workspace to explore and to run the shipped drills on. */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, contacts: { type: 'string' } },
    strict: true,
  })
  if (!values['data-dir'])
    throw new UsageError(
      'vedetta demo needs --data-dir DIR (a new folder: never your real workspace)',
    )
  const contacts = values.contacts === undefined ? 2000 : Number(values.contacts)
  if (!Number.isInteger(contacts) || contacts < 0 || contacts > 100_000) {
    throw new UsageError('--contacts must be a whole number from 0 to 100000')
  }
  const core = openCore(dataDirFrom(values['data-dir']))
  try {
    const existing = await core.handlers['channels:list']({}, { operator: 'demo' })
    if (existing.length)
      throw new Error('this workspace already has channel accounts: use a new folder for the demo')
    const r = await seedDemoWorkspace(core.handlers, { contacts, resourcesDir: resourcesDir() })
    process.stdout.write(
      `Demo workspace ready: ${r.accounts} channel accounts (placeholders), ${r.contacts} generated contacts, 6 lists.\n`,
    )
  } finally {
    core.close()
  }
  return 0
}
