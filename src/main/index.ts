/**
 * The Electron shell: lifecycle, one window, IPC wiring, OS secret storage.
 * Everything else lives in the core, which runs without Electron.
 */
import { app, dialog, session, shell, type BrowserWindow } from 'electron'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { createCore, type Core } from './core/app'
import { createLog } from './core/health/log'
import { acquireLock } from './core/host-lock'
import { startupProblem } from './core/startup-error'
import { resolveDataDir } from './core/workspace'
import { desktopCsp } from './shell/csp'
import { wireIpc } from './shell/ipc'
import { electronPdfPrinter } from './shell/pdf-printer'
import { permissionGranted } from './shell/permissions'
import { createDesktopSecretCipher } from './shell/safe-storage-cipher'
import { createMainWindow, isOwnRenderer } from './shell/window'

let core: Core | undefined
let win: BrowserWindow | undefined
let releaseLock: (() => void) | undefined
let unwire: (() => void) | undefined

/**
 * Any start-up failure ends here: the operator reads what happened in a
 * dialog, the log keeps the stack, and the process exits instead of lingering
 * invisible with the single-instance lock held.
 */
function failStart(err: unknown): void {
  const log = createLog()
  log.error('startup', err)
  try {
    unwire?.()
    core?.close()
    releaseLock?.()
  } catch (cleanupErr) {
    log.error('startup cleanup', cleanupErr)
  }
  core = undefined
  try {
    const { title, message } = startupProblem(err)
    dialog.showErrorBox(title, message)
  } finally {
    app.exit(1)
  }
}

function start(): void {
  const dataDir = resolveDataDir(
    process.env.VEDETTA_DATA_DIR,
    process.env,
    process.platform,
    app.getPath('home'),
  )
  releaseLock = acquireLock(dataDir)
  const secrets = createDesktopSecretCipher(dataDir)
  createLog().info('secrets', secrets.choice.log)
  core = createCore({
    dataDir,
    cipher: secrets.cipher,
    startupProblems: secrets.choice.problem
      ? [{ source: 'secrets', message: secrets.choice.problem }]
      : [],
    printPdf: electronPdfPrinter(),
    shell: 'electron',
    version: app.getVersion(),
    resourcesDir: join(app.getAppPath(), 'resources'),
    // A region's notice (a PDF) opens in the system's own viewer.
    notices: { openFile: (path) => shell.openPath(path) },
  })
  const csp = desktopCsp({ dev: process.env.ELECTRON_RENDERER_URL !== undefined })
  const ses = session.defaultSession
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    })
  })
  // Desktop notifications for new bulletins, to our own page; every other permission is refused.
  ses.setPermissionRequestHandler((wc, permission, callback, details) =>
    callback(permissionGranted(permission, details.requestingUrl ?? wc.getURL(), isOwnRenderer)),
  )
  ses.setPermissionCheckHandler((wc, permission, _origin, details) =>
    permissionGranted(permission, details.requestingUrl ?? wc?.getURL(), isOwnRenderer),
  )
  ses.setDevicePermissionHandler(() => false)
  unwire = wireIpc(core, () => win, userInfo().username)
  core.start()
  win = createMainWindow('Vedetta')
  win.on('closed', () => (win = undefined))
}

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore()
    win?.focus()
  })

  app.whenReady().then(start).catch(failStart)

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })

  app.on('window-all-closed', () => app.quit())

  let quitting = false
  app.on('will-quit', (event) => {
    if (quitting || !core) return
    // Let background work (polls, sends) stop cleanly before the database closes.
    event.preventDefault()
    quitting = true
    unwire?.()
    void core.shutdown().finally(() => {
      releaseLock?.()
      app.quit()
    })
  })
}
