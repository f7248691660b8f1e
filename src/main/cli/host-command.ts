import { parseArgs } from 'node:util'
import { acquireLock } from '../core/host-lock'
import { startupProblem } from '../core/startup-error'
import { startHost } from '../host/server'
import { openAppWindow } from './browser'
import { dataDirFrom, openCore, rendererDir } from './context'
import { parsePort } from './usage'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** `vedetta host`: serve until SIGINT/SIGTERM, then close the database cleanly. */
export async function hostCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      open: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  })
  const port = parsePort(values.port)
  const dir = rendererDir()
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error('the renderer is not built: run `npm run build` first')
  }
  const dataDir = dataDirFrom(values['data-dir'])
  // Held by another Vedetta: the refusal is one line naming its process and since when.
  const release = acquireLock(dataDir)
  let core
  try {
    core = openCore(dataDir)
  } catch (err) {
    release()
    // The same words the desktop shows in its dialog.
    throw new Error(startupProblem(err).line, { cause: err })
  }
  let host
  try {
    host = await startHost({
      core,
      drills: core.drills,
      rendererDir: dir,
      port,
      log: (line) => process.stderr.write(line + '\n'),
    })
  } catch (err) {
    core.close()
    release()
    const e = err as NodeJS.ErrnoException
    throw new Error(
      e.code === 'EADDRINUSE'
        ? `port ${port} is already in use: choose another with --port`
        : e.message,
    )
  }
  core.start()
  process.stdout.write(host.url + '\n')
  if (values.open && !openAppWindow(host.url, dataDir)) {
    process.stderr.write(
      'No Chromium or Chrome found to open an app window: open the address above in a browser.\n',
    )
  }
  return new Promise<number>((resolve) => {
    let stopping = false
    const stop = () => {
      if (stopping) return
      stopping = true
      void host.close().finally(async () => {
        await core.shutdown().catch(() => core.close())
        release()
        resolve(0)
      })
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
