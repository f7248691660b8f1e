import { parseArgs } from 'node:util'
import { acquireLock } from '../core/host-lock'
import { startupProblem } from '../core/startup-error'
import { loadHostIdentity, saveHostIdentity } from '../host/host-identity'
import { startHost, type HostOptions, type RunningHost } from '../host/server'
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
      'new-token': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  })
  const explicitPort = values.port === undefined ? undefined : parsePort(values.port)
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
  // The same token and port as the last run: open pages reconnect by themselves after a restart.
  const identity = loadHostIdentity(dataDir, { renew: values['new-token'] === true })
  if (identity.notice) process.stderr.write(identity.notice + '\n')
  const options: HostOptions = {
    core,
    drills: core.drills,
    rendererDir: dir,
    token: identity.token,
    log: (line) => process.stderr.write(line + '\n'),
  }
  const port = explicitPort ?? identity.port ?? 0
  let host: RunningHost
  try {
    host = await startHost({ ...options, port }).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || explicitPort !== undefined || port === 0) throw err
      process.stderr.write(
        `port ${port} of the last run is taken: serving on another one (open pages need the new address)\n`,
      )
      return startHost({ ...options, port: 0 })
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
  try {
    saveHostIdentity(dataDir, { token: host.token, port: host.port })
  } catch (err) {
    process.stderr.write(
      `could not keep the address in ${dataDir}: after a restart open pages need the new address (${(err as Error).message})\n`,
    )
  }
  core.start()
  // The handlers go in before the address is printed: whoever reads that line may stop the
  // host at once, and a SIGTERM with no handler yet would end it without closing the workspace.
  const stopped = new Promise<number>((resolve) => {
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
  process.stdout.write(host.url + '\n')
  const browserFailed = (reason: string) =>
    process.stderr.write(`${reason}: open the address above in a browser.\n`)
  // A launch code, not the token: the browser's command line is readable by every local user.
  if (values.open && !openAppWindow(host.launchUrl(), dataDir, browserFailed)) {
    process.stderr.write(
      'No Chromium or Chrome found to open an app window: open the address above in a browser.\n',
    )
  }
  return stopped
}
