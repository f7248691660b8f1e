import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CoreError } from '../errors'

/** Turns an HTML document into PDF bytes (Electron's printToPDF in the desktop app). */
export type PdfPrinter = (html: string) => Promise<Buffer>

/** Where a Chromium-family browser may be on this machine (the desktop shell brings its own). */
export function chromiumCandidates(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const candidates = [env.VEDETTA_CHROMIUM, env.VEDETTA_BROWSER].filter(
    (c): c is string => typeof c === 'string' && c !== '',
  )
  if (platform === 'darwin') {
    candidates.push(
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    )
  } else if (platform === 'win32') {
    for (const base of [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA]) {
      if (base) candidates.push(join(base, 'Google/Chrome/Application/chrome.exe'))
    }
  } else {
    candidates.push(
      '/usr/bin/chromium',
      '/usr/bin/chromium-browser',
      '/usr/bin/google-chrome',
      '/usr/bin/google-chrome-stable',
    )
  }
  return candidates
}

const PRINT_TIMEOUT_MS = 60_000

/**
 * Prints with a headless Chromium (`--print-to-pdf`), from a private temporary
 * folder and profile, kept off the network. Without a Chromium it says so: the
 * HTML report is always there.
 */
export function headlessChromiumPrinter(
  options: {
    /** The browser to print with; `null`: there is none. By default the first one found. */
    browser?: string | null
  } = {},
): PdfPrinter {
  const browser =
    options.browser === undefined
      ? chromiumCandidates().find((c) => existsSync(c))
      : (options.browser ?? undefined)
  return async (html) => {
    if (!browser) {
      throw new CoreError(
        'unavailable',
        'No Chromium or Chrome found to print the PDF: export the report as HTML (set VEDETTA_CHROMIUM to a browser to enable PDF)',
      )
    }
    const dir = mkdtempSync(join(tmpdir(), 'vedetta-report-'))
    try {
      const page = join(dir, 'report.html')
      const pdf = join(dir, 'report.pdf')
      writeFileSync(page, html, 'utf8')
      await new Promise<void>((resolve, reject) => {
        execFile(
          browser,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-pdf-header-footer',
            `--user-data-dir=${join(dir, 'profile')}`,
            `--print-to-pdf=${pdf}`,
            pathToFileURL(page).href,
          ],
          { timeout: PRINT_TIMEOUT_MS },
          (err) => (err && !existsSync(pdf) ? reject(err) : resolve()),
        )
      })
      if (!existsSync(pdf)) throw new CoreError('unavailable', 'Chromium did not write the PDF')
      return readFileSync(pdf)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
