import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CoreError } from '../errors'
import { createLog, type Log } from '../health/log'

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

/** True when this process runs as root (Unix); Windows has no such user id. */
export const runsAsRoot = (): boolean => process.getuid?.() === 0

/**
 * The headless browser's command line. Its sandbox stays on: Chromium refuses
 * to start it as root, so only then is it switched off (and the printer says so in the log).
 */
export function chromiumPrintArgs(files: {
  page: string
  pdf: string
  profile: string
  asRoot: boolean
}): string[] {
  return [
    '--headless',
    ...(files.asRoot ? ['--no-sandbox'] : []),
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-pdf-header-footer',
    `--user-data-dir=${files.profile}`,
    `--print-to-pdf=${files.pdf}`,
    pathToFileURL(files.page).href,
  ]
}

/**
 * Prints with a headless Chromium (`--print-to-pdf`), from a private temporary
 * folder and profile, kept off the network, inside Chromium's sandbox. Without
 * a Chromium it says so: the HTML report is always there.
 */
export function headlessChromiumPrinter(
  options: {
    /** The browser to print with; `null`: there is none. By default the first one found. */
    browser?: string | null
    /** Whether Vedetta runs as root; by default read from the process. */
    asRoot?: boolean
    log?: Log
  } = {},
): PdfPrinter {
  const browser =
    options.browser === undefined
      ? chromiumCandidates().find((c) => existsSync(c))
      : (options.browser ?? undefined)
  const asRoot = options.asRoot ?? runsAsRoot()
  const log = options.log ?? createLog()
  return async (html) => {
    if (!browser) {
      throw new CoreError(
        'unavailable',
        'No Chromium or Chrome found to print the PDF: export the report as HTML (set VEDETTA_CHROMIUM to a browser to enable PDF)',
      )
    }
    if (asRoot) {
      log.warn(
        'report-pdf',
        'Chromium prints without its sandbox because Vedetta runs as root: run it as an ordinary user to keep the sandbox',
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
          chromiumPrintArgs({ page, pdf, profile: join(dir, 'profile'), asRoot }),
          { timeout: PRINT_TIMEOUT_MS },
          (err, _stdout, stderr) => {
            if (!err || existsSync(pdf)) return resolve()
            log.error('report-pdf', err)
            const said = String(stderr).trim().split('\n').pop()
            reject(
              new CoreError(
                'unavailable',
                `Chromium could not print the PDF (${said || err.message}): export the report as HTML`,
              ),
            )
          },
        )
      })
      if (!existsSync(pdf)) throw new CoreError('unavailable', 'Chromium did not write the PDF')
      return readFileSync(pdf)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
