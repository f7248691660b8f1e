import { BrowserWindow, session } from 'electron'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { PdfPrinter } from '../core/drill-runtime'
import { PRINT_OPTIONS, PRINT_PARTITION, printRequestAllowed } from './pdf-policy'

/**
 * Electron's own printToPDF, so the desktop app never starts another browser.
 * The report is written to a private temporary folder and loaded from there
 * (a data: URL would cap its size).
 */
export function electronPdfPrinter(): PdfPrinter {
  const ses = session.fromPartition(PRINT_PARTITION)
  let pageUrl = ''
  ses.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !printRequestAllowed(details.url, pageUrl) }),
  )
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)

  // One print at a time: the session's request filter knows one page.
  let queue: Promise<unknown> = Promise.resolve()
  const print = async (html: string): Promise<Buffer> => {
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-report-'))
    const win = new BrowserWindow({
      show: false,
      // Written out here, not spread from a constant, so the security review reads them.
      webPreferences: {
        session: ses,
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        javascript: false,
        webSecurity: true,
        spellcheck: false,
        disableBlinkFeatures: 'Auxclick',
      },
    })
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
    win.webContents.on('will-navigate', (event) => event.preventDefault())
    try {
      const page = join(dir, 'report.html')
      writeFileSync(page, html, 'utf8')
      pageUrl = pathToFileURL(page).href
      await win.loadURL(pageUrl)
      return await win.webContents.printToPDF({ ...PRINT_OPTIONS })
    } finally {
      pageUrl = ''
      win.destroy()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return (html) => {
    const result = queue.then(() => print(html))
    // The caller gets `result` and its error; the queue only waits for it to settle.
    queue = result.catch(() => undefined)
    return result
  }
}
