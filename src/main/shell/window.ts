import { BrowserWindow, shell } from 'electron'
import { join } from 'node:path'

/** The renderer's address: the dev server in development, the built file otherwise. */
export function rendererUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL
  return dev ?? `file://${join(__dirname, '../renderer/index.html')}`
}

/** True when a frame's URL is our own renderer (IPC sender check). */
export function isOwnRenderer(url: string | undefined): boolean {
  if (!url) return false
  const own = new URL(rendererUrl())
  try {
    const u = new URL(url)
    return own.protocol === 'file:'
      ? u.protocol === 'file:' && u.pathname === own.pathname
      : u.origin === own.origin
  } catch {
    return false
  }
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
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  void win.loadURL(rendererUrl())
  return win
}
