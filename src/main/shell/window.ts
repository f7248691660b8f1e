import { BrowserWindow, dialog, shell } from 'electron'
import { join } from 'node:path'
import { createLog } from '../core/health/log'
import { externalLinkDecision } from './external-links'
import { isOwnRenderer, rendererUrl } from './renderer-url'

export { isOwnRenderer, rendererUrl }

/** A link from the room opens in the system's browser once the operator has seen its host. */
async function openLinkOutside(win: BrowserWindow, url: string): Promise<void> {
  const decision = externalLinkDecision(url)
  if (!decision.open) {
    await dialog.showMessageBox(win, {
      type: 'info',
      message: decision.message,
      detail: decision.detail,
    })
    return
  }
  const { response } = await dialog.showMessageBox(win, {
    type: 'question',
    buttons: ['Apri nel browser', 'Annulla'],
    defaultId: 1,
    cancelId: 1,
    message: decision.message,
    detail: decision.detail,
  })
  if (response === 0) await shell.openExternal(decision.url)
}

export function createMainWindow(title: string): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title,
    show: false,
    backgroundColor: '#10151c',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  // No navigation away from the app and no new windows; links open in the OS browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isOwnRenderer(url)) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    openLinkOutside(win, url).catch((err: unknown) => createLog().error('open link', err))
    return { action: 'deny' }
  })
  void win.loadURL(rendererUrl())
  return win
}
